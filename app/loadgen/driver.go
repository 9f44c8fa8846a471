package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// RunOptions configure a load run against a running server.
type RunOptions struct {
	URL         string // loopback only
	DataDir     string // where build wrote the manifest and tokens
	Duration    time.Duration
	Warmup      time.Duration // requests before the measurement starts are not recorded
	Concurrency int
	// Writers caps how many workers send writes (replies, reactions) at
	// once; each write holds one of the writer accounts' tokens.
	Writers int
	Mix     string // "thread_html=50,thread_json=20,forum_list=15,reply=10,react=5"
	// DeepPage pins the page of the *_deep operations (0: random deep pages).
	DeepPage    int
	MaxRequests int64 // 0: no cap
	// Rate, when positive, sends this many requests per second in total on
	// a fixed schedule (open loop) instead of as fast as the workers can;
	// latency is then measured from each request's scheduled time, so a
	// server that falls behind is charged for the wait (no coordinated
	// omission). Concurrency must be high enough to keep the schedule.
	Rate float64
	// Skew, when positive, picks thread pages for thread_html/thread_json
	// by a Zipf law with this exponent (1.1 is typical of real traffic: a
	// few hot threads take most reads) instead of uniformly over the
	// sampled pages. Uniform is the worst case for the page cache.
	Skew    float64
	Timeout time.Duration // per request
	PID     int           // server process for RSS figures (0: none)
	Seed    uint64
	// Manifest and Tokens, when nil, are read from DataDir.
	Manifest *Manifest
	Tokens   []string
	// Search is the query set of the search mix entries; when nil and the
	// mix has any, it is read from DataDir or calibrated (see
	// LoadSearchQueries). SearchSort is sent as their sort ("": relevance).
	Search     *SearchQueries
	SearchSort string
	// Progress receives one line per second (nil: quiet).
	Progress io.Writer
}

// DefaultMix is the mix of the issue: mostly anonymous reading.
const DefaultMix = "thread_html=50,thread_json=20,forum_list=15,reply=10,react=5"

// Operations names every operation a mix may use.
var Operations = []string{"thread_html", "thread_html_deep", "thread_html_p1", "thread_json", "thread_json_deep",
	"thread_json_p1", "forum_list", "forum_json", "home", "reply", "react"}

type request struct {
	label, method, path string
	body                []byte
	want                int
}

type operation struct {
	name   string
	weight float64
	write  bool
	next   func(r *rand.Rand) request
}

// CheckLoopback refuses any target that is not this machine: the driver is
// a load generator and must not be pointed at someone else's server.
func CheckLoopback(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("loadgen: bad url %q: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("loadgen: url %q: use http:// or https://", raw)
	}
	host := u.Hostname()
	if host == "localhost" {
		return u, nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("loadgen: refusing %q: only loopback targets (127.0.0.0/8, ::1, localhost) may be loaded", host)
	}
	return u, nil
}

// ParseMix reads "name=weight,…".
func ParseMix(s string) (map[string]float64, error) {
	out := map[string]float64{}
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, w, ok := strings.Cut(part, "=")
		name = strings.TrimSpace(name)
		weight, err := strconv.ParseFloat(strings.TrimSpace(w), 64)
		if !ok || err != nil || weight < 0 {
			return nil, fmt.Errorf("loadgen: mix entry %q: want name=weight", part)
		}
		if !slices.Contains(Operations, name) && !isSearchOp(name) {
			return nil, fmt.Errorf("loadgen: unknown operation %q in the mix (known: %s, %s)", name, strings.Join(Operations, ", "), strings.Join(SearchOperations, ", "))
		}
		out[name] += weight
	}
	total := 0.0
	for _, w := range out {
		total += w
	}
	if total <= 0 {
		return nil, errors.New("loadgen: the mix has no positive weight")
	}
	return out, nil
}

