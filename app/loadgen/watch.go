package loadgen

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// WatchOptions configure a watchers run: Clients websocket clients follow
// one thread while one writer replies to it, as an AMA's audience would.
type WatchOptions struct {
	URL     string // loopback only
	DataDir string // manifest and tokens
	Clients int
	// Replies are posted while the clients watch; Baseline more before
	// they connect, for the reply's own latency with no watchers (0: as
	// many as Replies; negative: none).
	Replies  int
	Baseline int
	Interval time.Duration // between the starts of two replies (200 ms)
	Thread   int64         // the thread to watch (0: the manifest's first reply thread)
	Dialers  int           // connections being opened at once (64)
	// Settle is the idle time after the last client subscribed, before the
	// server's memory is read (presence messages go out meanwhile).
	Settle time.Duration
	// GCWait, when positive, reads each memory figure only after the
	// server has collected garbage since the previous reading (it waits up
	// to GCWait): the heap figures are then live memory, not the garbage
	// of the connections' handshakes. Go collects at least every 2
	// minutes; `parley-load serve --gc-every 1s` collects every second.
	GCWait  time.Duration
	Wait    time.Duration // after the last reply, the longest wait for deliveries (10 s)
	Timeout time.Duration // per request and per connection set-up (10 s)
	PID     int           // server process for RSS and CPU (0: none)
	// Manifest and Tokens, when nil, are read from DataDir.
	Manifest *Manifest
	Tokens   []string
	Progress io.Writer // progress lines (nil: quiet)
}

// Latency summarises durations in milliseconds.
type Latency struct {
	N    int     `json:"n"`
	Mean float64 `json:"mean_ms"`
	P50  float64 `json:"p50_ms"`
	P99  float64 `json:"p99_ms"`
	Max  float64 `json:"max_ms"`
}

func summary(d []time.Duration) Latency {
	if len(d) == 0 {
		return Latency{}
	}
	slices.Sort(d)
	var sum time.Duration
	for _, x := range d {
		sum += x
	}
	return Latency{N: len(d), Mean: ms(sum / time.Duration(len(d))), P50: ms(percentile(d, 50)), P99: ms(percentile(d, 99)), Max: ms(d[len(d)-1])}
}

// ServerMemory is one reading of the server's memory: VmRSS from /proc
// and the Go runtime's figures from its /metrics.
type ServerMemory struct {
	RSSKB      int64   `json:"vmrss_kb,omitempty"`
	HeapAlloc  float64 `json:"heap_alloc_bytes"`
	HeapInuse  float64 `json:"heap_inuse_bytes"`
	StackInuse float64 `json:"stack_inuse_bytes"`
	Goroutines float64 `json:"goroutines"`
	GCs        float64 `json:"gc_cycles"`
	// AfterGC: read right after a collection (GCWait), so HeapAlloc is
	// the live heap.
	AfterGC bool `json:"after_gc"`
}

// WatchMemory compares the server before the clients connected with the
// server holding them all, idle.
type WatchMemory struct {
	Before ServerMemory `json:"before"`
	Idle   ServerMemory `json:"idle"`
	Conns  int          `json:"connections"`
	// Per idle connection: VmRSS growth, and Go heap (allocated) plus
	// goroutine stacks growth.
	RSSPerConnKB       float64 `json:"vmrss_per_connection_kb,omitempty"`
	HeapStackPerConnKB float64 `json:"heap_stack_per_connection_kb"`
}

