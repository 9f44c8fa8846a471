package loadgen_test

import (
	"context"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"parley/app/loadgen"
	"parley/app/web"
)

// TestWatch runs the watchers measurement small against an in-process
// server: every client gets every reply exactly once, with the post
// attached, and the report has every figure.
func TestWatch(t *testing.T) {
	ctx := context.Background()
	a := newApp(t)
	if _, err := loadgen.Build(ctx, a, loadgen.BuildOptions{Posts: 400, Users: 20, Forums: 2, Writers: 1, Seed: 5, Bodies: 20}); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(a)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	const clients, replies = 50, 5
	rep, err := loadgen.Watch(ctx, loadgen.WatchOptions{URL: ts.URL, DataDir: a.Config.DataDir, Clients: clients, Replies: replies,
		Baseline: 2, Interval: 20 * time.Millisecond, Settle: 10 * time.Millisecond, Wait: 5 * time.Second, PID: os.Getpid()})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	rep.WriteTable(&out)
	t.Log("\n" + out.String())
	if rep.Connected != clients || rep.DialErrors != 0 || rep.ReplyErrors != 0 {
		t.Fatalf("connected %d, dial errors %d, reply errors %d", rep.Connected, rep.DialErrors, rep.ReplyErrors)
	}
	if rep.Expected != clients*replies || rep.Delivered != rep.Expected || rep.Missing != 0 || rep.Duplicates != 0 {
		t.Fatalf("deliveries: %d of %d, %d missing, %d duplicates", rep.Delivered, rep.Expected, rep.Missing, rep.Duplicates)
	}
	if rep.WithPost != rep.Delivered {
		t.Fatalf("%d of %d deliveries carried the post", rep.WithPost, rep.Delivered)
	}
	if rep.ReplyAlone.N != 2 || rep.ReplyWatched.N != replies || rep.LastDelivery.N != replies || rep.Delivery.N != clients*replies ||
		rep.LastFromSend.N != replies || rep.LastDelivery.P50 > rep.LastDelivery.P99 || rep.LastFromSend.P99 < rep.LastDelivery.P99 {
		t.Fatalf("figures: %+v", rep)
	}
	m := rep.Memory
	if m == nil || m.Conns != clients || m.Before.RSSKB == 0 || m.Before.HeapAlloc == 0 || m.Idle.Goroutines < m.Before.Goroutines+clients {
		t.Fatalf("memory: %+v", m)
	}
	if rep.CPU == nil {
		t.Fatal("no cpu figures")
	}
	// The clients are closed when Watch returns.
	for deadline := time.Now().Add(5 * time.Second); a.Realtime.Stats().Conns != 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d connections still open", a.Realtime.Stats().Conns)
		}
	}
}