// operations turns the mix into request generators over the manifest.
func operations(mix map[string]float64, m *Manifest, deepPage int, skew float64, seed uint64, qs *SearchQueries, searchSort string) ([]operation, error) {
	classWeight := map[string]float64{ClassSmall: 45, ClassMedium: 25, ClassLarge: 15, ClassBig: 15}
	var classes []string
	var cw []float64
	for _, c := range []string{ClassSmall, ClassMedium, ClassLarge, ClassBig} {
		if len(m.ThreadSample[c]) > 0 {
			classes = append(classes, c)
			cw = append(cw, classWeight[c])
		}
	}
	if len(classes) == 0 {
		return nil, errors.New("loadgen: the manifest lists no public threads")
	}
	big := m.ThreadSample[ClassBig]
	forums := m.PublicForums()
	deepFrom := max(1, m.DeepFrom)
	anyThread := func(r *rand.Rand) (ThreadRef, bool) {
		c := classes[weighted(r, cw)]
		ts := m.ThreadSample[c]
		return ts[r.IntN(len(ts))], c == ClassBig
	}
	deep := func(r *rand.Rand, t ThreadRef) int {
		if deepPage > 0 {
			return min(deepPage, t.Pages)
		}
		if t.Pages <= deepFrom {
			return t.Pages
		}
		return deepFrom + 1 + r.IntN(t.Pages-deepFrom)
	}
	threadPath := func(prefix string, id int64, page int) string {
		p := prefix + strconv.FormatInt(id, 10)
		if page > 1 {
			p += "?page=" + strconv.Itoa(page)
		}
		return p
	}
	forumPage := func(r *rand.Rand, f ForumRef) int {
		if f.Pages <= 1 || r.IntN(10) < 8 {
			return 1
		}
		return 2 + r.IntN(min(f.Pages, 25)-1)
	}
	replyBodies := makeReplyBodies(m)
	kinds := []string{"like", "like", "like", "thanks", "insightful"}
	var hot *zipfPages
	if skew > 0 {
		hot = newZipfPages(m, skew, seed)
	}
	threadOp := func(name, prefix string) func(r *rand.Rand) request {
		return func(r *rand.Rand) request {
			t, isBig := anyThread(r)
			page := 1 + r.IntN(t.Pages)
			if hot != nil {
				t, page, isBig = hot.pick(r)
			}
			label := name
			if isBig && page > deepFrom {
				label = name + "_deep"
			}
			return request{label: label, method: http.MethodGet, path: threadPath(prefix, t.ID, page), want: http.StatusOK}
		}
	}
	var ops []operation
	for name, w := range mix {
		if w == 0 {
			continue
		}
		op := operation{name: name, weight: w}
		if isSearchOp(name) {
			next, err := searchOp(name, qs, searchSort)
			if err != nil {
				return nil, err
			}
			op.next = next
			ops = append(ops, op)
			continue
		}
		needBig := strings.HasSuffix(name, "_deep") || strings.HasSuffix(name, "_p1")
		if needBig && len(big) == 0 {
			return nil, fmt.Errorf("loadgen: %s needs big threads; build at least 1,000 posts", name)
		}
		prefix := "/t/"
		if strings.HasPrefix(name, "thread_json") {
			prefix = "/api/v1/threads/"
		}
		switch name {
		case "thread_html", "thread_json":
			op.next = threadOp(name, prefix)
		case "thread_html_deep", "thread_json_deep":
			op.next = func(r *rand.Rand) request {
				t := big[r.IntN(len(big))]
				return request{label: name, method: http.MethodGet, path: threadPath(prefix, t.ID, deep(r, t)), want: http.StatusOK}
			}
		case "thread_html_p1", "thread_json_p1":
			op.next = func(r *rand.Rand) request {
				t := big[r.IntN(len(big))]
				return request{label: name, method: http.MethodGet, path: threadPath(prefix, t.ID, 1), want: http.StatusOK}
			}
		case "forum_list", "forum_json":
			if len(forums) == 0 {
				return nil, errors.New("loadgen: the manifest lists no public forums")
			}
			op.next = func(r *rand.Rand) request {
				f := forums[r.IntN(len(forums))]
				path := "/f/" + f.Slug
				if name == "forum_json" {
					path = "/api/v1/forums/" + f.Slug + "/threads"
				}
				if p := forumPage(r, f); p > 1 {
					path += "?page=" + strconv.Itoa(p)
				}
				return request{label: name, method: http.MethodGet, path: path, want: http.StatusOK}
			}
		case "home":
			op.next = func(*rand.Rand) request {
				return request{label: name, method: http.MethodGet, path: "/", want: http.StatusOK}
			}
		case "reply":
			if len(m.ReplyThreads) == 0 {
				return nil, errors.New("loadgen: the manifest lists no threads to reply to")
			}
			op.write = true
			op.next = func(r *rand.Rand) request {
				id := m.ReplyThreads[r.IntN(len(m.ReplyThreads))]
				// Some replies go to the big threads, like live megathreads.
				if len(big) > 0 && r.IntN(10) == 0 {
					id = big[r.IntN(len(big))].ID
				}
				return request{label: name, method: http.MethodPost, path: "/api/v1/threads/" + strconv.FormatInt(id, 10) + "/posts",
					body: replyBodies[r.IntN(len(replyBodies))], want: http.StatusCreated}
			}
		case "react":
			if len(m.ReactionPosts) == 0 {
				return nil, errors.New("loadgen: the manifest lists no posts to react to")
			}
			op.write = true
			op.next = func(r *rand.Rand) request {
				id := m.ReactionPosts[r.IntN(len(m.ReactionPosts))]
				return request{label: name, method: http.MethodPut, want: http.StatusOK,
					path: "/api/v1/posts/" + strconv.FormatInt(id, 10) + "/reactions/" + kinds[r.IntN(len(kinds))]}
			}
		}
		ops = append(ops, op)
	}
	// A stable order, so the same seed sends the same requests.
	slices.SortFunc(ops, func(a, b operation) int { return strings.Compare(a.name, b.name) })
	return ops, nil
}