// WatchReport is the result of Watch. Delivery times run from the moment
// the writer had the reply's 201 to the moment a client had the event.
type WatchReport struct {
	URL        string    `json:"url"`
	Thread     int64     `json:"thread"`
	Clients    int       `json:"clients"`
	Connected  int       `json:"connected"`
	DialErrors int       `json:"dial_errors"`
	ConnectS   float64   `json:"connect_s"`
	Replies    int       `json:"replies"`
	Interval   string    `json:"interval"`
	StartedAt  time.Time `json:"started_at"`
	LoadBefore string    `json:"loadavg_before"`
	LoadAfter  string    `json:"loadavg_after"`

	ReplyAlone   Latency `json:"reply_no_watchers"` // request to 201, nobody connected
	ReplyWatched Latency `json:"reply_watched"`     // request to 201, the clients watching
	ReplyErrors  int     `json:"reply_errors"`
	// LastDelivery has one value per reply: when its last client had it.
	LastDelivery Latency `json:"last_delivery"`
	// Delivery has every delivery of every reply to every client.
	Delivery Latency `json:"delivery"`
	// LastFromSend is LastDelivery counted from when the writer sent the
	// reply: what the audience of a reply waits, the reply itself included.
	LastFromSend Latency `json:"last_delivery_from_send"`
	// Slowest are the replies whose last delivery took longest, for
	// finding what disturbed them (a periodic burst shows as a spacing).
	Slowest []SlowReply `json:"slowest,omitempty"`

	Expected   int64 `json:"expected"`   // connected clients × replies
	Delivered  int64 `json:"delivered"`  // distinct (client, reply) deliveries
	Missing    int64 `json:"missing"`    // expected but never delivered within Wait
	Duplicates int64 `json:"duplicates"` // a reply delivered twice to one client
	WithPost   int64 `json:"with_post"`  // deliveries that carried the post (data.post)
	// Early deliveries reached a client before the writer had its 201
	// (the fan-out and the response race); they count as 0 ms.
	Early int64 `json:"early"`

	Memory *WatchMemory `json:"memory,omitempty"`
	CPU    *CPU         `json:"cpu,omitempty"` // while the clients watched the replies
}

// SlowReply is one reply of WatchReport.Slowest.
type SlowReply struct {
	Index  int     `json:"index"`   // 0 for the first reply with watchers
	SentS  float64 `json:"sent_s"`  // seconds after the first reply with watchers
	LastMS float64 `json:"last_ms"` // 201 → last client
	WaitMS float64 `json:"reply_ms"`
}

// delivery is one post.created a client read, at a time since the run began.
type delivery struct {
	post     int64
	at       time.Duration
	withPost bool
}

// watcher is one websocket client; only its reader goroutine appends to got.
type watcher struct {
	ws  *websocket.Conn
	got []delivery
}

