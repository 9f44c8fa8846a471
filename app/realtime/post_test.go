package realtime_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"parley/app/realtime"
)

// eventData is an event's payload with the post the hub attaches.
type eventData struct {
	PostID int64 `json:"post_id"`
	Number int   `json:"number"`
	Post   *struct {
		ID        int64          `json:"id"`
		ThreadID  int64          `json:"thread_id"`
		Number    int            `json:"number"`
		HTML      string         `json:"html"`
		Reactions map[string]int `json:"reactions"`
		EditCount int            `json:"edit_count"`
		CreatedAt time.Time      `json:"created_at"`
		Author    struct {
			ID       int64  `json:"id"`
			Username string `json:"username"`
			Role     string `json:"role"`
		} `json:"author"`
	} `json:"post"`
}

// rawEvent reads the next event message (skipping presence) as it came
// over the wire, and decodes it.
func (c *client) rawEvent() (msg, eventData, []byte) {
	c.t.Helper()
	for {
		_ = c.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, b, err := c.ws.ReadMessage()
		if err != nil {
			c.t.Fatalf("read: %v", err)
		}
		var m msg
		if err := json.Unmarshal(b, &m); err != nil {
			c.t.Fatalf("bad message %s: %v", b, err)
		}
		if m.Type == "presence" {
			continue
		}
		if m.Type != "event" {
			c.t.Fatalf("got %s, want an event", b)
		}
		var d eventData
		if err := json.Unmarshal(m.Data, &d); err != nil {
			c.t.Fatalf("event data %s: %v", m.Data, err)
		}
		return m, d, b
	}
}

// A reply's and an edit's event carry the post on the thread's channel,
// so thousands of readers need not each fetch it: the public view only,
// loaded once and shared. The forum's channel and a deletion carry none.
func TestPostTravelsWithItsEvent(t *testing.T) {
	w := newWorld(t)
	anon, later := w.ws(nil), w.ws(nil)
	thread := fmt.Sprintf("thread:%d", w.generalT)
	anon.mustSubscribe(thread)
	anon.mustSubscribe("forum:general")
	before := w.a.Realtime.Stats().Head

	id := w.reply(w.member, w.generalT, "Tents & <stoves>: **bring both**")
	m, d, raw := anon.rawEvent()
	if m.Event != "post.created" || m.Channel != thread || d.Post == nil {
		t.Fatalf("thread channel: %s", raw)
	}
	p := d.Post
	if p.ID != id || p.ThreadID != w.generalT || p.Number != d.Number || p.Number != 2 || p.EditCount != 0 ||
		p.Author.Username != "member_max" || p.Author.Role != "member" || p.Author.ID == 0 ||
		p.Reactions["like"] != 0 || len(p.Reactions) != 3 || p.CreatedAt.IsZero() {
		t.Fatalf("post %+v", p)
	}
	if !strings.Contains(p.HTML, "<strong>bring both</strong>") || !strings.Contains(p.HTML, "Tents &amp; &lt;stoves&gt;") {
		t.Fatalf("html %q", p.HTML)
	}
	// Sent as stored, not HTML-escaped into \u003c (several times longer).
	if !bytes.Contains(raw, []byte("<strong>")) {
		t.Fatalf("the html was escaped: %s", raw)
	}
	// Nothing about a particular reader.
	for _, field := range []string{`"can_edit"`, `"my_reaction"`, `"body"`, `"new"`} {
		if bytes.Contains(raw, []byte(field)) {
			t.Fatalf("a per-viewer or private field %s in %s", field, raw)
		}
	}
	if m, d, raw := anon.rawEvent(); m.Channel != "forum:general" || d.Post != nil || d.PostID != id {
		t.Fatalf("forum channel: %s", raw)
	}

	// A later subscriber catching up from the ring gets the same message.
	later.send(map[string]any{"type": "subscribe", "channel": thread, "since": before})
	later.expect("subscribed")
	if _, d, raw := later.rawEvent(); d.Post == nil || d.Post.ID != id {
		t.Fatalf("catch-up: %s", raw)
	}

	// A reaction carries the counts after it, not the post.
	w.mod.Must(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/posts/%d/reactions/thanks", id), nil)
	m, _, raw = anon.rawEvent()
	var r struct {
		Reactions map[string]int `json:"reactions"`
		To        string         `json:"to"`
	}
	if err := json.Unmarshal(m.Data, &r); err != nil || m.Event != "reaction.changed" || r.To != "thanks" ||
		r.Reactions["thanks"] != 1 || r.Reactions["like"] != 0 || len(r.Reactions) != 3 || bytes.Contains(raw, []byte("stoves")) {
		t.Fatalf("reaction: %s", raw)
	}

	w.member.Must(http.StatusOK, "PATCH", fmt.Sprintf("/api/v1/posts/%d", id), map[string]string{"body": "Only *stoves*."})
	m, d, raw = anon.rawEvent()
	if m.Event != "post.edited" || d.Post == nil || d.Post.EditCount != 1 || !strings.Contains(d.Post.HTML, "<em>stoves</em>") {
		t.Fatalf("edit: %s", raw)
	}

	w.member.Must(http.StatusNoContent, "DELETE", fmt.Sprintf("/api/v1/posts/%d", id), nil)
	for {
		m, d, raw := anon.rawEvent()
		if d.Post != nil || bytes.Contains(raw, []byte("stoves")) {
			t.Fatalf("a deletion carries the post: %s", raw)
		}
		if m.Channel == "forum:general" {
			if m.Event != "post.deleted" {
				t.Fatalf("forum channel: %s", raw)
			}
			break
		}
	}
}

// A post bigger than MaxPostBytes is left for the readers to fetch, and
// so are replies once the ring holds PostBudget bytes of posts.
func TestBigPostsAreFetched(t *testing.T) {
	w := newWorld(t)
	_, small := hubServer(t, w.a, realtime.Options{MaxPostBytes: 64})
	_, budget := hubServer(t, w.a, realtime.Options{PostBudget: 1})
	thread := fmt.Sprintf("thread:%d", w.generalT)
	var clients []*client
	for _, u := range []string{small, budget} {
		c := dial(t, u, nil)
		c.mustSubscribe(thread)
		clients = append(clients, c)
	}
	anon := w.ws(nil)
	anon.mustSubscribe(thread)
	w.reply(w.member, w.generalT, strings.Repeat("A long line about stoves. ", 10))
	for i, c := range clients {
		if _, d, raw := c.rawEvent(); d.Post != nil || d.PostID == 0 {
			t.Fatalf("hub %d: %s", i, raw)
		}
	}
	if _, d, raw := anon.rawEvent(); d.Post == nil {
		t.Fatalf("the default hub left the post out: %s", raw)
	}
}
