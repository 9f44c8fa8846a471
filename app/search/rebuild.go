package search

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// rebuild builds a new index from the database in index.new and swaps it
// in; it returns the event id the new index is complete up to. The log
// position is read before the scan, so every change the scan may miss is
// applied afterwards from the log (applying re-reads current state, so a
// change the scan already saw costs only a repeat). The caller applies the
// log from that position before it calls the index ready.
//
// While it runs, searches use the old index when it is of this mapping
// version (a `parley reindex`), else the new one as it fills up, and say
// they are rebuilding. Progress goes to the Reindex calls waiting for it.
func (s *Service) rebuild(ctx context.Context) (int64, error) {
	s.rebuilding.Store(true)
	start := time.Now()
	from, err := s.st.LastEventID(ctx)
	if err != nil {
		return 0, fmt.Errorf("search: read log position: %w", err)
	}
	total, err := s.forums.CountVisiblePosts(ctx)
	if err != nil {
		return 0, err
	}
	if err := os.RemoveAll(s.newPath()); err != nil {
		return 0, fmt.Errorf("search: remove unfinished index: %w", err)
	}
	next, err := bleve.NewUsing(s.newPath(), s.mapping, bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, openConfig())
	if err != nil {
		return 0, fmt.Errorf("search: create index: %w", err)
	}
	s.mu.Lock()
	serving := s.idx == nil
	if serving {
		s.idx = next
	}
	s.mu.Unlock()
	fail := func(err error) (int64, error) {
		if serving {
			s.mu.Lock()
			s.idx = nil
			s.mu.Unlock()
		}
		_ = next.Close() // the build's error is the one to report
		return 0, err
	}
	var done int64
	report := func(n int) {
		done += int64(n)
		s.report(Progress{Done: done, Total: max(total, done), Elapsed: time.Since(start)})
		if n > 0 && s.chunkDone != nil {
			s.chunkDone()
		}
	}
	report(0)
	if _, err := s.scan(ctx, next, 0, report); err != nil {
		return fail(err)
	}
	// The version marks the build complete; it goes with the checkpoint.
	b := next.NewBatch()
	b.SetInternal([]byte(keyCheckpoint), []byte(strconv.FormatInt(from, 10)))
	b.SetInternal([]byte(keyVersion), []byte(MappingVersion))
	if err := next.Batch(b); err != nil {
		return fail(fmt.Errorf("search: finish index: %w", err))
	}
	if err := s.swap(next); err != nil {
		return 0, err
	}
	s.builds.Add(1)
	s.buildDocs.Add(done)
	s.log.Info("search: index rebuilt", "posts", done, "seconds", time.Since(start).Seconds(), "from_event", from)
	return from, nil
}

// swap closes the old and the new index, moves the new folder into place
// and opens it. Searches wait on mu for the few milliseconds this takes.
func (s *Service) swap(next bleve.Index) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.idx != nil && s.idx != next {
		if err := s.idx.Close(); err != nil {
			s.log.Warn("search: close old index", "err", err)
		}
	}
	s.idx = nil
	if err := next.Close(); err != nil {
		return fmt.Errorf("search: close new index: %w", err)
	}
	if err := os.RemoveAll(s.path()); err != nil {
		return fmt.Errorf("search: remove old index: %w", err)
	}
	// A crash here leaves only index.new, complete: Start renames it.
	if err := os.Rename(s.newPath(), s.path()); err != nil {
		return fmt.Errorf("search: move new index into place: %w", err)
	}
	idx, _, ok, err := s.open(s.path())
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("search: the new index at %s does not open as complete", s.path())
	}
	s.idx = idx
	return nil
}
