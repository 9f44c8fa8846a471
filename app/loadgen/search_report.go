package loadgen

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
)

// SearchOptions configure a search measurement: each kind in turn, for
// Duration after Warmup, at Concurrency searchers (closed loop).
type SearchOptions struct {
	URL         string // loopback only
	DataDir     string
	Kinds       []string // SearchKinds when empty
	Duration    time.Duration
	Warmup      time.Duration
	Concurrency int
	Sort        string // "" (relevance) or "newest"
	Timeout     time.Duration
	PID         int
	Seed        uint64
	Calibration SearchCalibration
	// Manifest and Queries, when nil, are read from DataDir (the queries
	// calibrated against the server when none are saved).
	Manifest *Manifest
	Queries  *SearchQueries
	Progress io.Writer
}

// SearchKindReport is one kind's row: the words it used and the latency.
type SearchKindReport struct {
	Kind    string `json:"kind"`
	Queries int    `json:"queries"`
	// The class word's document frequency over the kind's queries (posts
	// and share of searchable posts), and the queries' result counts.
	DF   *DFRange    `json:"df,omitempty"`
	Hits *HitsRange  `json:"hits,omitempty"`
	Run  RouteReport `json:"latency"`
	// Examples are a few of the queries with their counts.
	Examples   []SearchQuery `json:"examples"`
	CPU        *CPU          `json:"cpu,omitempty"`
	LoadBefore string        `json:"loadavg_before"`
	LoadAfter  string        `json:"loadavg_after"`
}

// DFRange is the spread of the class words' document frequencies.
type DFRange struct {
	MinPosts    int64   `json:"min_posts"`
	MedianPosts int64   `json:"median_posts"`
	MaxPosts    int64   `json:"max_posts"`
	Min         float64 `json:"min_share"`
	Median      float64 `json:"median_share"`
	Max         float64 `json:"max_share"`
}

// HitsRange is the spread of the queries' result counts.
type HitsRange struct {
	Min    int64 `json:"min"`
	Median int64 `json:"median"`
	Max    int64 `json:"max"`
}

// SearchReport is the result of Search.
type SearchReport struct {
	URL          string             `json:"url"`
	Sort         string             `json:"sort"`
	Concurrency  int                `json:"concurrency"`
	Duration     string             `json:"duration"`
	Warmup       string             `json:"warmup"`
	StartedAt    time.Time          `json:"started_at"`
	VisiblePosts int64              `json:"visible_posts"`
	Ordinary     Band               `json:"ordinary_band"`
	Common       Band               `json:"common_band"`
	CalibratedAt time.Time          `json:"calibrated_at"`
	Kinds        []SearchKindReport `json:"kinds"`
	RSS          *RSS               `json:"rss,omitempty"`
	LoadBefore   string             `json:"loadavg_before"`
	LoadAfter    string             `json:"loadavg_after"`
}

// Search measures each kind of search in turn against the server.
func Search(ctx context.Context, o SearchOptions) (*SearchReport, error) {
	if _, err := CheckLoopback(o.URL); err != nil {
		return nil, err
	}
	kinds := o.Kinds
	if len(kinds) == 0 {
		kinds = SearchKinds
	}
	for _, k := range kinds {
		if !slices.Contains(SearchKinds, k) {
			return nil, fmt.Errorf("loadgen: unknown search kind %q (known: %s)", k, strings.Join(SearchKinds, ", "))
		}
	}
	if o.Sort != "" && o.Sort != "relevance" && o.Sort != "newest" {
		return nil, errors.New(`loadgen: sort is "relevance" or "newest"`)
	}
	m := o.Manifest
	if m == nil {
		var err error
		if m, err = LoadManifest(o.DataDir); err != nil {
			return nil, err
		}
	}
	qs := o.Queries
	if qs == nil {
		c := o.Calibration
		if c.Progress == nil {
			c.Progress = o.Progress
		}
		var err error
		if qs, err = LoadSearchQueries(ctx, o.URL, o.DataDir, m, c); err != nil {
			return nil, err
		}
	}
	sort := o.Sort
	if sort == "" {
		sort = "relevance"
	}
	rep := &SearchReport{URL: o.URL, Sort: sort, Concurrency: max(1, o.Concurrency), Duration: o.Duration.String(), Warmup: o.Warmup.String(),
		StartedAt: time.Now().UTC(), VisiblePosts: qs.VisiblePosts, Ordinary: qs.Ordinary, Common: qs.Common, CalibratedAt: qs.CalibratedAt,
		LoadBefore: LoadAverage()}
	seed := o.Seed
	for _, k := range kinds {
		seed++ // each kind its own request sequence
		name := "search_" + k
		if k == KindSuggest {
			name = "suggest"
		}
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, "%s: %d queries, %s at concurrency %d\n", k, len(qs.Kinds[k]), o.Duration, rep.Concurrency)
		}
		sortParam := ""
		if o.Sort == "newest" {
			sortParam = "newest"
		}
		run, err := Run(ctx, RunOptions{URL: o.URL, DataDir: o.DataDir, Duration: o.Duration, Warmup: o.Warmup, Concurrency: o.Concurrency,
			Mix: name + "=1", Timeout: o.Timeout, PID: o.PID, Seed: seed, Manifest: m, Search: qs, SearchSort: sortParam})
		if run == nil {
			return nil, err
		}
		kr := SearchKindReport{Kind: k, Queries: len(qs.Kinds[k]), CPU: run.CPU, LoadBefore: run.LoadBefore, LoadAfter: run.LoadAfter,
			DF: dfRange(qs.Kinds[k]), Hits: hitsRange(qs.Kinds[k]), Examples: qs.Kinds[k][:min(6, len(qs.Kinds[k]))]}
		kr.Run = run.Total
		kr.Run.Route = name
		rep.Kinds = append(rep.Kinds, kr)
		rep.RSS = run.RSS
		if err != nil {
			return rep, err
		}
	}
	rep.LoadAfter = LoadAverage()
	return rep, nil
}

