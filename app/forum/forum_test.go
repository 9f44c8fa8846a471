package forum_test

import (
	"context"
	"fmt"
	"testing"

	"parley/app/apptest"
	"parley/app/auth"
	"parley/app/forum"
	"parley/app/store"
)

type fixture struct {
	a     *apptest.App
	ctx   context.Context
	admin *auth.Viewer
}

func viewerOf(t *testing.T, a *apptest.App, name string, role auth.Role) *auth.Viewer {
	t.Helper()
	u, err := a.Auth.CreateUser(context.Background(), auth.Registration{Username: name, Email: name + "@example.com", Password: apptest.Password}, role, 0)
	if err != nil {
		t.Fatal(err)
	}
	return &auth.Viewer{ID: u.ID, Username: u.Username, Role: u.Role, CreatedAt: u.CreatedAt}
}

func newFixture(t *testing.T) *fixture {
	a := apptest.New(t)
	f := &fixture{a: a, ctx: context.Background(), admin: viewerOf(t, a, "root_admin", auth.RoleAdmin)}
	if _, err := a.Forum.CreateForum(f.ctx, f.admin, forum.ForumInput{Name: "General", Slug: "general"}); err != nil {
		t.Fatal(err)
	}
	return f
}

// A thread page costs the same number of queries whatever it holds: no N+1
// over posts, authors or reactions, and deep pages cost what page 1 costs.
func TestThreadPageQueryCountIsConstant(t *testing.T) {
	f := newFixture(t)
	var people []*auth.Viewer
	for i := range 5 {
		people = append(people, viewerOf(t, f.a, fmt.Sprintf("user%d", i), auth.RoleMember))
	}
	small, _, err := f.a.Forum.CreateThread(f.ctx, people[0], "general", forum.ThreadInput{Title: "Small thread", Body: "one"})
	if err != nil {
		t.Fatal(err)
	}
	big, _, err := f.a.Forum.CreateThread(f.ctx, people[0], "general", forum.ThreadInput{Title: "Big thread", Body: "one @user1"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 65 {
		p, err := f.a.Forum.Reply(f.ctx, people[i%5], big.ID, fmt.Sprintf("reply %d to @user%d", i, (i+1)%5))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.a.Forum.React(f.ctx, people[(i+2)%5], p.ID, "like"); err != nil {
			t.Fatal(err)
		}
	}
	reader := viewerOf(t, f.a, "reader", auth.RoleMember)
	ctx, n := store.CountQueries(f.ctx)
	measure := func(v *auth.Viewer, id int64, page int) int64 {
		t.Helper()
		n.Store(0)
		tp, err := f.a.Forum.ThreadPage(ctx, v, id, page)
		if err != nil {
			t.Fatal(err)
		}
		if id == big.ID && page < 4 && len(tp.Posts) != forum.PageSize {
			t.Fatalf("page %d has %d posts", page, len(tp.Posts))
		}
		return n.Load()
	}
	anon := auth.Anonymous()
	base := measure(anon, small.ID, 1)
	for _, page := range []int{1, 2, 4} {
		if got := measure(anon, big.ID, page); got != base {
			t.Errorf("anonymous page %d of a big thread: %d queries, small thread: %d", page, got, base)
		}
	}
	if base < 1 || base > 2 {
		t.Errorf("anonymous thread page takes %d queries, want 1 or 2 (0 means the counter is broken)", base)
	}
	// Signed in adds a fixed number (read position and its update).
	first := measure(reader, big.ID, 1)
	second := measure(reader, big.ID, 3)
	if first != second || first > base+2 {
		t.Errorf("signed-in pages: %d and %d queries (anonymous %d)", first, second, base)
	}
}

// Unread counts per forum and "new since last visit" markers.
func TestUnreadAndNewMarkers(t *testing.T) {
	f := newFixture(t)
	anna := viewerOf(t, f.a, "anna", auth.RoleMember)
	ben := viewerOf(t, f.a, "ben", auth.RoleMember)
	th, _, err := f.a.Forum.CreateThread(f.ctx, anna, "general", forum.ThreadInput{Title: "Unread test", Body: "one"})
	if err != nil {
		t.Fatal(err)
	}
	unread := func() int64 {
		fs, err := f.a.Forum.Forums(f.ctx, ben)
		if err != nil {
			t.Fatal(err)
		}
		return fs[0].Unread
	}
	if got := unread(); got != 1 {
		t.Fatalf("ben has %d unread threads, want 1", got)
	}
	tp, err := f.a.Forum.ThreadPage(f.ctx, ben, th.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	if tp.FirstNew != 0 {
		t.Fatalf("a thread opened for the first time marks post %d new", tp.FirstNew)
	}
	if got := unread(); got != 0 {
		t.Fatalf("after reading: %d unread", got)
	}
	for i := range 3 {
		if _, err := f.a.Forum.Reply(f.ctx, anna, th.ID, fmt.Sprintf("reply %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if got := unread(); got != 1 {
		t.Fatalf("after new replies: %d unread", got)
	}
	list, err := f.a.Forum.Threads(f.ctx, ben, "general", 1, "")
	if err != nil {
		t.Fatal(err)
	}
	if u := list.Threads[0].Unread(); u != 3 {
		t.Fatalf("thread list shows %d unread posts, want 3", u)
	}
	tp, err = f.a.Forum.ThreadPage(f.ctx, ben, th.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	if tp.FirstNew != 2 || !tp.Posts[1].New || tp.Posts[0].New {
		t.Fatalf("first new %d, posts new: %v %v", tp.FirstNew, tp.Posts[0].New, tp.Posts[1].New)
	}
	if err := f.a.Forum.MarkForumRead(f.ctx, anna, "general"); err != nil {
		t.Fatal(err)
	}
}

// A change that fails part-way leaves neither the change nor its event: the
// thread row and its event are written before the post insert fails.
func TestFailedChangeLeavesNoEvent(t *testing.T) {
	f := newFixture(t)
	anna := viewerOf(t, f.a, "anna", auth.RoleMember)
	var stmts []string
	if f.a.Store.Dialect == "postgres" {
		stmts = []string{
			`CREATE FUNCTION refuse_boom() RETURNS trigger AS $$ BEGIN IF NEW.body = 'boom' THEN RAISE EXCEPTION 'boom refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
			`CREATE TRIGGER refuse_boom BEFORE INSERT ON posts FOR EACH ROW EXECUTE FUNCTION refuse_boom()`,
		}
	} else {
		stmts = []string{`CREATE TRIGGER refuse_boom BEFORE INSERT ON posts WHEN NEW.body = 'boom' BEGIN SELECT RAISE(ABORT, 'boom refused'); END`}
	}
	for _, s := range stmts {
		if err := f.a.Store.W.Exec(s).Error; err != nil {
			t.Fatal(err)
		}
	}
	counts := func() (n [4]int64) {
		for i, q := range []string{"SELECT COUNT(*) FROM threads", "SELECT COUNT(*) FROM posts", "SELECT COUNT(*) FROM events", "SELECT thread_count FROM forums WHERE slug = 'general'"} {
			if err := f.a.Store.R.Raw(q).Scan(&n[i]).Error; err != nil {
				t.Fatal(err)
			}
		}
		return n
	}
	before := counts()
	_, _, err := f.a.Forum.CreateThread(f.ctx, anna, "general", forum.ThreadInput{Title: "This will fail", Body: "boom"})
	if err == nil {
		t.Fatal("the trigger did not refuse the post")
	}
	if after := counts(); after != before {
		t.Fatalf("a failed thread left state behind: %v -> %v", before, after)
	}
	// The same call without the poison succeeds and writes both events.
	if _, _, err := f.a.Forum.CreateThread(f.ctx, anna, "general", forum.ThreadInput{Title: "This will work", Body: "fine"}); err != nil {
		t.Fatal(err)
	}
	after := counts()
	if after[0] != before[0]+1 || after[1] != before[1]+1 || after[2] != before[2]+2 {
		t.Fatalf("a good thread wrote %v -> %v", before, after)
	}
	last, err := f.a.Store.LastEventID(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := f.a.Store.EventByID(f.ctx, last)
	if err != nil || ev.Type != "post.created" || ev.Scope != "forum:1" {
		t.Fatalf("last event %+v %v", ev, err)
	}
}

// Keyset paging walks the whole list, pinned first, without repeats or gaps,
// and agrees with the numbered pages.
func TestThreadListCursor(t *testing.T) {
	f := newFixture(t)
	anna := viewerOf(t, f.a, "anna", auth.RoleMember)
	var ids []int64
	for i := range 45 {
		th, _, err := f.a.Forum.CreateThread(f.ctx, anna, "general", forum.ThreadInput{Title: fmt.Sprintf("Thread number %d", i), Body: "x"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, th.ID)
	}
	yes := true
	if _, err := f.a.Forum.UpdateThread(f.ctx, f.admin, ids[3], forum.ThreadPatch{Pinned: &yes}); err != nil {
		t.Fatal(err)
	}
	var byCursor, byPage []int64
	cursor := ""
	for step := 0; ; step++ {
		list, err := f.a.Forum.Threads(f.ctx, anna, "general", 1, cursor)
		if err != nil {
			t.Fatal(err)
		}
		for _, th := range list.Threads {
			byCursor = append(byCursor, th.ID)
		}
		if list.NextCursor == "" {
			break
		}
		cursor = list.NextCursor
		if step > 5 {
			t.Fatal("cursor paging does not end")
		}
	}
	for page := 1; page <= 3; page++ {
		list, err := f.a.Forum.Threads(f.ctx, anna, "general", page, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, th := range list.Threads {
			byPage = append(byPage, th.ID)
		}
	}
	if len(byCursor) != 45 || fmt.Sprint(byCursor) != fmt.Sprint(byPage) {
		t.Fatalf("cursor order %v\npage order   %v", byCursor, byPage)
	}
	if byCursor[0] != ids[3] || byCursor[1] != ids[44] {
		t.Fatalf("pinned first, then newest: got %v", byCursor[:3])
	}
	if _, err := f.a.Forum.Threads(f.ctx, anna, "general", 1, "garbage!"); err == nil {
		t.Fatal("a forged cursor was accepted")
	}
}
