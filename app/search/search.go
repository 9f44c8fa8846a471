// Package search is Parley's full-text search: a Bleve index in the data
// folder, kept by a consumer of the event log, and permission-aware queries
// with highlighted snippets.
package search

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"

	"parley/app/auth"
	"parley/app/forum"
	"parley/app/store"
)

// Options configure the Service.
type Options struct {
	Dir       string // the index folder, <data dir>/search
	Log       *slog.Logger
	PollEvery time.Duration // how late another node's writes are noticed
	Batch     int           // events read per round
	Chunk     int           // posts per batch in a rebuild
}

// Service owns the index: one goroutine writes it (applying events, or
// rebuilding), any number search it.
type Service struct {
	st      *store.Store
	forums  *forum.Service
	users   *auth.Service
	opt     Options
	log     *slog.Logger
	mapping *mapping.IndexMappingImpl

	// mu guards idx: searches hold it shared for their whole run, so a
	// rebuild that swaps the index in closes the old one only after them.
	mu  sync.RWMutex
	idx bleve.Index

	rebuilding atomic.Bool
	locked     atomic.Bool // another process holds the index; retried on every poll
	applied    atomic.Int64

	// bmu guards the rebuild that is due or under way and the Reindex
	// calls waiting for it. A call joins that build rather than queueing
	// another: a build from the database that has not finished yet gives
	// the caller what it asked for (the log is applied after it).
	bmu      sync.Mutex
	due      bool
	waiters  []*waiter
	progress Progress      // of the build under way
	nudge    chan struct{} // a Reindex call wakes the consumer (capacity 1)

	builds    atomic.Int64 // rebuilds completed
	buildDocs atomic.Int64 // posts they wrote

	// chunkDone, when set (tests), runs on the consumer after each chunk
	// of a rebuild's scan.
	chunkDone func()

	life   sync.Mutex
	stop   context.CancelFunc
	done   chan struct{}
	closed bool
}

// New builds the service; Start opens the index and follows the log.
func New(st *store.Store, forums *forum.Service, users *auth.Service, opt Options) (*Service, error) {
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.PollEvery <= 0 {
		opt.PollEvery = time.Second
	}
	if opt.Batch <= 0 {
		opt.Batch = 500
	}
	if opt.Chunk <= 0 {
		opt.Chunk = 1000
	}
	m, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("search: mapping: %w", err)
	}
	return &Service{st: st, forums: forums, users: users, opt: opt, log: opt.Log, mapping: m,
		nudge: make(chan struct{}, 1)}, nil
}

// Position is the id of the last event the index has applied.
func (s *Service) Position() int64 { return s.applied.Load() }

// Stats are the indexer's figures (for metrics and tests).
type Stats struct {
	Checkpoint int64 // the id of the last event applied (Position)
	Rebuilding bool  // Rebuilding()
	Builds     int64 // rebuilds from the database completed since start
	BuildDocs  int64 // posts those rebuilds wrote
}

// Stats reports the indexer's figures.
func (s *Service) Stats() Stats {
	return Stats{Checkpoint: s.Position(), Rebuilding: s.Rebuilding(), Builds: s.builds.Load(), BuildDocs: s.buildDocs.Load()}
}

// Rebuilding reports whether the index is not ready: being built from the
// database, or built and not yet holding the writes made meanwhile
// (results may be incomplete, and answers say so), or held by another
// process.
func (s *Service) Rebuilding() bool { return s.rebuilding.Load() || s.locked.Load() }

func (s *Service) path() string    { return filepath.Join(s.opt.Dir, "index") }
func (s *Service) newPath() string { return filepath.Join(s.opt.Dir, "index.new") }

// openConfig makes opening an index another process holds fail quickly
// instead of waiting for it.
func openConfig() map[string]any { return map[string]any{"bolt_timeout": "500ms"} }

// ErrLocked says another process has the index open (two processes on one
// data folder, or a reindex while the server runs).
var ErrLocked = errors.New("search: the index is in use by another process (is the server running?)")

// open opens the index at path and checks that it is complete and of this
// mapping version; it returns the index's checkpoint. ok is false (and the
// index closed) when it must be rebuilt.
func (s *Service) open(path string) (idx bleve.Index, checkpoint int64, ok bool, err error) {
	idx, err = bleve.OpenUsing(path, openConfig())
	if err != nil {
		// bbolt's lock timeout reaches us only as text.
		if strings.Contains(err.Error(), "timeout") {
			return nil, 0, false, ErrLocked
		}
		if !errors.Is(err, bleve.ErrorIndexPathDoesNotExist) {
			s.log.Warn("search: index unreadable, rebuilding", "path", path, "err", err)
		}
		return nil, 0, false, nil
	}
	v, err := idx.GetInternal([]byte(keyVersion))
	if err != nil || string(v) != MappingVersion {
		_ = idx.Close()           // it is rebuilt; its close error changes nothing
		return nil, 0, false, nil //nolint:nilerr // an unreadable version means rebuild, not fail
	}
	cp, err := idx.GetInternal([]byte(keyCheckpoint))
	if err == nil {
		checkpoint, err = strconv.ParseInt(string(cp), 10, 64)
	}
	if err != nil {
		_ = idx.Close()
		return nil, 0, false, nil //nolint:nilerr // a bad checkpoint means rebuild, not fail
	}
	return idx, checkpoint, true, nil
}

