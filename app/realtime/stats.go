package realtime

import "sync/atomic"

type counters struct {
	accepted  atomic.Int64
	delivered atomic.Int64
	tooSlow   atomic.Int64
	lagged    atomic.Int64
}

// Stats is a snapshot of the hub for metrics and tests.
type Stats struct {
	Conns     int   // open connections
	Topics    int   // channels with at least one subscriber
	Head      int64 // the last event fanned out
	Accepted  int64 // connections ever accepted
	Delivered int64 // live event messages queued (catch-up not counted)
	TooSlow   int64 // connections cut off with CloseTooSlow
	Lagged    int64 // times a connection fell behind and caught up on its own
}

// Stats reads the counters.
func (h *Hub) Stats() Stats {
	h.mu.Lock()
	s := Stats{Conns: len(h.conns), Topics: len(h.topics), Head: h.head}
	h.mu.Unlock()
	s.Accepted, s.Delivered, s.TooSlow, s.Lagged = h.stats.accepted.Load(), h.stats.delivered.Load(), h.stats.tooSlow.Load(), h.stats.lagged.Load()
	return s
}
