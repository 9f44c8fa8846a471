package loadgen_test

import (
	"context"
	"io"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"parley/app"
	"parley/app/apptest"
	"parley/app/auth"
	"parley/app/config"
	"parley/app/forum"
	"parley/app/loadgen"
	"parley/app/web"
)

// newApp opens an empty, migrated app in a temp folder (or a fresh
// PostgreSQL database when PARLEY_TEST_DATABASE_URL is set). The posting
// interval keeps its default, so the driver's replies prove the writers
// are exempt from it.
func newApp(t *testing.T) *app.App {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.LogLevel = "error"
	if base := os.Getenv("PARLEY_TEST_DATABASE_URL"); base != "" {
		cfg.DatabaseURL = apptest.FreshPostgres(t, base)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	a, err := app.New(context.Background(), cfg, app.Options{LogOutput: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	return a
}

func count(t *testing.T, a *app.App, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := a.Store.R.Raw(q, args...).Scan(&n).Error; err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func verify(t *testing.T, a *app.App) {
	t.Helper()
	checks, err := loadgen.Verify(context.Background(), a, true)
	if err != nil {
		t.Fatal(err)
	}
	if bad := loadgen.Failed(checks); bad != "" {
		t.Fatalf("inconsistent data set: %s", bad)
	}
}

// TestBuildAndRun builds a 5,000-post set, checks it through the real app,
// then drives an in-process server on it and checks the app's own writes
// kept every invariant.
func TestBuildAndRun(t *testing.T) {
	ctx := context.Background()
	a := newApp(t)
	dir := a.Config.DataDir
	res, err := loadgen.Build(ctx, a, loadgen.BuildOptions{Posts: 5000, Users: 200, Forums: 4, Writers: 4, Seed: 7, Bodies: 300})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("counts", func(t *testing.T) {
		if res.Posts != 5000 || count(t, a, "SELECT COUNT(*) FROM posts") != 5000 {
			t.Fatalf("posts: result %d, rows %d", res.Posts, count(t, a, "SELECT COUNT(*) FROM posts"))
		}
		if n := count(t, a, "SELECT COUNT(*) FROM threads"); n != res.Threads || n < 100 {
			t.Fatalf("threads: result %d, rows %d", res.Threads, n)
		}
		if n := count(t, a, "SELECT COUNT(*) FROM users"); n != 1+4+200 {
			t.Fatalf("users: %d", n)
		}
		if n := count(t, a, "SELECT COUNT(*) FROM reactions"); n != res.Reactions || n == 0 {
			t.Fatalf("reactions: result %d, rows %d", res.Reactions, n)
		}
		if n := count(t, a, "SELECT COUNT(*) FROM mentions"); n != res.Mentions || n == 0 {
			t.Fatalf("mentions: result %d, rows %d", res.Mentions, n)
		}
		// One event per change: every post, thread, reaction, account and forum.
		if n := count(t, a, "SELECT COUNT(*) FROM events WHERE type IN ('post.created', 'thread.created')"); n != res.Posts+res.Threads {
			t.Fatalf("post and thread events: %d, want %d", n, res.Posts+res.Threads)
		}
		if n := count(t, a, "SELECT COUNT(*) FROM events"); n != res.Posts+res.Threads+res.Reactions+res.Users+res.Forums {
			t.Fatalf("events: %d", n)
		}
		if n := count(t, a, "SELECT COUNT(*) FROM posts WHERE length(body) < 50 OR length(body) > 2000 OR html = ''"); n != 0 {
			t.Fatalf("%d posts with a body outside 50–2,000 characters or no HTML", n)
		}
		if n := count(t, a, "SELECT COUNT(*) FROM threads WHERE last_number BETWEEN 1 AND 15"); n*10 < res.Threads*8 {
			t.Fatalf("only %d of %d threads have 1–15 posts", n, res.Threads)
		}
		verify(t, a)
	})

	m, err := loadgen.LoadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("big threads through the forum service", func(t *testing.T) {
		big := m.ThreadSample[loadgen.ClassBig]
		if len(big) != 3 || big[0].Posts < 50 {
			t.Fatalf("big threads: %+v", big)
		}
		for _, b := range big {
			for _, page := range []int{1, b.Pages / 2, b.Pages} {
				tp, err := a.Forum.ThreadPage(ctx, auth.Anonymous(), b.ID, page)
				if err != nil {
					t.Fatalf("thread %d page %d: %v", b.ID, page, err)
				}
				want := forum.PageSize
				if page == b.Pages {
					want = b.Posts - (b.Pages-1)*forum.PageSize
				}
				if len(tp.Posts) != want || tp.Pages != b.Pages {
					t.Fatalf("thread %d page %d: %d posts of %d pages, want %d of %d", b.ID, page, len(tp.Posts), tp.Pages, want, b.Pages)
				}
				for i, p := range tp.Posts {
					if p.Number != (page-1)*forum.PageSize+i+1 || !strings.Contains(p.HTML, "<p>") {
						t.Fatalf("thread %d page %d post %d: number %d, html %.40q", b.ID, page, i, p.Number, p.HTML)
					}
				}
			}
		}
		list, err := a.Forum.Threads(ctx, auth.Anonymous(), m.Forums[0].Slug, 1, "")
		if err != nil || len(list.Threads) == 0 || !list.Threads[0].Pinned {
			t.Fatalf("forum list: %v, %+v", err, list)
		}
	})

	t.Run("accounts sign in and tokens work", func(t *testing.T) {
		if _, _, err := a.Auth.Login(ctx, m.TokenUsers[1], loadgen.Password, "127.0.0.1"); err != nil {
			t.Fatalf("writer login: %v", err)
		}
		if _, _, err := a.Auth.Login(ctx, loadgen.Username(3), loadgen.Password, "127.0.0.1"); err != nil {
			t.Fatalf("member login: %v", err)
		}
		toks, err := loadgen.LoadTokens(dir)
		if err != nil || len(toks) != 5 {
			t.Fatalf("tokens: %v %d", err, len(toks))
		}
		v, err := a.Auth.TokenViewer(ctx, toks[1])
		if err != nil || v.Role != auth.RoleModerator || v.Username != m.TokenUsers[1] {
			t.Fatalf("token viewer: %v %+v", err, v)
		}
	})

	t.Run("driver against an in-process server", func(t *testing.T) {
		srv, err := web.New(a)
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(srv.Handler())
		defer ts.Close()
		mix := "thread_html=25,thread_html_deep=5,thread_html_p1=5,thread_json=10,thread_json_deep=5,thread_json_p1=5," +
			"forum_list=10,forum_json=10,home=5,reply=10,react=10"
		rep, err := loadgen.Run(ctx, loadgen.RunOptions{URL: ts.URL, DataDir: dir, Duration: 2 * time.Second,
			Concurrency: 4, Writers: 2, Mix: mix, Seed: 3, PID: os.Getpid()})
		if err != nil {
			t.Fatal(err)
		}
		var out strings.Builder
		rep.WriteTable(&out)
		t.Log("\n" + out.String())
		for _, op := range loadgen.Operations {
			rr := rep.Route(op)
			if rr == nil || rr.Requests == 0 {
				t.Errorf("route %s missing from the report", op)
				continue
			}
			if rr.Errors != 0 {
				t.Errorf("route %s: %d errors %v", op, rr.Errors, rr.ByCode)
			}
			if rr.P50 <= 0 || rr.P50 > rr.P99 || rr.P99 > rr.Max {
				t.Errorf("route %s: percentiles out of order: %+v", op, rr)
			}
		}
		if rep.Total.Errors != 0 || rep.RSS == nil || rep.RSS.HWMKB == 0 {
			t.Fatalf("total %+v, rss %+v", rep.Total, rep.RSS)
		}
		// The app's own replies and reactions keep every invariant of the set.
		verify(t, a)

		// Open loop: a fixed schedule, not as fast as possible.
		rep, err = loadgen.Run(ctx, loadgen.RunOptions{URL: ts.URL, DataDir: dir, Duration: time.Second,
			Concurrency: 4, Mix: "thread_json=1,reply=1", Rate: 40, Seed: 4})
		if err != nil {
			t.Fatal(err)
		}
		if n := rep.Total.Requests; n < 30 || n > 40 || rep.Total.Errors != 0 {
			t.Fatalf("open loop at 40/s for 1s: %d requests, %d errors", n, rep.Total.Errors)
		}
	})
}

func TestBuildIsDeterministic(t *testing.T) {
	digest := func() string {
		a := newApp(t)
		if _, err := loadgen.Build(context.Background(), a, loadgen.BuildOptions{Posts: 1200, Users: 50, Forums: 3, Writers: 1, Seed: 11, Bodies: 50}); err != nil {
			t.Fatal(err)
		}
		var rows []string
		err := a.Store.R.Raw(`SELECT p.thread_id || ':' || p.number || ':' || p.user_id || ':' || length(p.body) || ':' || p.like_count
			FROM posts p ORDER BY p.id`).Scan(&rows).Error
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(rows, ",")
	}
	first, second := digest(), digest()
	if first != second {
		t.Fatal("the same seed built different data")
	}
}

func TestBuildRefusesAFullDatabase(t *testing.T) {
	a := newApp(t)
	if _, err := a.Auth.CreateUser(context.Background(), auth.Registration{Username: "someone", Email: "someone@example.com", Password: "a-long-enough-password"}, auth.RoleMember, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := loadgen.Build(context.Background(), a, loadgen.BuildOptions{Posts: 10, Users: 5}); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Fatalf("err = %v", err)
	}
}

func TestCheckLoopback(t *testing.T) {
	for _, ok := range []string{"http://127.0.0.1:8080", "http://localhost:1", "http://127.9.9.9", "http://[::1]:8080/x"} {
		if _, err := loadgen.CheckLoopback(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"http://10.0.0.1:8080", "http://example.com", "http://0.0.0.0:8080", "http://[::]:80",
		"ftp://127.0.0.1", "http://127.0.0.1.example.com", "http://localhost.example.com"} {
		if _, err := loadgen.CheckLoopback(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestParseMix(t *testing.T) {
	m, err := loadgen.ParseMix(loadgen.DefaultMix)
	if err != nil || len(m) != 5 || m["thread_html"] != 50 {
		t.Fatalf("%v %v", m, err)
	}
	for _, bad := range []string{"", "thread_html", "nope=1", "reply=-1", "reply=0"} {
		if _, err := loadgen.ParseMix(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestRunRefusesOtherHosts(t *testing.T) {
	_, err := loadgen.Run(context.Background(), loadgen.RunOptions{URL: "http://192.0.2.1:8080", DataDir: t.TempDir(), Duration: time.Second})
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("err = %v", err)
	}
}

func TestBodiesAndTitles(t *testing.T) {
	r := newRand(5)
	for range 500 {
		b := loadgen.Body(r, loadgen.BodyLength(r), func() string { return "anna_tent1" })
		if len(b) < 50 || len(b) > 2000 {
			t.Fatalf("body of %d bytes: %q", len(b), b)
		}
		if n := len([]rune(loadgen.Title(r))); n < 5 || n > 120 {
			t.Fatalf("title of %d runes", n)
		}
	}
	for i := 0; i < 1000000; i += 997 {
		if _, _, err := auth.NormalizeUsername(loadgen.Username(i)); err != nil {
			t.Fatalf("Username(%d) = %q: %v", i, loadgen.Username(i), err)
		}
	}
}

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 1)) }