// Watch runs a watchers measurement against a running server: Baseline
// replies with nobody watching, then Clients connections subscribed to one
// thread, the server's memory with them idle, then Replies replies and when
// each client had each of them. It stops by itself: the replies take
// about Replies × Interval, then at most Wait for the last deliveries.
func Watch(ctx context.Context, o WatchOptions) (*WatchReport, error) {
	base, err := CheckLoopback(o.URL)
	if err != nil {
		return nil, err
	}
	if o.Clients < 0 || o.Replies <= 0 {
		return nil, errors.New("loadgen: watch needs clients ≥ 0 and replies > 0")
	}
	switch {
	case o.Baseline < 0:
		o.Baseline = 0
	case o.Baseline == 0:
		o.Baseline = o.Replies
	}
	if o.Interval <= 0 {
		o.Interval = 200 * time.Millisecond
	}
	if o.Dialers <= 0 {
		o.Dialers = 64
	}
	if o.Wait <= 0 {
		o.Wait = 10 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	m := o.Manifest
	if m == nil {
		if m, err = LoadManifest(o.DataDir); err != nil {
			return nil, err
		}
	}
	toks := o.Tokens
	if toks == nil {
		if toks, err = LoadTokens(o.DataDir); err != nil {
			return nil, err
		}
	}
	thread := o.Thread
	if thread == 0 {
		if len(m.ReplyThreads) == 0 {
			return nil, errors.New("loadgen: the manifest lists no threads to reply to")
		}
		thread = m.ReplyThreads[0]
	}
	root := strings.TrimRight(base.String(), "/")
	w := &writer{client: NewClient(2, o.Timeout), root: root, thread: thread, token: toks[len(toks)-1], bodies: makeReplyBodies(m)}
	defer w.client.CloseIdleConnections()
	rep := &WatchReport{URL: root, Thread: thread, Clients: o.Clients, Replies: o.Replies, Interval: o.Interval.String(),
		StartedAt: time.Now().UTC(), LoadBefore: LoadAverage()}
	progress := func(format string, args ...any) {
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, format+"\n", args...)
		}
	}

	// 1. The reply's own latency with nobody watching.
	progress("%d replies to thread %d with no watchers", o.Baseline, thread)
	alone, before, errs := w.replies(ctx, o.Baseline, o.Interval, time.Now())
	rep.ReplyAlone, rep.ReplyErrors = summary(alone), errs
	if ctx.Err() != nil {
		return rep, ctx.Err()
	}

	mem := &WatchMemory{}
	if mem.Before, err = readMemory(ctx, w.client, root, o.PID, o.GCWait, -1); err != nil {
		return rep, err
	}

	// 2. Connect and subscribe every client.
	start := time.Now()
	channel := "thread:" + strconv.FormatInt(thread, 10)
	rd := &reader{start: start, channel: []byte(`"channel":"` + channel + `"`),
		pool: &sync.Pool{New: func() any { return new(bytes.Buffer) }}}
	// Only posts after the baseline's count towards "everything arrived".
	// Set before the first client subscribes: on a busy machine the hub may
	// still be fanning the baseline out when clients join, and counting
	// those deliveries made the run stop before the last reply arrived.
	for _, c := range before {
		rd.after.Store(max(rd.after.Load(), c.post))
	}
	watchers, dialErrs, firstErr := connect(ctx, o, root, channel, rd, progress)
	var closing sync.Once
	closeAll := func() {
		closing.Do(func() {
			for _, c := range watchers {
				_ = c.ws.Close()
			}
			rd.readers.Wait()
		})
	}
	defer closeAll()
	rep.Connected, rep.DialErrors, rep.ConnectS = len(watchers), dialErrs, time.Since(start).Seconds()
	progress("%d clients subscribed to %s in %.1fs (%d failed)", len(watchers), channel, rep.ConnectS, dialErrs)
	if firstErr != nil {
		progress("first connection error: %v", firstErr)
	}
	if ctx.Err() != nil {
		return rep, ctx.Err()
	}
	if len(watchers) == 0 && o.Clients > 0 {
		return rep, fmt.Errorf("loadgen: no client could connect: %w", firstErr)
	}

	// 3. Memory with every client idle.
	select {
	case <-time.After(o.Settle):
	case <-ctx.Done():
		return rep, ctx.Err()
	}
	if mem.Idle, err = readMemory(ctx, w.client, root, o.PID, o.GCWait, mem.Before.GCs); err != nil {
		return rep, err
	}
	if n := len(watchers); n > 0 {
		mem.Conns = n
		if mem.Before.RSSKB > 0 && mem.Idle.RSSKB > 0 {
			mem.RSSPerConnKB = float64(mem.Idle.RSSKB-mem.Before.RSSKB) / float64(n)
		}
		mem.HeapStackPerConnKB = (mem.Idle.HeapAlloc + mem.Idle.StackInuse - mem.Before.HeapAlloc - mem.Before.StackInuse) / 1024 / float64(n)
	}
	rep.Memory = mem

	// 4. Replies with everyone watching.
	progress("%d replies, one every %s, with %d watchers", o.Replies, o.Interval, len(watchers))
	cpuStart := sampleCPU(o.PID)
	watched, created, errs := w.replies(ctx, o.Replies, o.Interval, time.Now())
	rep.ReplyWatched, rep.ReplyErrors = summary(watched), rep.ReplyErrors+errs
	rep.Expected = int64(len(watchers)) * int64(len(created))
	deadline := time.Now().Add(o.Wait)
	for rd.total.Load() < rep.Expected && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(5 * time.Millisecond)
	}
	rep.CPU = cpuBetween(cpuStart, sampleCPU(o.PID), runtime.NumCPU())
	rep.LoadAfter = LoadAverage()

	// 5. Stop the clients, then read what each of them got.
	closeAll()
	rd.score(rep, created, watchers)
	return rep, nil
}

// writer posts the replies with one moderator's token (not throttled).
type writer struct {
	client *http.Client
	root   string
	thread int64
	token  string
	bodies [][]byte
	n      int
}

// created is one reply: its post id and when the writer had its 201,
// since the run began (reader.start).
type created struct {
	post     int64
	sent, at time.Time
}

// replies posts n replies, the i-th at from + i·interval (or at once if
// the previous took longer), and returns each one's latency and, for those
// that got their 201, the post and when.
func (w *writer) replies(ctx context.Context, n int, interval time.Duration, from time.Time) ([]time.Duration, []created, int) {
	var lat []time.Duration
	var out []created
	errs := 0
	for i := range n {
		if wait := time.Until(from.Add(time.Duration(i) * interval)); wait > 0 {
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				return lat, out, errs
			}
		}
		began := time.Now()
		id, err := w.reply(ctx)
		at := time.Now()
		if err != nil {
			errs++
			continue
		}
		lat = append(lat, at.Sub(began))
		out = append(out, created{post: id, sent: began, at: at})
	}
	return lat, out, errs
}