func dfRange(qs []SearchQuery) *DFRange {
	var posts []int64
	var shares []float64
	for _, q := range qs {
		if q.Rarest != nil {
			posts = append(posts, q.Rarest.Posts)
			shares = append(shares, q.Rarest.Share)
		}
	}
	if len(posts) == 0 {
		return nil
	}
	slices.Sort(posts)
	slices.Sort(shares)
	n := len(posts)
	return &DFRange{MinPosts: posts[0], MedianPosts: posts[n/2], MaxPosts: posts[n-1], Min: shares[0], Median: shares[n/2], Max: shares[n-1]}
}

func hitsRange(qs []SearchQuery) *HitsRange {
	var hits []int64
	for _, q := range qs {
		if q.Hits > 0 {
			hits = append(hits, q.Hits)
		}
	}
	if len(hits) == 0 {
		return nil
	}
	slices.Sort(hits)
	return &HitsRange{Min: hits[0], Median: hits[len(hits)/2], Max: hits[len(hits)-1]}
}

// WriteTable prints the report: the query classes, then one latency row
// per kind in the style of run's table.
func (r *SearchReport) WriteTable(w io.Writer) {
	fmt.Fprintf(w, "target %s  sort %s  concurrency %d, each kind %s (warm-up %s)\n", r.URL, r.Sort, r.Concurrency, r.Duration, r.Warmup)
	fmt.Fprintf(w, "%d searchable posts; ordinary words in %s of them, common in %s (queries calibrated %s)\n",
		r.VisiblePosts, r.Ordinary, r.Common, r.CalibratedAt.Format(time.RFC3339))
	fmt.Fprintf(w, "load average before: %s   after: %s\n\n", r.LoadBefore, r.LoadAfter)
	fmt.Fprintf(w, "%-8s %7s  %-38s %-26s %s\n", "kind", "queries", "class word in posts (min / median / max)", "results (min / median / max)", "e.g.")
	for _, k := range r.Kinds {
		df, hits := "—", "—"
		if k.DF != nil {
			df = fmt.Sprintf("%s / %s / %s", pct(k.DF.Min), pct(k.DF.Median), pct(k.DF.Max))
		}
		if k.Hits != nil {
			hits = fmt.Sprintf("%d / %d / %d", k.Hits.Min, k.Hits.Median, k.Hits.Max)
		}
		var eg []string
		for _, q := range k.Examples[:min(3, len(k.Examples))] {
			s := q.Q
			if q.Rarest != nil {
				s += fmt.Sprintf(" (%s: %d)", q.Rarest.Word, q.Rarest.Posts)
			}
			eg = append(eg, s)
		}
		fmt.Fprintf(w, "%-8s %7d  %-38s %-26s %s\n", k.Kind, k.Queries, df, hits, strings.Join(eg, "; "))
	}
	fmt.Fprintf(w, "\n%-14s %9s %7s %9s %8s %8s %8s %8s %8s  %-13s %s\n", "route", "requests", "errors", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "mean ms", "server/driver", "load (1 min)")
	for _, k := range r.Kinds {
		rr := k.Run
		cpu := "—"
		if k.CPU != nil {
			cpu = fmt.Sprintf("%.2f / %.2f", k.CPU.ServerCores, k.CPU.DriverCores)
		}
		load, _, _ := strings.Cut(k.LoadAfter, " ")
		fmt.Fprintf(w, "%-14s %9d %7d %9.1f %8.2f %8.2f %8.2f %8.1f %8.2f  %-13s %s\n", rr.Route, rr.Requests, rr.Errors, rr.RPS, rr.P50, rr.P90, rr.P99, rr.Max, rr.Mean, cpu, load)
	}
	if r.RSS != nil {
		fmt.Fprintf(w, "\nserver pid %d: VmRSS at end %.1f MB, VmHWM (peak) %.1f MB\n", r.RSS.PID, float64(r.RSS.EndKB)/1024, float64(r.RSS.HWMKB)/1024)
	}
}

// WriteJSON writes the report to a file.
func (r *SearchReport) WriteJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o600)
}
