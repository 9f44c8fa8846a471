// Package realtime pushes the event log to websocket clients. The Hub is a
// consumer of the log like any other: it wakes on the store's commit signal
// (and a slow poll, and its Broker for other nodes), reads events by id,
// keeps the newest in a ring for catch-up, and fans each one out to the
// connections subscribed to its channels that may see it, judged when it is
// delivered. Typing and presence are ephemeral and never stored.
package realtime

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"parley/app/auth"
	"parley/app/forum"
	"parley/app/store"
)

// Options tune the hub; zero values take the defaults in withDefaults.
type Options struct {
	RingSize         int           // newest events kept in memory for catch-up (10,000)
	Window           int64         // a since older than head-Window gets resync (100,000 events)
	QueueSize        int           // messages waiting per connection before it is cut off (256)
	MaxSubscriptions int           // channels per connection (50)
	MaxMessageBytes  int64         // largest client message (4 KB)
	MessagesPerSec   float64       // sustained client message rate (10/s) …
	Burst            int           // … with this burst (20)
	FloodLimit       int           // messages dropped for rate before the connection is closed (100)
	PingEvery        time.Duration // server pings (25 s)
	PongWait         time.Duration // silence before a connection counts as dead (60 s)
	WriteWait        time.Duration // longest single write (10 s)
	PollEvery        time.Duration // re-read the log without a wake-up, for other processes' writes (1 s)
	TypingEvery      time.Duration // one typing message per user and thread per interval (3 s)
	PresenceEvery    time.Duration // presence counts are sent at most this often (2 s)
	ReauthEvery      time.Duration // re-check every session and token (5 min)
	MaxPostBytes     int           // a post's html up to this size travels with its events (16 KB)
	PostBudget       int           // bytes of such posts the ring may hold; beyond, readers fetch (64 MB)
	Broker           Broker        // nil on one node
	Log              *slog.Logger
}

