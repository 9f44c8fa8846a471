package forum_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"parley/app/auth"
	"parley/app/errs"
	"parley/app/forum"
)

// A reply stores its mentions (one statement for all of them) and an edit
// replaces them; the events carry the same ids.
func TestReplyAndEditMentions(t *testing.T) {
	f := newFixture(t)
	anna := viewerOf(t, f.a, "anna", auth.RoleMember)
	ben := viewerOf(t, f.a, "ben", auth.RoleMember)
	cleo := viewerOf(t, f.a, "cleo", auth.RoleMember)
	th, _, err := f.a.Forum.CreateThread(f.ctx, anna, "general", forum.ThreadInput{Title: "Who comes along", Body: "hello"})
	if err != nil {
		t.Fatal(err)
	}
	mentions := func(postID int64) []int64 {
		var ids []int64
		if err := f.a.Store.R.Raw("SELECT user_id FROM mentions WHERE post_id = ? ORDER BY user_id", postID).Scan(&ids).Error; err != nil {
			t.Fatal(err)
		}
		return ids
	}
	lastEventMentions := func(typ string) []int64 {
		var payload string
		if err := f.a.Store.R.Raw("SELECT payload FROM events WHERE type = ? ORDER BY id DESC LIMIT 1", typ).Scan(&payload).Error; err != nil {
			t.Fatal(err)
		}
		var p struct{ Mentions []int64 }
		if err := json.Unmarshal([]byte(payload), &p); err != nil {
			t.Fatal(err)
		}
		slices.Sort(p.Mentions)
		return p.Mentions
	}
	p, err := f.a.Forum.Reply(f.ctx, anna, th.ID, "@ben and @cleo, and @ben again, and @nobody")
	if err != nil {
		t.Fatal(err)
	}
	want := []int64{ben.ID, cleo.ID}
	if got := mentions(p.ID); !slices.Equal(got, want) {
		t.Fatalf("mentions %v, want %v", got, want)
	}
	if got := lastEventMentions("post.created"); !slices.Equal(got, want) {
		t.Fatalf("post.created mentions %v, want %v", got, want)
	}
	if _, err := f.a.Forum.EditPost(f.ctx, anna, p.ID, "only @cleo now"); err != nil {
		t.Fatal(err)
	}
	if got := mentions(p.ID); !slices.Equal(got, []int64{cleo.ID}) {
		t.Fatalf("mentions after edit %v, want [%d]", got, cleo.ID)
	}
	if got := lastEventMentions("post.edited"); !slices.Equal(got, []int64{cleo.ID}) {
		t.Fatalf("post.edited mentions %v", got)
	}
	if _, err := f.a.Forum.EditPost(f.ctx, anna, p.ID, "nobody at all"); err != nil {
		t.Fatal(err)
	}
	if got := mentions(p.ID); len(got) != 0 {
		t.Fatalf("mentions after second edit %v, want none", got)
	}
}

// Staff are not throttled (their last post time is not even read) but their
// post count and last post time are kept like everyone's; members are.
func TestReplyThrottle(t *testing.T) {
	f := newFixture(t)
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	f.a.Forum.SetClock(func() time.Time { return now })
	svc := forum.New(f.a.Store, f.a.Auth, f.a.Render, forum.Options{PostEvery: time.Minute, NewPostEvery: time.Hour, NewAccountAge: time.Hour})
	svc.SetClock(func() time.Time { return now })
	mod := viewerOf(t, f.a, "mona", auth.RoleModerator)
	mem := viewerOf(t, f.a, "milo", auth.RoleMember)
	mem.CreatedAt = now.Add(-48 * time.Hour)
	th, _, err := svc.CreateThread(f.ctx, mod, "general", forum.ThreadInput{Title: "Throttle test", Body: "first"})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := svc.Reply(f.ctx, mod, th.ID, "staff again"); err != nil {
			t.Fatalf("staff throttled: %v", err)
		}
	}
	if _, err := svc.Reply(f.ctx, mem, th.ID, "member once"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Reply(f.ctx, mem, th.ID, "member twice"); !errs.Is(err, errs.KindRateLimited) {
		t.Fatalf("second member reply within a minute: %v", err)
	}
	type counters struct {
		PostCount    int64
		LastPostedAt *time.Time
	}
	for _, c := range []struct {
		v    *auth.Viewer
		want int64
	}{{mod, 4}, {mem, 1}} {
		var got counters
		if err := f.a.Store.R.Raw("SELECT post_count, last_posted_at FROM users WHERE id = ?", c.v.ID).Scan(&got).Error; err != nil {
			t.Fatal(err)
		}
		if got.PostCount != c.want || got.LastPostedAt == nil || !got.LastPostedAt.Equal(now) {
			t.Fatalf("%s: post_count %d, last_posted_at %v; want %d, %v", c.v.Username, got.PostCount, got.LastPostedAt, c.want, now)
		}
	}
}

// Who may reply where: the same answers as the thread page gives.
func TestReplyTargets(t *testing.T) {
	f := newFixture(t)
	anna := viewerOf(t, f.a, "anna", auth.RoleMember)
	mona := viewerOf(t, f.a, "mona", auth.RoleModerator)
	if _, err := f.a.Forum.CreateForum(f.ctx, f.admin, forum.ForumInput{Name: "Back room", Slug: "back-room", Visibility: "staff"}); err != nil {
		t.Fatal(err)
	}
	open, _, err := f.a.Forum.CreateThread(f.ctx, anna, "general", forum.ThreadInput{Title: "Open thread", Body: "hi"})
	if err != nil {
		t.Fatal(err)
	}
	staff, _, err := f.a.Forum.CreateThread(f.ctx, mona, "back-room", forum.ThreadInput{Title: "Staff only", Body: "hi"})
	if err != nil {
		t.Fatal(err)
	}
	locked, _, err := f.a.Forum.CreateThread(f.ctx, anna, "general", forum.ThreadInput{Title: "Locked thread", Body: "hi"})
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	if _, err := f.a.Forum.UpdateThread(f.ctx, mona, locked.ID, forum.ThreadPatch{Locked: &yes}); err != nil {
		t.Fatal(err)
	}
	gone, first, err := f.a.Forum.CreateThread(f.ctx, anna, "general", forum.ThreadInput{Title: "Deleted thread", Body: "hi"})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.a.Forum.DeletePost(f.ctx, anna, first.ID); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		v      *auth.Viewer
		thread int64
		want   errs.Kind // 0: the reply is made
	}{
		{"member in an open thread", anna, open.ID, 0},
		{"anonymous", auth.Anonymous(), open.ID, errs.KindUnauthenticated},
		{"member in a staff forum", anna, staff.ID, errs.KindNotFound},
		{"staff in a staff forum", mona, staff.ID, 0},
		{"member in a locked thread", anna, locked.ID, errs.KindForbidden},
		{"staff in a locked thread", mona, locked.ID, 0},
		{"deleted thread", anna, gone.ID, errs.KindNotFound},
		{"no such thread", anna, 999999, errs.KindNotFound},
	} {
		p, err := f.a.Forum.Reply(f.ctx, c.v, c.thread, "a reply")
		switch {
		case c.want == 0 && (err != nil || p.ThreadID != c.thread || p.Number < 2):
			t.Errorf("%s: %+v, %v", c.name, p, err)
		case c.want != 0 && !errs.Is(err, c.want):
			t.Errorf("%s: got %v, want kind %v", c.name, err, c.want)
		}
	}
}