// Start opens the index and follows the event log from its checkpoint
// until Close. A missing, unfinished or outdated index is rebuilt in the
// background; until then searches answer with Rebuilding() true.
func (s *Service) Start(ctx context.Context) error {
	if err := os.MkdirAll(s.opt.Dir, 0o700); err != nil {
		return fmt.Errorf("search: create %s: %w", s.opt.Dir, err)
	}
	if err := s.finishSwap(); err != nil {
		return err
	}
	idx, pos, ok, err := s.open(s.path())
	if errors.Is(err, ErrLocked) {
		// The forum runs without search rather than not at all; the
		// consumer takes the index over when the other process lets go.
		s.log.Warn("search: index held by another process; searching is off here until it is free", "dir", s.opt.Dir)
		s.locked.Store(true)
		ok, err = true, nil
	}
	if err != nil {
		return err
	}
	s.life.Lock()
	defer s.life.Unlock()
	if s.closed || s.stop != nil {
		if idx != nil {
			_ = idx.Close()
		}
		return errors.New("search: already started or closed")
	}
	s.idx = idx
	s.applied.Store(pos)
	s.rebuilding.Store(!ok)
	// Due before Start returns, so a Reindex right after it (parley
	// reindex on a missing index) joins this build instead of a second.
	s.setDue(!ok)
	run, cancel := context.WithCancel(context.Background())
	s.stop, s.done = cancel, make(chan struct{})
	go s.follow(run, pos)
	return nil
}

// finishSwap completes a rebuild that stopped between removing the old
// index and renaming the new one into place (a crash in a few ms window):
// a complete index.new is kept, an unfinished one removed. One that
// another process holds open is being built: it is left alone.
func (s *Service) finishSwap() error {
	if _, err := os.Stat(s.newPath()); err != nil {
		return nil //nolint:nilerr // no half-built index: nothing to finish
	}
	idx, _, ok, err := s.open(s.newPath())
	if errors.Is(err, ErrLocked) {
		return nil
	}
	if err != nil {
		return err
	}
	if idx != nil {
		if err := idx.Close(); err != nil {
			return fmt.Errorf("search: close %s: %w", s.newPath(), err)
		}
	}
	if _, err := os.Stat(s.path()); err == nil || !ok {
		return os.RemoveAll(s.newPath()) // an unfinished rebuild; any old index stands
	}
	return os.Rename(s.newPath(), s.path())
}

// Close stops the consumer (a batch in flight completes) and closes the index.
func (s *Service) Close() {
	s.life.Lock()
	stop, done := s.stop, s.done
	s.stop, s.closed = nil, true
	s.life.Unlock()
	if stop != nil {
		stop()
		<-done
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.idx != nil {
		if err := s.idx.Close(); err != nil {
			s.log.Warn("search: close index", "err", err)
		}
		s.idx = nil
	}
}

// Progress is reported by a rebuild after each chunk.
type Progress struct {
	Done, Total int64
	Elapsed     time.Duration
}

// Rate is posts indexed per second so far.
func (p Progress) Rate() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.Done) / p.Elapsed.Seconds()
}

// waiter is a Reindex call waiting for a build.
type waiter struct {
	progress func(Progress)
	seen     Progress // the last progress it was given
	done     chan error
}

// Reindex rebuilds the index from the database and waits for it, reporting
// progress; searches keep using the old index until the new one is
// complete, and the log is applied from the position the build started at.
// A call while a build is due or under way (the one Start begins for a
// missing or outdated index, or another call's) joins it: it gets that
// build's progress from then on and its result, and no second build runs.
// progress runs on the consumer's goroutine, never after Reindex returns,
// and must not call the Service.
func (s *Service) Reindex(ctx context.Context, progress func(Progress)) error {
	s.life.Lock()
	done, closed := s.done, s.closed
	s.life.Unlock()
	if closed {
		return errors.New("search: closed")
	}
	if done == nil {
		return errors.New("search: not started")
	}
	if s.locked.Load() {
		return ErrLocked
	}
	w := &waiter{progress: progress, done: make(chan error, 1)}
	s.bmu.Lock()
	s.waiters = append(s.waiters, w)
	s.due = true
	s.bmu.Unlock()
	select {
	case s.nudge <- struct{}{}:
	default: // a wake-up is pending already
	}
	select {
	case err := <-w.done:
		return err
	case <-done:
		s.leave(w)
		select {
		case err := <-w.done: // answered as the consumer stopped
			return err
		default:
			return errors.New("search: closed")
		}
	case <-ctx.Done():
		s.leave(w)
		return ctx.Err()
	}
}

// leave takes w off the waiters (its caller has given up).
func (s *Service) leave(w *waiter) {
	s.bmu.Lock()
	defer s.bmu.Unlock()
	for i, x := range s.waiters {
		if x == w {
			s.waiters = append(s.waiters[:i], s.waiters[i+1:]...)
			return
		}
	}
}

func (s *Service) setDue(due bool) {
	s.bmu.Lock()
	s.due = due
	s.bmu.Unlock()
}

func (s *Service) isDue() bool {
	s.bmu.Lock()
	defer s.bmu.Unlock()
	return s.due
}

// report gives a build's progress to everyone waiting for it.
func (s *Service) report(p Progress) {
	s.bmu.Lock()
	defer s.bmu.Unlock()
	s.progress = p
	for _, w := range s.waiters {
		if w.progress != nil {
			w.progress(p)
			w.seen = p
		}
	}
}

// finishBuild answers everyone waiting for the build that just ended. The
// build is due again only if it failed with no index to serve (it is
// retried on the next poll); a failed Reindex leaves the old index in use.
func (s *Service) finishBuild(err error) {
	s.mu.RLock()
	serving := s.idx != nil // only the consumer replaces idx
	s.mu.RUnlock()
	s.bmu.Lock()
	defer s.bmu.Unlock()
	s.due = err != nil && !serving
	for _, w := range s.waiters {
		if err == nil && w.progress != nil && w.seen != s.progress {
			w.progress(s.progress) // joined after the last chunk
		}
		w.done <- err
	}
	s.waiters = nil
}