func (o Options) withDefaults() Options {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	if o.RingSize <= 0 {
		o.RingSize = 10_000
	}
	if o.Window <= 0 {
		o.Window = 100_000
	}
	if o.QueueSize <= 0 {
		o.QueueSize = 256
	}
	if o.MaxSubscriptions <= 0 {
		o.MaxSubscriptions = 50
	}
	if o.MaxMessageBytes <= 0 {
		o.MaxMessageBytes = 4 << 10
	}
	if o.MessagesPerSec <= 0 {
		o.MessagesPerSec = 10
	}
	if o.Burst <= 0 {
		o.Burst = 20
	}
	if o.FloodLimit <= 0 {
		o.FloodLimit = 100
	}
	def(&o.PingEvery, 25*time.Second)
	def(&o.PongWait, 60*time.Second)
	def(&o.WriteWait, 10*time.Second)
	def(&o.PollEvery, time.Second)
	def(&o.TypingEvery, 3*time.Second)
	def(&o.PresenceEvery, 2*time.Second)
	def(&o.ReauthEvery, 5*time.Minute)
	if o.MaxPostBytes <= 0 {
		o.MaxPostBytes = 16 << 10
	}
	if o.PostBudget <= 0 {
		o.PostBudget = 64 << 20
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return o
}

// Reauth re-reads the viewer from the credential that opened a connection.
// It returns ErrSignedOut when that credential is no longer valid.
type Reauth func(ctx context.Context) (*auth.Viewer, error)

// ErrSignedOut tells the hub a connection's session or token has ended.
var ErrSignedOut = errors.New("realtime: the session or token has ended")

// Hub is the websocket fan-out of the event log.
type Hub struct {
	st     *store.Store
	forums *forum.Service
	opt    Options
	log    *slog.Logger
	up     websocket.Upgrader
	index  atomic.Pointer[forumIndex]

	mu        sync.Mutex // guards everything below, and each Conn's subs
	head      int64      // every event up to head has been fanned out
	ring      ring
	postBytes int // the ring's entries' postCost
	topics    map[string]*topic
	conns     map[*Conn]struct{}

	reauthq  chan int64  // users whose viewers must be re-read
	sweeping atomic.Bool // a periodic re-read of every viewer is running
	ctx      context.Context
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	closed   atomic.Bool
	stats    counters
}

// New builds a hub; Start begins following the log.
func New(st *store.Store, forums *forum.Service, o Options) *Hub {
	o = o.withDefaults()
	ctx, cancel := context.WithCancel(context.Background())
	h := &Hub{st: st, forums: forums, opt: o, log: o.Log, topics: map[string]*topic{}, conns: map[*Conn]struct{}{},
		reauthq: make(chan int64, 256), ctx: ctx, cancel: cancel}
	h.up = websocket.Upgrader{
		// Small: clients send short JSON commands. The HTTP server's 4 KB
		// read buffer is dropped instead of being kept for the connection's life.
		ReadBufferSize: 1024,
		// gorilla writes only the odd control frame (the hub writes its
		// own frames): no connection keeps a write buffer.
		WriteBufferPool:  &sync.Pool{},
		HandshakeTimeout: 10 * time.Second,
		// The caller (web) applies the origin rule, which depends on how
		// the viewer signed in; see web/ws.go.
		CheckOrigin: func(*http.Request) bool { return true },
	}
	return h
}

// Start reads the log position and the forums, then follows the log until
// Close.
func (h *Hub) Start(ctx context.Context) error {
	head, err := h.st.LastEventID(ctx)
	if err != nil {
		return err
	}
	if err := h.reloadForums(ctx); err != nil {
		return err
	}
	h.head, h.ring = head, newRing(h.opt.RingSize, head)
	h.wg.Add(2)
	go h.follow(head)
	go h.tend()
	return nil
}

// Accept upgrades an HTTP request to a websocket connection for v. It
// returns as soon as the connection is set up: the connection then lives
// on one small read goroutine, and a write goroutine only while it has
// something to send. On error gorilla has already answered the request.
func (h *Hub) Accept(w http.ResponseWriter, r *http.Request, v *auth.Viewer, reauth Reauth) error {
	if h.closed.Load() {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return nil
	}
	hj := &hijacker{ResponseWriter: w}
	ws, err := h.up.Upgrade(hj, r, nil)
	if err != nil {
		return err
	}
	c := &Conn{h: h, ws: ws, wire: hj.wire, reauth: reauth, seq: h.stats.accepted.Add(1)}
	c.viewer.Store(v)
	h.mu.Lock()
	if h.closed.Load() { // Close has taken its list of connections
		h.mu.Unlock()
		_ = ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, "server shutting down"), time.Now().Add(time.Second))
		return ws.Close()
	}
	h.conns[c] = struct{}{}
	h.mu.Unlock()
	go c.readLoop()
	return nil
}

// Close sends every client a going-away close frame, waits briefly for
// the frames to leave, and stops following the log.
func (h *Hub) Close() {
	h.mu.Lock() // Accept checks closed under h.mu: no connection slips past
	swapped := h.closed.CompareAndSwap(false, true)
	h.mu.Unlock()
	if !swapped {
		return
	}
	h.cancel()
	h.wg.Wait()
	for _, c := range h.snapshot(nil) {
		c.closeWith(websocket.CloseGoingAway, "server shutting down")
	}
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) && h.Stats().Conns > 0 {
		time.Sleep(10 * time.Millisecond) // waiting for writers to flush close frames
	}
	for _, c := range h.snapshot(nil) {
		c.shutdown()
	}
}

// snapshot lists the connections (matching keep, when given).
func (h *Hub) snapshot(keep func(*Conn) bool) []*Conn {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]*Conn, 0, len(h.conns))
	for c := range h.conns {
		if keep == nil || keep(c) {
			out = append(out, c)
		}
	}
	return out
}

// remove forgets a connection and its subscriptions.
func (h *Hub) remove(c *Conn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.conns, c)
	for _, key := range c.subs {
		h.dropSub(c, key)
	}
	c.subs = nil
}

// canSee is the forum package's rule with the hub's current forum map.
func (h *Hub) canSee(v *auth.Viewer, scope string) bool {
	return h.forums.CanSeeScope(h.ctx, v, scope, h.index.Load().byID)
}
