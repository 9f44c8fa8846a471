package realtime_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"gorm.io/gorm"

	"parley/app/store"
)

// readUntil collects event messages until one for marker post arrives on
// channel.
func readUntil(c *client, channel string, markerPost int64) []msg {
	c.t.Helper()
	var got []msg
	for {
		m := c.next()
		if m.Type != "event" {
			c.t.Fatalf("unexpected %+v", m)
		}
		got = append(got, m)
		var p struct {
			PostID int64 `json:"post_id"`
		}
		_ = json.Unmarshal(m.Data, &p)
		if m.Channel == channel && p.PostID == markerPost {
			return got
		}
	}
}

// A members-only or staff forum's events never reach anyone who cannot
// see the forum, on any channel, and a forum that turns private stops
// reaching its former readers at once.
func TestPrivateEventsNeverReachOutsiders(t *testing.T) {
	w := newWorld(t)
	anon, member := w.ws(nil), w.ws(w.member)
	mod := dial(t, wsURL(w.a.URL, "/api/v1/ws"), bearer(token(t, w.mod)))

	// Refusals: an invisible thread or forum answers like a missing one.
	missing := anon.subscribe("thread:999999", nil)
	for _, probe := range []struct {
		c  *client
		ch string
	}{
		{anon, fmt.Sprintf("thread:%d", w.clubT)}, {anon, fmt.Sprintf("thread:%d", w.staffT)},
		{anon, "forum:club"}, {anon, "forum:staff-room"}, {anon, "forum:nope"},
		{member, fmt.Sprintf("thread:%d", w.staffT)}, {member, "forum:staff-room"},
	} {
		r := probe.c.subscribe(probe.ch, nil)
		if r.Type != "error" || r.Code != missing.Code || r.Message != missing.Message {
			t.Errorf("subscribe %s: %+v, want the same answer as a missing thread %+v", probe.ch, r, missing)
		}
	}
	if missing.Code != "not_found" {
		t.Fatalf("missing thread: %+v", missing)
	}
	if r := anon.subscribe("user", nil); r.Code != "unauthenticated" {
		t.Errorf("anonymous user channel: %+v", r)
	}

	g, c, s := fmt.Sprintf("thread:%d", w.generalT), fmt.Sprintf("thread:%d", w.clubT), fmt.Sprintf("thread:%d", w.staffT)
	for _, ch := range []string{"home", "forum:general", g} {
		anon.mustSubscribe(ch)
	}
	for _, ch := range []string{"home", "user", "forum:general", "forum:club", g, c} {
		member.mustSubscribe(ch)
	}
	for _, ch := range []string{"home", "user", "forum:general", "forum:club", "forum:staff-room", g, c, s} {
		mod.mustSubscribe(ch)
	}

	// Activity everywhere, then a marker in the public thread.
	clubPost := w.reply(w.member, w.clubT, "members only reply")
	staffPost := w.reply(w.mod, w.staffT, "staff only reply")
	w.mod.Must(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/posts/%d/reactions/like", clubPost), nil)
	w.mod.Must(http.StatusOK, "PATCH", fmt.Sprintf("/api/v1/posts/%d", staffPost), map[string]string{"body": "edited staff reply"})
	w.thread(w.mod, "staff-room", "Second staff thread")
	w.admin.Must(http.StatusCreated, "POST", "/api/v1/forums", map[string]any{"name": "Secret", "slug": "secret", "visibility": "staff"})
	var modID int64
	if err := w.a.Store.R.Raw("SELECT id FROM users WHERE username = 'mod_mia'").Scan(&modID).Error; err != nil {
		t.Fatal(err)
	}
	err := w.a.Store.Tx(context.Background(), func(tx *gorm.DB) error {
		_, err := store.Emit(tx, "test.personal", store.UserScope(modID), 0, "test", map[string]any{"user_id": modID})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	marker := w.reply(w.member, w.generalT, "marker")

	private := map[int64]bool{w.club: true, w.staff: true}
	for _, e := range readUntil(anon, g, marker) {
		if th, f := e.payload(t); private[f] || th == w.clubT || th == w.staffT || e.Event == "forum.created" || e.Event == "test.personal" {
			t.Errorf("anonymous received %s %s on %s", e.Event, e.Data, e.Channel)
		}
	}
	sawClub := false
	for _, e := range readUntil(member, g, marker) {
		th, f := e.payload(t)
		if f == w.staff || th == w.staffT || e.Event == "forum.created" || e.Event == "test.personal" {
			t.Errorf("member received %s %s on %s", e.Event, e.Data, e.Channel)
		}
		sawClub = sawClub || (e.Channel == c && e.Event == "reaction.changed")
	}
	if !sawClub {
		t.Error("the member missed the reaction in the members forum")
	}
	seen := map[string]bool{}
	for _, e := range readUntil(mod, g, marker) {
		seen[e.Channel+" "+e.Event] = true
	}
	for _, want := range []string{s + " post.created", s + " post.edited", "forum:staff-room thread.created",
		"home forum.created", "user test.personal", c + " reaction.changed"} {
		if !seen[want] {
			t.Errorf("the moderator missed %q (got %v)", want, seen)
		}
	}

	// The members forum becomes staff only: the member's open
	// subscriptions stop carrying it at once, the moderator's do not.
	w.admin.Must(http.StatusOK, "PATCH", "/api/v1/forums/club", map[string]any{"visibility": "staff"})
	hidden := w.reply(w.mod, w.clubT, "now staff only")
	marker = w.reply(w.member, w.generalT, "second marker")
	for _, e := range readUntil(member, g, marker) {
		if _, f := e.payload(t); f == w.club {
			t.Errorf("member still receives the club: %s %s on %s", e.Event, e.Data, e.Channel)
		}
	}
	found := false
	for _, e := range readUntil(mod, g, marker) {
		var p struct {
			PostID int64 `json:"post_id"`
		}
		_ = json.Unmarshal(e.Data, &p)
		found = found || (e.Channel == c && p.PostID == hidden)
	}
	if !found {
		t.Error("the moderator lost the club thread")
	}
}

// The staff channel carries staff-scoped events (the review queue) to
// staff only, and such an event goes nowhere else, not even to the thread
// it is about.
func TestStaffChannel(t *testing.T) {
	w := newWorld(t)
	anon, member := w.ws(nil), w.ws(w.member)
	mod := dial(t, wsURL(w.a.URL, "/api/v1/ws"), bearer(token(t, w.mod)))
	missing := anon.subscribe("thread:999999", nil)
	for _, c := range []*client{anon, member} {
		if r := c.subscribe("staff", nil); r.Type != "error" || r.Code != missing.Code || r.Message != missing.Message {
			t.Fatalf("a non-staff subscribe to staff: %+v", r)
		}
	}
	g := fmt.Sprintf("thread:%d", w.generalT)
	member.mustSubscribe(g)
	mod.mustSubscribe(g)
	mod.mustSubscribe("staff")

	emit(t, w.a, 1, "review.created", store.ScopeStaff, map[string]any{"thread_id": w.generalT, "forum_id": w.general, "item_id": 1})
	marker := w.reply(w.member, w.generalT, "marker after the staff event")

	if m := mod.next(); m.Type != "event" || m.Channel != "staff" || m.Event != "review.created" {
		t.Fatalf("mod's first message %+v, want review.created on staff", m)
	}
	got := readUntil(mod, g, marker)
	for _, m := range got {
		if m.Event == "review.created" {
			t.Fatalf("the staff event reached the thread channel: %+v", m)
		}
	}
	for _, m := range readUntil(member, g, marker) {
		if m.Event == "review.created" {
			t.Fatalf("a member received a staff event: %+v", m)
		}
	}
}