func weighted(r *rand.Rand, w []float64) int {
	total := 0.0
	for _, x := range w {
		total += x
	}
	x := r.Float64() * total
	for i, v := range w {
		if x -= v; x < 0 {
			return i
		}
	}
	return len(w) - 1
}

func makeReplyBodies(m *Manifest) [][]byte {
	r := rand.New(rand.NewPCG(m.Seed, 42)) //nolint:gosec // reproducible request bodies
	members := max(1, int(m.Users)-len(m.TokenUsers))
	mention := func() string { return Username(r.IntN(min(members, 300))) }
	out := make([][]byte, 200)
	for i := range out {
		var mf func() string
		if r.IntN(6) == 0 {
			mf = mention
		}
		b, _ := json.Marshal(map[string]string{"body": Body(r, BodyLength(r), mf)})
		out[i] = b
	}
	return out
}

// NewClient is an HTTP client tuned for load: keep-alive with one idle
// connection per worker, no proxy, no compression.
func NewClient(concurrency int, timeout time.Duration) *http.Client {
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        concurrency * 2,
		MaxIdleConnsPerHost: concurrency,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
	return &http.Client{Transport: tr, Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Run drives the server at o.URL for o.Duration at o.Concurrency and
// returns the per-route statistics. It stops by itself: at the end of the
// duration (requests in flight finish, bounded by the timeout), after
// MaxRequests, or when ctx ends.
func Run(ctx context.Context, o RunOptions) (*Report, error) {
	base, err := CheckLoopback(o.URL)
	if err != nil {
		return nil, err
	}
	if o.Duration <= 0 {
		return nil, errors.New("loadgen: duration must be positive")
	}
	o.Concurrency = max(1, o.Concurrency)
	if o.Writers <= 0 || o.Writers > o.Concurrency {
		o.Writers = o.Concurrency
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Mix == "" {
		o.Mix = DefaultMix
	}
	mix, err := ParseMix(o.Mix)
	if err != nil {
		return nil, err
	}
	m := o.Manifest
	if m == nil {
		if m, err = LoadManifest(o.DataDir); err != nil {
			return nil, err
		}
	}
	if o.Skew < 0 || o.Skew > 5 {
		return nil, errors.New("loadgen: skew must be 0 (uniform) or a Zipf exponent up to 5")
	}
	qs := o.Search
	if qs == nil && slices.ContainsFunc(slices.Collect(maps.Keys(mix)), isSearchOp) {
		if qs, err = LoadSearchQueries(ctx, o.URL, o.DataDir, m, SearchCalibration{Seed: o.Seed, Progress: o.Progress}); err != nil {
			return nil, err
		}
	}
	ops, err := operations(mix, m, o.DeepPage, o.Skew, o.Seed, qs, o.SearchSort)
	if err != nil {
		return nil, err
	}
	writes := false
	weights := make([]float64, len(ops))
	for i, op := range ops {
		weights[i] = op.weight
		writes = writes || op.write
	}
	tokens := make(chan string, o.Writers)
	if writes {
		toks := o.Tokens
		if toks == nil {
			if toks, err = LoadTokens(o.DataDir); err != nil {
				return nil, err
			}
		}
		for i := range o.Writers {
			tokens <- toks[i%len(toks)]
		}
	}
	root := strings.TrimRight(base.String(), "/")
	client := NewClient(o.Concurrency, o.Timeout)
	defer client.CloseIdleConnections()

	rep := &Report{URL: root, Mix: o.Mix, Concurrency: o.Concurrency, Writers: o.Writers, Rate: o.Rate, Skew: o.Skew, Duration: o.Duration.String(),
		Warmup: o.Warmup.String(), LoadBefore: LoadAverage()}
	var rss *RSS
	stopSampling := func() {}
	if o.PID > 0 {
		if _, _, err := ProcStatus(o.PID); err != nil {
			return nil, fmt.Errorf("loadgen: server pid %d: %w", o.PID, err)
		}
		rss = &RSS{PID: o.PID}
		sctx, cancel := context.WithCancel(ctx)
		var swg sync.WaitGroup
		swg.Add(1)
		go func() {
			defer swg.Done()
			t := time.NewTicker(250 * time.Millisecond)
			defer t.Stop()
			for {
				if kb, _, err := ProcStatus(o.PID); err == nil {
					rss.SampledKB = max(rss.SampledKB, kb)
				}
				select {
				case <-sctx.Done():
					return
				case <-t.C:
				}
			}
		}()
		stopSampling = func() { cancel(); swg.Wait() }
	}

	start := time.Now()
	measureFrom := start.Add(o.Warmup)
	deadline := measureFrom.Add(o.Duration)
	// Hard stop: the duration, plus time for the last requests to finish.
	rctx, cancel := context.WithDeadline(ctx, deadline.Add(o.Timeout+time.Second))
	defer cancel()
	rep.StartedAt = measureFrom.UTC()
	var sent, done, slot atomic.Int64
	cpuStarted := make(chan struct{})
	results := make([]map[string]*routeStats, o.Concurrency)
	var wg sync.WaitGroup
	for w := range o.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(o.Seed, uint64(w)+1)) //nolint:gosec // reproducible request sequence
			local := map[string]*routeStats{}
			results[w] = local
			for rctx.Err() == nil && time.Now().Before(deadline) {
				if o.MaxRequests > 0 && sent.Add(1) > o.MaxRequests {
					return
				}
				var scheduled time.Time
				if o.Rate > 0 {
					k := slot.Add(1) - 1
					scheduled = start.Add(time.Duration(float64(k) / o.Rate * float64(time.Second)))
					if !scheduled.Before(deadline) {
						return
					}
					if wait := time.Until(scheduled); wait > 0 {
						select {
						case <-time.After(wait):
						case <-rctx.Done():
							return
						}
					}
				}
				op := &ops[weighted(r, weights)]
				req := op.next(r)
				token := ""
				if op.write {
					select {
					case token = <-tokens:
					case <-rctx.Done():
						return
					}
				}
				began := time.Now()
				if o.Rate > 0 {
					began = scheduled
				}
				code := do(rctx, client, root, req, token)
				d := time.Since(began)
				if op.write {
					tokens <- token
				}
				if rctx.Err() != nil && code == "net" {
					return // cancelled at the hard stop, not a server error
				}
				if began.Before(measureFrom) {
					continue
				}
				s := local[req.label]
				if s == nil {
					s = &routeStats{}
					local[req.label] = s
				}
				s.add(d, code)
				done.Add(1)
			}
		}()
	}
	if o.Progress != nil {
		go func() {
			t := time.NewTicker(time.Second)
			defer t.Stop()
			last := int64(0)
			for {
				select {
				case <-rctx.Done():
					return
				case now := <-t.C:
					if now.After(deadline) {
						return
					}
					n := done.Load()
					phase := "measuring"
					if now.Before(measureFrom) {
						phase = "warming up"
					}
					fmt.Fprintf(o.Progress, "%5.0fs %s: %d requests, %d/s\n", now.Sub(start).Seconds(), phase, n, n-last)
					last = n
				}
			}
		}()
	}
	// CPU shares over the measurement only (taken when it starts).
	var cpuStart cpuSample
	go func() {
		select {
		case <-time.After(time.Until(measureFrom)):
			cpuStart = sampleCPU(o.PID)
			close(cpuStarted)
		case <-rctx.Done():
			close(cpuStarted)
		}
	}()
	wg.Wait()
	<-cpuStarted
	cpuEnd := sampleCPU(o.PID)
	elapsed := time.Since(measureFrom)
	if elapsed > o.Duration+o.Timeout {
		elapsed = o.Duration
	}
	stopSampling()
	merged := map[string]*routeStats{}
	for _, local := range results {
		for label, s := range local {
			if merged[label] == nil {
				merged[label] = &routeStats{}
			}
			merged[label].merge(s)
		}
	}
	rep.Elapsed = elapsed.Seconds()
	rep.Routes, rep.Total = buildReport(merged, elapsed)
	rep.LoadAfter = LoadAverage()
	rep.CPU = cpuBetween(cpuStart, cpuEnd, runtime.NumCPU())
	if rss != nil {
		end, hwm, err := ProcStatus(o.PID)
		if err == nil {
			rss.EndKB, rss.HWMKB = end, hwm
			rss.SampledKB = max(rss.SampledKB, end)
		}
		rep.RSS = rss
	}
	return rep, ctx.Err()
}

// do sends one request and reads the whole body; it returns "" for the
// expected status, else the status code or "net" for transport errors.
func do(ctx context.Context, c *http.Client, root string, rq request, token string) string {
	var body io.Reader
	if rq.body != nil {
		body = bytes.NewReader(rq.body)
	}
	req, err := http.NewRequestWithContext(ctx, rq.method, root+rq.path, body)
	if err != nil {
		return "net"
	}
	if rq.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if strings.HasPrefix(rq.path, "/api/") {
		req.Header.Set("Accept", "application/json")
	}
	// Like every browser; the body is drained, not inflated: inflating is
	// client work that would only take CPU from the server measured here.
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := c.Do(req)
	if err != nil {
		return "net"
	}
	_, err = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return "net"
	}
	if resp.StatusCode != rq.want {
		return strconv.Itoa(resp.StatusCode)
	}
	return ""
}
