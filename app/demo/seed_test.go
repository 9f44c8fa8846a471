package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"parley/app/apptest"
	"parley/app/auth"
	"parley/app/demo"
)

func TestSeedBuildsTheCommunity(t *testing.T) {
	a := apptest.New(t)
	res, err := demo.Seed(context.Background(), a.App)
	if err != nil {
		t.Fatal(err)
	}
	if res.Forums < 4 || res.Threads < 30 || res.Posts < 300 || res.Users < 20 {
		t.Fatalf("seeded %+v; the issue asks for 4+ forums, 30+ threads, 300+ posts, 20+ users", res)
	}
	var n int64
	a.Store.R.Raw("SELECT COUNT(*) FROM posts").Scan(&n)
	if n != int64(res.Posts) {
		t.Fatalf("%d posts in the database, %d reported", n, res.Posts)
	}
	for _, role := range []string{"member", "moderator", "manager", "admin"} {
		a.Store.R.Raw("SELECT COUNT(*) FROM users WHERE role = ?", role).Scan(&n)
		if n == 0 {
			t.Errorf("no %s account", role)
		}
	}
	a.Store.R.Raw("SELECT COUNT(*) FROM events WHERE type = 'post.created'").Scan(&n)
	if n != int64(res.Posts) {
		t.Errorf("%d post events for %d posts", n, res.Posts)
	}
	// Visitors see the public forums only; the admin sees all.
	anon, err := a.Forum.Forums(context.Background(), auth.Anonymous())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range anon {
		if f.Visibility != "public" {
			t.Errorf("a visitor sees %s (%s)", f.Slug, f.Visibility)
		}
	}
	if len(anon) >= res.Forums {
		t.Errorf("visitors see all %d forums", len(anon))
	}
	var pinned, locked int64
	a.Store.R.Raw("SELECT COUNT(*) FROM threads WHERE pinned").Scan(&pinned)
	a.Store.R.Raw("SELECT COUNT(*) FROM threads WHERE locked").Scan(&locked)
	if pinned == 0 || locked == 0 {
		t.Errorf("pinned %d, locked %d", pinned, locked)
	}
	if _, err := a.Auth.UserByName(context.Background(), demo.AdminUsername); err != nil {
		t.Fatal(err)
	}
	t.Run("german forum", func(t *testing.T) { checkGermanForum(t, a) })
}

// checkGermanForum: the German forum is seeded with its language, and its
// posts are searched with the German analyzer ("Kundendienst" finds the
// plural). It shares the seeded app: a seed takes many seconds.
func checkGermanForum(t *testing.T, a *apptest.App) {
	ctx := context.Background()
	f, err := a.Forum.ForumBySlug(ctx, auth.Anonymous(), "fernwood-de")
	if err != nil {
		t.Fatal(err)
	}
	if f.Language != "de" || f.Visibility != "public" {
		t.Errorf("fernwood-de: language %q, visibility %q", f.Language, f.Visibility)
	}
	var threads int64
	a.Store.R.Raw("SELECT COUNT(*) FROM threads WHERE forum_id = ?", f.ID).Scan(&threads)
	if threads < 4 {
		t.Errorf("fernwood-de has %d threads", threads)
	}

	last, err := a.Store.LastEventID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	apptest.Eventually(t, "the index to catch up with the seed", 60*time.Second, func() bool {
		return a.Search.Position() >= last && !a.Search.Rebuilding()
	})
	res, err := a.Search.Search(ctx, auth.Anonymous(), "Kundendienst forum:fernwood-de", 1, "")
	if err != nil {
		t.Fatal(err)
	}
	plural := false
	for _, r := range res.Results {
		if r.Forum.Slug != "fernwood-de" {
			t.Errorf("forum:fernwood-de found a post in %s", r.Forum.Slug)
		}
		plural = plural || strings.Contains(r.Snippet, "<mark>Kundendienste</mark>")
	}
	if res.Total < 3 || !plural {
		t.Errorf("Kundendienst: %d results, the plural marked: %v", res.Total, plural)
	}
	// Suggestions come from German titles too.
	sug, err := a.Search.Suggest(ctx, auth.Anonymous(), "tourenber")
	if err != nil {
		t.Fatal(err)
	}
	if len(sug) == 0 || sug[0].Forum.Slug != "fernwood-de" {
		t.Errorf("suggestions for tourenber: %+v", sug)
	}
}
