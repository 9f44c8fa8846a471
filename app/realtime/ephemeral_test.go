package realtime_test

import (
	"fmt"
	"testing"
	"time"

	"parley/app/realtime"
)

// presence waits for a presence message on thread with count.
func (c *client) presence(thread int64, count int) {
	c.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		m, err := c.read(time.Until(deadline))
		if err != nil {
			break
		}
		if m.Type == "presence" && m.Thread == thread && m.Count == count {
			return
		}
	}
	c.t.Fatalf("no presence count %d for thread %d", count, thread)
}

// Readers of a thread see how many people read it and who is typing;
// typing is relayed at most once per 3 s per user and never to the typist.
func TestTypingAndPresence(t *testing.T) {
	w := newWorld(t)
	g := fmt.Sprintf("thread:%d", w.generalT)
	_, u := hubServer(t, w.a, realtime.Options{PresenceEvery: 50 * time.Millisecond})
	memberTok := token(t, w.member)
	member, anon, mod := dial(t, u, bearer(memberTok)), dial(t, u, nil), dial(t, u, bearer(token(t, w.mod)))
	for _, c := range []*client{member, anon, mod} {
		c.mustSubscribe(g)
	}
	member.presence(w.generalT, 3)
	// A second tab of the same member is the same reader.
	tab := dial(t, u, bearer(memberTok))
	tab.mustSubscribe(g)
	_ = anon.ws.Close()
	mod.presence(w.generalT, 2)

	member.send(map[string]any{"type": "typing", "thread": w.generalT})
	member.send(map[string]any{"type": "typing", "thread": w.generalT}) // within 3 s: dropped
	member.send(map[string]string{"type": "ping"})
	member.expect("pong") // both typing messages have been handled
	w.reply(w.mod, w.generalT, "a reply")

	if m := mod.expect("typing"); m.User != "member_max" || m.Thread != w.generalT {
		t.Errorf("typing: %+v", m)
	}
	if m := mod.next(); m.Type != "event" || m.Event != "post.created" {
		t.Errorf("after one typing message the reply should follow, got %+v", m)
	}
	// Neither of the typist's own connections hears it.
	for _, c := range []*client{member, tab} {
		if m := c.next(); m.Type != "event" {
			t.Errorf("the typist received %+v", m)
		}
	}
	// Typing needs a subscription to the thread.
	member.send(map[string]any{"type": "typing", "thread": w.clubT})
	if m := member.next(); m.Code != "not_subscribed" {
		t.Errorf("typing in an unsubscribed thread: %+v", m)
	}
}
