package forum_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"parley/app/auth"
	"parley/app/forum"
	"parley/app/render"
	"parley/app/store"
)

const replyBenchBody = `Thanks @writer0 — I had the same problem with the **Ridgeline 2** last spring.

> the pole section near the hub cracked after a cold night

1. Slide the repair sleeve over the crack
2. Tape both ends with *two* wraps

Works fine ` + "`until the next trip`" + `.`

// BenchmarkReplyConcurrent: 8 members reply at once (closed loop) through
// forum.Service on one SQLite file with synchronous=FULL, without the HTTP
// server, so the figures are the service's and the store's alone.
func BenchmarkReplyConcurrent(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(ctx, store.Options{SQLitePath: filepath.Join(b.TempDir(), "bench.db"), SQLiteSync: "FULL"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	users, err := auth.New(ctx, st, auth.PasswordParams{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16})
	if err != nil {
		b.Fatal(err)
	}
	svc := forum.New(st, users, render.New(), forum.Options{})
	mk := func(name string, role auth.Role) *auth.Viewer {
		u, err := users.CreateUser(ctx, auth.Registration{Username: name, Email: name + "@example.com", Password: "correct horse battery staple"}, role, 0)
		if err != nil {
			b.Fatal(err)
		}
		return &auth.Viewer{ID: u.ID, Username: u.Username, Role: u.Role, CreatedAt: u.CreatedAt.Add(-time.Hour)}
	}
	admin := mk("bench_admin", auth.RoleAdmin)
	if _, err := svc.CreateForum(ctx, admin, forum.ForumInput{Name: "Bench", Slug: "bench"}); err != nil {
		b.Fatal(err)
	}
	const writers = 8
	var vs []*auth.Viewer
	var threads []int64
	for i := range writers {
		v := mk(fmt.Sprintf("writer%d", i), auth.RoleMember)
		vs = append(vs, v)
		if i < 4 {
			t, _, err := svc.CreateThread(ctx, v, "bench", forum.ThreadInput{Title: fmt.Sprintf("Thread number %d", i), Body: "first"})
			if err != nil {
				b.Fatal(err)
			}
			threads = append(threads, t.ID)
		}
	}
	var mu sync.Mutex
	lat := make([]time.Duration, 0, b.N)
	var wg sync.WaitGroup
	work := make(chan struct{}, writers)
	b.ResetTimer()
	start := time.Now()
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for range work {
				t0 := time.Now()
				if _, err := svc.Reply(ctx, vs[i], threads[i%len(threads)], replyBenchBody); err != nil {
					b.Error(err)
					return
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	for range b.N {
		work <- struct{}{}
	}
	close(work)
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(lat)
	if len(lat) == 0 {
		return
	}
	at := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "replies/s")
}
