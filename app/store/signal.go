package store

import "sync"

// Signal is a broadcast wake-up: Wait returns a channel that is closed at the
// next Notify. Waiters re-read the event log themselves, so a missed wake-up
// costs latency, never data.
type Signal struct {
	mu  sync.Mutex
	ch  chan struct{}
	seq uint64
}

// NewSignal returns a ready Signal.
func NewSignal() *Signal { return &Signal{ch: make(chan struct{})} }

// Wait returns a channel closed at the next Notify.
func (s *Signal) Wait() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ch
}

// Seq counts Notify calls. A consumer that remembers the Seq it has caught
// up to can tell whether a commit happened since (the page cache uses this
// to never serve a page older than a write this process has acknowledged).
func (s *Signal) Seq() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seq
}

// Notify wakes every current waiter.
func (s *Signal) Notify() {
	s.mu.Lock()
	s.seq++
	close(s.ch)
	s.ch = make(chan struct{})
	s.mu.Unlock()
}