func (w *writer) reply(ctx context.Context) (int64, error) {
	body := w.bodies[w.n%len(w.bodies)]
	w.n++
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.root+"/api/v1/threads/"+strconv.FormatInt(w.thread, 10)+"/posts", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+w.token)
	resp, err := w.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer func() { _ = resp.Body.Close() }()
	var p struct {
		ID int64 `json:"id"`
	}
	if resp.StatusCode != http.StatusCreated {
		_, _ = io.Copy(io.Discard, resp.Body)
		return 0, fmt.Errorf("reply: status %d", resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil || p.ID == 0 {
		return 0, fmt.Errorf("reply: no post id in the answer: %w", err)
	}
	return p.ID, nil
}

// connect opens o.Clients connections, o.Dialers at a time, each
// subscribed to channel before it counts and read by one goroutine from
// then on.
func connect(ctx context.Context, o WatchOptions, root, channel string, rd *reader, progress func(string, ...any)) ([]*watcher, int, error) {
	d := &websocket.Dialer{
		HandshakeTimeout: o.Timeout,
		// A post's message is 0.5–3 KB: one read system call for most.
		ReadBufferSize:  4096,
		WriteBufferSize: 256,
		WriteBufferPool: &sync.Pool{}, // a write buffer only while subscribing
	}
	u := "ws" + strings.TrimPrefix(root, "http") + "/api/v1/ws"
	sub, _ := json.Marshal(map[string]string{"type": "subscribe", "channel": channel})
	var (
		mu       sync.Mutex
		out      = make([]*watcher, 0, o.Clients)
		failed   int
		firstErr error
		next     atomic.Int64
		wg       sync.WaitGroup
	)
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		failed++
		if firstErr == nil {
			firstErr = err
		}
	}
	stop := make(chan struct{})
	if o.Progress != nil {
		go func() {
			t := time.NewTicker(time.Second)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					mu.Lock()
					n := len(out)
					mu.Unlock()
					progress("  %d of %d connected", n, o.Clients)
				}
			}
		}()
	}
	for range min(o.Dialers, max(o.Clients, 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(o.Clients) && ctx.Err() == nil {
				c, err := rd.open(ctx, d, u, sub, o.Timeout)
				if err != nil {
					fail(err)
					continue
				}
				mu.Lock()
				out = append(out, c)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(stop)
	return out, failed, firstErr
}

// reader holds what every client's reader goroutine shares.
type reader struct {
	start   time.Time
	channel []byte       // `"channel":"thread:N"`
	after   atomic.Int64 // posts up to this id are not counted in total
	total   atomic.Int64 // deliveries of later posts, for knowing when all arrived
	pool    *sync.Pool
	readers sync.WaitGroup // one goroutine per connection
}

// open dials, subscribes and waits for "subscribed".
func (rd *reader) open(ctx context.Context, d *websocket.Dialer, u string, sub []byte, timeout time.Duration) (*watcher, error) {
	dctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ws, resp, err := d.DialContext(dctx, u, nil)
	if resp != nil && resp.Body != nil {
		_ = resp.Body.Close()
	}
	if err != nil {
		return nil, err
	}
	_ = ws.SetWriteDeadline(time.Now().Add(timeout))
	_ = ws.SetReadDeadline(time.Now().Add(timeout))
	if err := ws.WriteMessage(websocket.TextMessage, sub); err != nil {
		_ = ws.Close()
		return nil, err
	}
	_, b, err := ws.ReadMessage()
	if err == nil && !bytes.Contains(b, []byte(`"type":"subscribed"`)) {
		err = fmt.Errorf("subscribe: %s", b)
	}
	if err != nil {
		_ = ws.Close()
		return nil, err
	}
	_ = ws.SetReadDeadline(time.Time{})
	c := &watcher{ws: ws}
	rd.readers.Add(1)
	go func() {
		defer rd.readers.Done()
		rd.wait(c)
	}()
	return c, nil
}

// wait is a client's reader goroutine: it notes when each post.created of
// the thread arrives, until the connection ends. Messages are read into
// pooled buffers and scanned, not decoded: thousands of clients share the
// machine with the server measured.
func (rd *reader) wait(c *watcher) {
	for {
		_, r, err := c.ws.NextReader()
		if err != nil {
			return
		}
		at := time.Since(rd.start)
		buf := rd.pool.Get().(*bytes.Buffer)
		buf.Reset()
		_, err = buf.ReadFrom(r)
		if err == nil {
			if id, ok := createdPost(buf.Bytes(), rd.channel); ok {
				with := bytes.Contains(buf.Bytes(), []byte(`,"post":{`))
				c.got = append(c.got, delivery{post: id, at: at, withPost: with})
				if id > rd.after.Load() {
					rd.total.Add(1)
				}
			}
		}
		rd.pool.Put(buf)
		if err != nil {
			return
		}
	}
}

// createdPost finds the post id of a post.created event on channel. The
// payload's "post_id" comes before the attached post (whose fields are
// "id", "thread_id", …), and no JSON string holds a bare quote, so the
// first `"post_id":` is the event's.
func createdPost(b, channel []byte) (int64, bool) {
	if !bytes.HasPrefix(b, []byte(`{"type":"event"`)) || !bytes.Contains(b, []byte(`"event":"post.created"`)) || !bytes.Contains(b, channel) {
		return 0, false
	}
	_, rest, ok := bytes.Cut(b, []byte(`"post_id":`))
	if !ok {
		return 0, false
	}
	end := bytes.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
	if end < 0 {
		end = len(rest)
	}
	id, err := strconv.ParseInt(string(rest[:end]), 10, 64)
	return id, err == nil
}

// score matches every client's deliveries with the replies.
func (rd *reader) score(rep *WatchReport, replies []created, ws []*watcher) {
	index := make(map[int64]int, len(replies))
	for i, c := range replies {
		index[c.post] = i
	}
	last := make([]time.Duration, len(replies))
	lastSend := make([]time.Duration, len(replies))
	complete := make([]bool, len(replies))
	for i := range complete {
		complete[i] = true
	}
	all := make([]time.Duration, 0, len(ws)*len(replies))
	seen := make([]bool, len(replies))
	for _, c := range ws {
		clear(seen)
		for _, d := range c.got {
			i, ok := index[d.post]
			if !ok {
				continue // someone else's reply in the thread
			}
			if seen[i] {
				rep.Duplicates++
				continue
			}
			seen[i] = true
			if d.withPost {
				rep.WithPost++
			}
			got := rd.start.Add(d.at)
			lastSend[i] = max(lastSend[i], got.Sub(replies[i].sent))
			lat := got.Sub(replies[i].at)
			if lat < 0 {
				rep.Early++
				lat = 0
			}
			all = append(all, lat)
			last[i] = max(last[i], lat)
		}
		for i, ok := range seen {
			if !ok {
				rep.Missing++
				complete[i] = false
			}
		}
	}
	rep.Delivered = int64(len(all))
	var lasts, fromSend []time.Duration
	var slow []SlowReply
	for i, l := range last {
		if complete[i] && len(ws) > 0 {
			lasts = append(lasts, l)
			fromSend = append(fromSend, lastSend[i])
			slow = append(slow, SlowReply{Index: i, SentS: replies[i].sent.Sub(replies[0].sent).Seconds(), LastMS: ms(l),
				WaitMS: ms(replies[i].at.Sub(replies[i].sent))})
		}
	}
	slices.SortFunc(slow, func(a, b SlowReply) int { return cmp.Compare(b.LastMS, a.LastMS) })
	rep.Slowest = slow[:min(len(slow), 5)]
	rep.LastDelivery, rep.Delivery, rep.LastFromSend = summary(lasts), summary(all), summary(fromSend)
}

// readMemory reads the server's memory. With gcWait it first waits for a
// collection after the reading that saw prevGCs cycles (or after now, for
// a first reading), so that the heap figure is live memory.
func readMemory(ctx context.Context, c *http.Client, root string, pid int, gcWait time.Duration, prevGCs float64) (ServerMemory, error) {
	read := func() (ServerMemory, error) {
		var sm ServerMemory
		met, err := goMetrics(ctx, c, root)
		if err != nil {
			return sm, err
		}
		sm.HeapAlloc, sm.HeapInuse, sm.StackInuse = met["go_memstats_heap_alloc_bytes"], met["go_memstats_heap_inuse_bytes"], met["go_memstats_stack_inuse_bytes"]
		sm.Goroutines, sm.GCs = met["go_goroutines"], met["go_gc_duration_seconds_count"]
		if pid > 0 {
			if sm.RSSKB, _, err = ProcStatus(pid); err != nil {
				return sm, fmt.Errorf("loadgen: server pid %d: %w", pid, err)
			}
		}
		return sm, nil
	}
	sm, err := read()
	if err != nil || gcWait <= 0 {
		return sm, err
	}
	after := sm.GCs
	if prevGCs >= 0 {
		after = max(after, prevGCs)
	}
	deadline := time.Now().Add(gcWait)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(100 * time.Millisecond)
		if sm, err = read(); err != nil {
			return sm, err
		}
		if sm.GCs > after {
			sm.AfterGC = true
			return sm, nil
		}
	}
	return sm, nil
}

// goMetrics reads the unlabelled samples of the server's /metrics.
func goMetrics(ctx context.Context, c *http.Client, root string) (map[string]float64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, root+"/metrics", nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("loadgen: read /metrics: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("loadgen: /metrics answered %d", resp.StatusCode)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		name, val, ok := strings.Cut(sc.Text(), " ")
		if !ok || strings.HasPrefix(name, "#") || strings.Contains(name, "{") {
			continue
		}
		if f, err := strconv.ParseFloat(strings.TrimSpace(val), 64); err == nil {
			out[name] = f
		}
	}
	return out, sc.Err()
}

// WriteTable prints the report.
func (r *WatchReport) WriteTable(w io.Writer) {
	fmt.Fprintf(w, "target %s, thread %d: %d clients connected (%d failed) in %.1fs; %d replies, one every %s\n",
		r.URL, r.Thread, r.Connected, r.DialErrors, r.ConnectS, r.Replies, r.Interval)
	fmt.Fprintf(w, "load average before: %s   after: %s\n\n", r.LoadBefore, r.LoadAfter)
	row := func(name string, l Latency) {
		fmt.Fprintf(w, "%-38s %8d %8.2f %8.2f %8.2f %8.1f\n", name, l.N, l.Mean, l.P50, l.P99, l.Max)
	}
	fmt.Fprintf(w, "%-38s %8s %8s %8s %8s %8s\n", "", "n", "mean ms", "p50 ms", "p99 ms", "max ms")
	row("reply → 201, no watchers", r.ReplyAlone)
	row(fmt.Sprintf("reply → 201, %d watchers", r.Connected), r.ReplyWatched)
	row("201 → last client has it (per reply)", r.LastDelivery)
	row("201 → a client has it (every delivery)", r.Delivery)
	row("reply sent → last client has it", r.LastFromSend)
	if len(r.Slowest) > 0 {
		fmt.Fprint(w, "slowest replies (sent at s: last delivery ms / reply ms):")
		for _, s := range r.Slowest {
			fmt.Fprintf(w, "  %.1f: %.0f / %.0f", s.SentS, s.LastMS, s.WaitMS)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "\ndeliveries %d of %d expected: %d missing, %d duplicates, %d with the post attached, %d before the 201; reply errors %d\n",
		r.Delivered, r.Expected, r.Missing, r.Duplicates, r.WithPost, r.Early, r.ReplyErrors)
	if c := r.CPU; c != nil {
		fmt.Fprintf(w, "cpu while watching (%d cores): machine busy %.0f%%, steal %.1f%%; driver %.2f cores", c.Cores, c.BusyPct, c.StealPct, c.DriverCores)
		if c.ServerCores > 0 {
			fmt.Fprintf(w, ", server %.2f cores", c.ServerCores)
		}
		fmt.Fprintln(w)
	}
	if m := r.Memory; m != nil && m.Conns > 0 {
		gc := "heap includes uncollected garbage (use --gc-wait)"
		if m.Before.AfterGC && m.Idle.AfterGC {
			gc = "both read right after a GC: live heap"
		}
		fmt.Fprintf(w, "server memory with %d idle connections: heap+stacks %+.1f MB (%.1f KB per connection; %s), goroutines %.0f → %.0f",
			m.Conns, (m.Idle.HeapAlloc+m.Idle.StackInuse-m.Before.HeapAlloc-m.Before.StackInuse)/(1<<20), m.HeapStackPerConnKB, gc,
			m.Before.Goroutines, m.Idle.Goroutines)
		if m.Idle.RSSKB > 0 {
			fmt.Fprintf(w, "; VmRSS %.1f → %.1f MB (%.1f KB per connection)", float64(m.Before.RSSKB)/1024, float64(m.Idle.RSSKB)/1024, m.RSSPerConnKB)
		}
		fmt.Fprintln(w)
	}
}

// WriteJSON writes the report to a file.
func (r *WatchReport) WriteJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o600)
}
