package demo_test

import (
	"context"
	"testing"

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
}
