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

// TestSearch calibrates a query set on a small set through an in-process
// server, measures every kind briefly, and mixes search with reading.
func TestSearch(t *testing.T) {
	ctx := context.Background()
	a := newApp(t)
	if _, err := loadgen.Build(ctx, a, loadgen.BuildOptions{Posts: 600, Users: 20, Forums: 3, Writers: 1, Seed: 3, Bodies: 40}); err != nil {
		t.Fatal(err)
	}
	last, err := a.Store.LastEventID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); a.Search.Position() < last || a.Search.Rebuilding(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("index at event %d of %d", a.Search.Position(), last)
		}
	}
	srv, err := web.New(a)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	// At 600 posts from 40 bodies every word is in many posts: wide bands.
	cal := loadgen.SearchCalibration{Sample: 200, PerKind: 5, Ordinary: loadgen.Band{Lo: 0.001, Hi: 0.12}, Common: loadgen.Band{Lo: 0.12, Hi: 0.9}}
	dir := a.Config.DataDir
	rep, err := loadgen.Search(ctx, loadgen.SearchOptions{URL: ts.URL, DataDir: dir, Duration: 300 * time.Millisecond,
		Concurrency: 2, PID: os.Getpid(), Calibration: cal})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	rep.WriteTable(&out)
	t.Log("\n" + out.String())
	if len(rep.Kinds) != len(loadgen.SearchKinds) {
		t.Fatalf("%d kinds reported", len(rep.Kinds))
	}
	for _, k := range rep.Kinds {
		r := k.Run
		if k.Queries == 0 || r.Requests == 0 || r.Errors != 0 || r.P50 > r.P90 || r.P90 > r.P99 || r.P99 > r.Max || r.RPS <= 0 {
			t.Errorf("%s: %d queries, %+v", k.Kind, k.Queries, r)
		}
		if k.Kind == loadgen.KindSuggest {
			continue
		}
		band := cal.Ordinary
		if k.Kind == loadgen.KindCommon {
			band = cal.Common
		}
		if k.DF == nil || k.DF.Min < band.Lo || k.DF.Max > band.Hi || k.Hits == nil || k.Hits.Min == 0 {
			t.Errorf("%s: class words %+v, results %+v; band %v", k.Kind, k.DF, k.Hits, band)
		}
	}
	if _, err := os.Stat(dir + "/" + loadgen.SearchFile); err != nil {
		t.Fatal(err)
	}

	// The saved set serves run's mix entries: search beside reading.
	run, err := loadgen.Run(ctx, loadgen.RunOptions{URL: ts.URL, DataDir: dir, Duration: 500 * time.Millisecond, Concurrency: 4,
		Mix: "thread_json=40,search=40,suggest=20"})
	if err != nil {
		t.Fatal(err)
	}
	searches := 0
	for _, r := range run.Routes {
		if r.Errors != 0 {
			t.Errorf("%s: %d errors %v", r.Route, r.Errors, r.ByCode)
		}
		if strings.HasPrefix(r.Route, "search_") {
			searches += int(r.Requests)
		}
	}
	if run.Route("suggest") == nil || run.Route("thread_json") == nil || searches == 0 {
		t.Fatalf("routes: %+v", run.Routes)
	}
}
