package realtime

import (
	"time"
)

// topic is one channel's subscribers, kept while it has any. Only the hub
// goroutines touch it, under h.mu.
type topic struct {
	name  string // as clients see it
	kind  int
	scope string // who may see the channel itself (presence, typing)
	// subs maps each connection to the log position it subscribed at: it
	// receives events with a greater id only.
	subs map[*Conn]int64

	// Threads only: distinct readers for presence (signed-in users count
	// once however many tabs they open; anonymous connections each count)
	// and when each user last sent typing.
	thread int64
	users  map[int64]int
	anon   int
	dirty  bool
	typing map[int64]time.Time
}

// addSub subscribes c to ch from log position from, under h.mu.
func (h *Hub) addSub(c *Conn, ch channel, scope string, from int64) {
	t := h.topics[ch.key]
	if t == nil {
		t = &topic{name: ch.name, kind: ch.kind, scope: scope, subs: map[*Conn]int64{}, thread: ch.thread}
		if ch.kind == kindThread {
			t.users, t.typing = map[int64]int{}, map[int64]time.Time{}
		}
		h.topics[ch.key] = t
	}
	t.subs[c] = from
	c.subs = append(c.subs, ch.key)
	if t.kind == kindThread {
		if id := c.viewer.Load().ID; id > 0 {
			t.users[id]++
		} else {
			t.anon++
		}
		t.dirty = true
	}
}

// dropSub removes c from topic key, under h.mu (c.subs is the caller's).
func (h *Hub) dropSub(c *Conn, key string) {
	t := h.topics[key]
	if t == nil {
		return
	}
	if _, ok := t.subs[c]; !ok {
		return
	}
	delete(t.subs, c)
	if t.kind == kindThread {
		if id := c.viewer.Load().ID; id > 0 {
			if t.users[id]--; t.users[id] <= 0 {
				delete(t.users, id)
			}
		} else {
			t.anon--
		}
		t.dirty = true
	}
	if len(t.subs) == 0 {
		delete(h.topics, key)
	}
}

// subscribed reports whether c is on topic key, under h.mu.
func (c *Conn) subscribed(key string) bool {
	for _, k := range c.subs {
		if k == key {
			return true
		}
	}
	return false
}

// unsubscribe removes one channel of c.
func (h *Hub) unsubscribe(c *Conn, key string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i, k := range c.subs {
		if k == key {
			c.subs = append(c.subs[:i], c.subs[i+1:]...)
			h.dropSub(c, key)
			return true
		}
	}
	return false
}

// broadcast sends one message to every subscriber of t allowed to see the
// channel, except skip (the typist's own user), under h.mu.
func (h *Hub) broadcast(t *topic, msg []byte, skip int64) {
	f := textFrame(msg)
	for c := range t.subs {
		v := c.viewer.Load()
		if c.lagging || (skip > 0 && v.ID == skip) || !h.canSee(v, t.scope) {
			continue // ephemeral: a connection behind on events can do without
		}
		c.enqueue(f, h.opt.QueueSize)
	}
}

// typing relays "user is typing" to a thread's other readers, at most once
// per TypingEvery per user; clients hide it after expires_in seconds.
func (h *Hub) typing(c *Conn, thread int64, key string) string {
	v := c.viewer.Load()
	if !v.SignedIn() {
		return codeUnauth
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	t := h.topics[key]
	if t == nil || !c.subscribed(key) {
		return codeNotSub
	}
	now := time.Now()
	if last, ok := t.typing[v.ID]; ok && now.Sub(last) < h.opt.TypingEvery {
		return ""
	}
	t.typing[v.ID] = now
	h.broadcast(t, encode(typingMsg{Type: "typing", Thread: thread, User: v.Username, UserID: v.ID, ExpiresIn: typingExpiresSec}), v.ID)
	return ""
}

// flushPresence sends changed reader counts and forgets old typing times.
func (h *Hub) flushPresence() {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := time.Now()
	for _, t := range h.topics {
		if t.kind != kindThread {
			continue
		}
		for id, at := range t.typing {
			if now.Sub(at) >= h.opt.TypingEvery {
				delete(t.typing, id)
			}
		}
		if !t.dirty {
			continue
		}
		t.dirty = false
		n := len(t.users) + t.anon
		h.broadcast(t, encode(presenceMsg{Type: "presence", Thread: t.thread, Count: n}), 0)
	}
}
