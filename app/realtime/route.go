package realtime

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"time"

	"parley/app/store"
)

// Channel kinds.
const (
	kindThread = iota + 1
	kindForum
	kindHome
	kindUser
	kindStaff
)

// channel is a parsed subscription target. key names the hub's topic;
// name is what the client wrote and sees in messages. They differ only for
// "user", whose topic is the viewer's own "user:<id>".
type channel struct {
	kind   int
	key    string
	name   string
	thread int64
	slug   string
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// parseChannel reads "thread:{id}", "forum:{slug}", "home" or "user". It
// checks form only; whether the viewer may see it is the hub's question.
func parseChannel(s string) (channel, bool) {
	switch s {
	case "home":
		return channel{kind: kindHome, key: s, name: s}, true
	case "user":
		return channel{kind: kindUser, name: s}, true
	case "staff":
		return channel{kind: kindStaff, key: s, name: s}, true
	}
	kind, rest, _ := strings.Cut(s, ":")
	switch kind {
	case "thread":
		id, err := strconv.ParseInt(rest, 10, 64)
		if err != nil || id <= 0 || strconv.FormatInt(id, 10) != rest {
			return channel{}, false
		}
		return channel{kind: kindThread, key: s, name: s, thread: id}, true
	case "forum":
		if len(rest) > 64 || !slugRE.MatchString(rest) {
			return channel{}, false
		}
		return channel{kind: kindForum, key: s, name: s, slug: rest}, true
	}
	return channel{}, false
}

// entry is one event as the hub holds it: the row, plus the topics it goes
// to, worked out once when the hub reads it.
type entry struct {
	id     int64
	typ    string
	scope  string
	data   json.RawMessage
	at     time.Time
	topics []string
	frames [][]byte // per topic, encoded on first use (under h.mu)
	userID int64    // the user a user.* or group.* event is about (viewer reload)

	// post.created and post.edited in a watched thread: the post's public
	// view (JSON), added to the message on the thread's channel as
	// data.post and dropped once that message is encoded. postCost is
	// what the encoded message holds of it, counted against
	// Options.PostBudget while the entry is in the ring.
	postID   int64
	threadID int64
	post     json.RawMessage
	postCost int
}

// routing is the part of a payload that says where an event belongs.
type routing struct {
	PostID        int64 `json:"post_id"`
	ThreadID      int64 `json:"thread_id"`
	ForumID       int64 `json:"forum_id"`
	UserID        int64 `json:"user_id"`
	ThreadDeleted bool  `json:"thread_deleted"`
}

// carriesPost: events whose thread-channel message includes the post
// itself (data.post), so that readers need not fetch it. A deleted post's
// text never travels: post.deleted is not one of them.
func carriesPost(typ string) bool { return typ == "post.created" || typ == "post.edited" }

func threadKey(id int64) string { return "thread:" + strconv.FormatInt(id, 10) }

// threadOnly events change what a thread page shows but not a thread list.
func threadOnly(typ string) bool { return typ == "post.edited" || typ == "reaction.changed" }

// homeType events change the home page: the forum list, counts and activity.
func homeType(typ string) bool {
	switch typ {
	case "thread.created", "post.created", "forum.created", "forum.updated", "site.updated":
		return true
	}
	return false
}

// newEntry routes an event: thread:{id} gets every event with a thread_id,
// forum:{slug} every event with a forum_id except threadOnly ones, home the
// homeType ones (and a deleted thread); an event scoped to one user goes to
// that user's topic and nowhere else. slugOf names a forum by id ("" when unknown).
func newEntry(ev store.Event, slugOf func(int64) string) *entry {
	e := &entry{id: ev.ID, typ: ev.Type, scope: ev.Scope, at: ev.CreatedAt, data: json.RawMessage(ev.Payload)}
	var r routing
	if !json.Valid(e.data) {
		e.data = json.RawMessage("{}")
	} else if len(e.data) > 0 && e.data[0] == '{' {
		_ = json.Unmarshal(e.data, &r) // a field of another type just routes nowhere
	}
	if strings.HasPrefix(ev.Type, "user.") || strings.HasPrefix(ev.Type, "group.") {
		e.userID = r.UserID
	}
	if carriesPost(ev.Type) {
		e.postID = r.PostID
	}
	if ev.Scope == store.ScopeStaff {
		// Staff business (the review queue, reports): the staff channel
		// only, whatever thread it concerns.
		e.topics = append(e.topics, "staff")
		return e
	}
	if kind, _, err := store.ParseScope(ev.Scope); err == nil && kind == "user" {
		// Addressed to one user (a notification): their channel only. Its
		// thread_id says what it is about, not who may watch it; on the
		// thread's channel an admin would receive other people's bells.
		e.topics = append(e.topics, ev.Scope)
		return e
	}
	if r.ThreadID > 0 {
		e.threadID = r.ThreadID
		e.topics = append(e.topics, threadKey(r.ThreadID))
	}
	if r.ForumID > 0 && !threadOnly(ev.Type) {
		if slug := slugOf(r.ForumID); slug != "" {
			e.topics = append(e.topics, "forum:"+slug)
		}
	}
	if homeType(ev.Type) || r.ThreadDeleted {
		e.topics = append(e.topics, "home")
	}
	return e
}

// frame is the event's message on its i-th topic as a websocket frame,
// encoded once and shared by every recipient, live or catching up. Called
// under h.mu.
func (e *entry) frame(i int) []byte {
	if e.frames == nil {
		e.frames = make([][]byte, len(e.topics))
	}
	if e.frames[i] == nil {
		key := e.topics[i]
		name := key
		if strings.HasPrefix(key, "user:") {
			name = "user"
		}
		data := e.data
		withPost := e.post != nil && i == 0 && e.threadID > 0 // the thread's channel comes first
		if withPost {
			data = attach(data, e.post)
		}
		b := encodeEvent(eventMsg{Type: "event", ID: e.id, Event: e.typ, Channel: name, Data: data, At: e.at})
		e.frames[i] = textFrame(b)
		if withPost {
			e.post = nil // the frame holds it now
		}
	}
	return e.frames[i]
}

// attach adds "post": post to a payload object. A payload that is not an
// object (never written by the forum) is left as it is.
func attach(data, post json.RawMessage) json.RawMessage {
	d := bytes.TrimSpace(data)
	if len(d) < 2 || d[0] != '{' || d[len(d)-1] != '}' {
		return data
	}
	out := make([]byte, 0, len(d)+len(post)+9)
	out = append(out, d[:len(d)-1]...)
	if len(bytes.TrimSpace(d[1:len(d)-1])) > 0 {
		out = append(out, ',')
	}
	out = append(out, `"post":`...)
	out = append(out, post...)
	return append(out, '}')
}
