package moderation_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"gorm.io/gorm"

	"parley/app/apptest"
	"parley/app/auth"
	"parley/app/errs"
	"parley/app/forum"
	"parley/app/guidelines"
	"parley/app/moderation"
)

var ctx = context.Background()

// testGuidelines has four sections.
const testGuidelines = "Be kind to each other.\n\n## Be civil\n\nNo insults.\n\n## No spam\n\nNo ads.\n\n## Stay on topic\n\nKeep threads focused.\n\n## Keep it legal\n\nNo piracy.\n"

// world is an app with forums general (public), club (members), staff-room
// (staff) and beta (a private group nobody but admins and its members
// sees), and a moderation service on a clock the test moves.
type world struct {
	t     *testing.T
	a     *apptest.App
	m     *moderation.Service
	admin *auth.Viewer
	now   time.Time
}

func newWorld(t *testing.T) *world {
	t.Helper()
	a := apptest.New(t)
	w := &world{t: t, a: a, now: time.Now().UTC().Truncate(time.Microsecond)} // PostgreSQL keeps microseconds
	w.m = moderation.New(a.Store, a.Forum, a.Site, a.Guidelines)
	w.m.SetClock(func() time.Time { return w.now })
	w.admin = w.user("root_admin", auth.RoleAdmin, 0)
	w.exec("INSERT INTO user_groups (slug, name) VALUES ('beta', 'Beta testers')")
	if _, err := a.Guidelines.Publish(ctx, w.admin, guidelines.Change{Body: testGuidelines, Summary: "Four sections"}); err != nil {
		t.Fatalf("publish guidelines: %v", err)
	}
	for _, f := range []forum.ForumInput{
		{Name: "General", Slug: "general", Visibility: "public"},
		{Name: "Club", Slug: "club", Visibility: "members"},
		{Name: "Staff room", Slug: "staff-room", Visibility: "staff"},
		{Name: "Beta", Slug: "beta", Visibility: "group:beta"},
		{Name: "Deutsch", Slug: "deutsch", Visibility: "public", Language: "de"},
	} {
		if _, err := a.Forum.CreateForum(ctx, w.admin, f); err != nil {
			t.Fatalf("create forum %s: %v", f.Slug, err)
		}
	}
	return w
}

// exec runs a statement in a write transaction (test set-up only).
func (w *world) exec(sql string, args ...any) {
	w.t.Helper()
	if err := w.a.Store.Tx(ctx, func(tx *gorm.DB) error { return tx.Exec(sql, args...).Error }); err != nil {
		w.t.Fatalf("%s: %v", sql, err)
	}
}

// user creates an account with a role and trust level and returns its viewer.
func (w *world) user(name string, role auth.Role, trust int) *auth.Viewer {
	w.t.Helper()
	u, err := w.a.Auth.CreateUser(ctx, auth.Registration{Username: name, Email: name + "@example.com", Password: apptest.Password}, role, 0)
	if err != nil {
		w.t.Fatalf("create %s: %v", name, err)
	}
	if trust > 0 {
		w.exec("UPDATE users SET trust_level = ? WHERE id = ?", trust, u.ID)
	}
	return w.viewer(u.ID)
}

func (w *world) viewer(id int64) *auth.Viewer {
	w.t.Helper()
	vs, err := w.a.Auth.Viewers(ctx, []int64{id})
	if err != nil || vs[id] == nil {
		w.t.Fatalf("viewer %d: %v", id, err)
	}
	return vs[id]
}

// post starts a thread in forum as v and returns its first post.
func (w *world) post(v *auth.Viewer, slug, title string) *forum.PostView {
	w.t.Helper()
	_, p, err := w.a.Forum.CreateThread(ctx, v, slug, forum.ThreadInput{Title: title, Body: "Text of " + title})
	if err != nil {
		w.t.Fatalf("create thread %q: %v", title, err)
	}
	return p
}

func (w *world) reply(v *auth.Viewer, threadID int64, body string) *forum.PostView {
	w.t.Helper()
	p, err := w.a.Forum.Reply(ctx, v, threadID, body)
	if err != nil {
		w.t.Fatalf("reply: %v", err)
	}
	return p
}

func (w *world) flag(v *auth.Viewer, postID int64, reason string) {
	w.t.Helper()
	if _, err := w.m.Flag(ctx, v, postID, moderation.FlagInput{Reason: reason, Note: "see " + reason}); err != nil {
		w.t.Fatalf("%s flags %d: %v", v.Username, postID, err)
	}
}

// hidden reports whether a post is hidden, as staff see it.
func (w *world) hidden(postID int64) bool {
	w.t.Helper()
	p, _, err := w.a.Forum.PostByID(ctx, w.admin, postID)
	if err != nil {
		w.t.Fatal(err)
	}
	return p.Hidden
}

// events lists the log's events of a type after id, decoded.
func (w *world) events(after int64, typ string) []map[string]any {
	w.t.Helper()
	evs, err := w.a.Store.EventsAfter(ctx, after, 10000)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []map[string]any
	for _, ev := range evs {
		if ev.Type != typ {
			continue
		}
		m := map[string]any{"_scope": ev.Scope}
		if err := json.Unmarshal([]byte(ev.Payload), &m); err != nil {
			w.t.Fatal(err)
		}
		m["_scope"] = ev.Scope
		out = append(out, m)
	}
	return out
}

// changes counts the events that are not the notifier's: it writes its
// own in the background, whenever it catches up.
func (w *world) changes() int64 {
	w.t.Helper()
	return w.count("SELECT COUNT(*) FROM events WHERE type NOT LIKE 'notification.%'")
}

func (w *world) lastEvent() int64 {
	w.t.Helper()
	id, err := w.a.Store.LastEventID(ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	return id
}

// count is a COUNT(*) query.
func (w *world) count(sql string, args ...any) int64 {
	w.t.Helper()
	var n int64
	if err := w.a.Store.R.Raw(sql, args...).Scan(&n).Error; err != nil {
		w.t.Fatal(err)
	}
	return n
}

// onlyItem is the pending item of a post.
func (w *world) itemOf(v *auth.Viewer, postID int64) *moderation.Item {
	w.t.Helper()
	q, err := w.m.Queue(ctx, v, moderation.QueueFilter{Limit: moderation.MaxLimit})
	if err != nil {
		w.t.Fatal(err)
	}
	for i := range q.Items {
		if q.Items[i].Post != nil && q.Items[i].Post.ID == postID {
			return &q.Items[i]
		}
	}
	w.t.Fatalf("no pending item for post %d in %s's queue", postID, v.Username)
	return nil
}

// wantErr fails unless err is an errs.Error of kind k.
func wantErr(t *testing.T, what string, err error, k errs.Kind) {
	t.Helper()
	if e, ok := errs.As(err); !ok || e.Kind != k {
		t.Fatalf("%s: got %v, want kind %d", what, err, k)
	}
}
