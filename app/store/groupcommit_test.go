package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"
)

// openTest opens a migrated SQLite store in a temporary folder with a
// scratch table t(n INTEGER PRIMARY KEY).
func openTest(t *testing.T) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, Options{SQLitePath: filepath.Join(t.TempDir(), "gc.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.W.Exec("CREATE TABLE t (n INTEGER PRIMARY KEY)").Error; err != nil {
		t.Fatal(err)
	}
	return s
}

func insert(tx *gorm.DB, n int) error {
	return tx.Exec("INSERT INTO t (n) VALUES (?)", n).Error
}

func rows(t *testing.T, s *Store) []int {
	t.Helper()
	var ns []int
	if err := s.R.Raw("SELECT n FROM t ORDER BY n").Scan(&ns).Error; err != nil {
		t.Fatal(err)
	}
	return ns
}

// hold runs a Tx that blocks the committer until the returned release is
// called, so that the calls made meanwhile queue up and form one batch.
func hold(t *testing.T, s *Store) (release func() error) {
	t.Helper()
	in, out := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- s.Tx(context.Background(), func(tx *gorm.DB) error {
			close(in)
			<-out
			return nil
		})
	}()
	<-in
	return func() error { close(out); return <-done }
}

// waitQueued waits until n calls are queued behind the committer.
func waitQueued(t *testing.T, s *Store, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		s.gc.mu.Lock()
		q := len(s.gc.queue)
		s.gc.mu.Unlock()
		if q >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d calls queued, want %d", q, n)
		}
		time.Sleep(time.Millisecond)
	}
}

// batch queues fns behind a held committer, releases it and returns each
// call's error; the calls commit together.
func batch(t *testing.T, s *Store, fns ...func(tx *gorm.DB) error) []error {
	t.Helper()
	release := hold(t, s)
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = s.Tx(context.Background(), fn) }()
		waitQueued(t, s, i+1) // keep the queue order equal to fns' order
	}
	if err := release(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	return errs
}

func TestTxFailingCallInBatchLeavesNoTrace(t *testing.T) {
	s := openTest(t)
	boom := errors.New("boom")
	seq := s.Commits().Seq()
	errs := batch(t, s,
		func(tx *gorm.DB) error { return insert(tx, 1) },
		func(tx *gorm.DB) error {
			if err := insert(tx, 2); err != nil {
				return err
			}
			return boom
		},
		func(tx *gorm.DB) error { return insert(tx, 3) },
		// A constraint error fails only its own call.
		func(tx *gorm.DB) error { return insert(tx, 1) },
		func(tx *gorm.DB) error { return insert(tx, 4) },
	)
	if errs[0] != nil || errs[2] != nil || errs[4] != nil {
		t.Fatalf("successful calls failed: %v", errs)
	}
	if !errors.Is(errs[1], boom) {
		t.Fatalf("failing call got %v, want its own error", errs[1])
	}
	if errs[3] == nil || errors.Is(errs[3], boom) {
		t.Fatalf("duplicate insert got %v", errs[3])
	}
	if got := rows(t, s); !slices.Equal(got, []int{1, 3, 4}) {
		t.Fatalf("rows %v, want [1 3 4]", got)
	}
	// The holding call and the batch: two commits, two wake-ups.
	if n := s.Commits().Seq() - seq; n != 2 {
		t.Fatalf("%d commits signalled, want 2 (the five calls should share one)", n)
	}
}

func TestTxPanicFailsOnlyItsCall(t *testing.T) {
	s := openTest(t)
	errs := batch(t, s,
		func(tx *gorm.DB) error { return insert(tx, 1) },
		func(tx *gorm.DB) error {
			_ = insert(tx, 2)
			panic("kaput")
		},
		func(tx *gorm.DB) error { return insert(tx, 3) },
	)
	var pe *PanicError
	if errs[0] != nil || errs[2] != nil || !errors.As(errs[1], &pe) || pe.Value != "kaput" {
		t.Fatalf("errors %v", errs)
	}
	if got := rows(t, s); !slices.Equal(got, []int{1, 3}) {
		t.Fatalf("rows %v, want [1 3]", got)
	}
	// A lone panicking call (no savepoint) is rolled back as well.
	err := s.Tx(context.Background(), func(tx *gorm.DB) error { _ = insert(tx, 9); panic("alone") })
	if !errors.As(err, &pe) || len(rows(t, s)) != 2 {
		t.Fatalf("lone panic: %v, rows %v", err, rows(t, s))
	}
	if err := s.Tx(context.Background(), func(tx *gorm.DB) error { return insert(tx, 5) }); err != nil {
		t.Fatalf("the committer did not survive: %v", err)
	}
}

// Many concurrent calls: each gets exactly its own error, only the
// successful ones leave rows, and their events have one id each, increasing
// in the order the calls ran (which is commit order).
func TestTxConcurrentCalls(t *testing.T) {
	s := openTest(t)
	const n = 300
	var mu sync.Mutex
	var ranOK []int64 // event ids in execution order, successful calls only
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.Tx(context.Background(), func(tx *gorm.DB) error {
				if err := insert(tx, i); err != nil {
					return err
				}
				id, err := Emit(tx, "test.insert", ScopePublic, 0, fmt.Sprintf("n:%d", i), map[string]int{"n": i})
				if err != nil {
					return err
				}
				if i%7 == 3 {
					return fmt.Errorf("call %d fails", i)
				}
				mu.Lock()
				ranOK = append(ranOK, id)
				mu.Unlock()
				return nil
			})
		}()
	}
	wg.Wait()
	var want []int
	for i, err := range errs {
		if i%7 == 3 {
			if err == nil || err.Error() != fmt.Sprintf("call %d fails", i) {
				t.Fatalf("call %d: %v", i, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		want = append(want, i)
	}
	if got := rows(t, s); !slices.Equal(got, want) {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	if !slices.IsSorted(ranOK) || len(slices.Compact(slices.Clone(ranOK))) != len(ranOK) {
		t.Fatalf("event ids not strictly increasing in execution order: %v", ranOK)
	}
	evs, err := s.EventsAfter(context.Background(), 0, 10*n)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, ev := range evs {
		if ev.Type == "test.insert" {
			ids = append(ids, ev.ID)
		}
	}
	if !slices.Equal(ids, ranOK) {
		t.Fatalf("stored events %v differ from the successful calls' %v", ids, ranOK)
	}
}

func TestTxContext(t *testing.T) {
	s := openTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	if err := s.Tx(ctx, func(tx *gorm.DB) error { ran = true; return nil }); !errors.Is(err, context.Canceled) || ran {
		t.Fatalf("cancelled before the call: %v, ran %v", err, ran)
	}

	// Cancelled while queued: the call gives up and never runs.
	release := hold(t, s)
	ctx, cancel = context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Tx(ctx, func(tx *gorm.DB) error { return insert(tx, 1) }) }()
	waitQueued(t, s, 1)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled while queued: %v", err)
	}
	if err := release(); err != nil {
		t.Fatal(err)
	}

	// Cancelled while running: the shared transaction is not interrupted;
	// the call finishes, commits and says so.
	ctx, cancel = context.WithCancel(context.Background())
	err := s.Tx(ctx, func(tx *gorm.DB) error {
		if err := insert(tx, 2); err != nil {
			return err
		}
		cancel()
		return insert(tx, 3)
	})
	if err != nil {
		t.Fatalf("cancelled while running: %v", err)
	}
	if got := rows(t, s); !slices.Equal(got, []int{2, 3}) {
		t.Fatalf("rows %v, want [2 3]", got)
	}
}

func TestCloseFailsQueuedCalls(t *testing.T) {
	s := openTest(t)
	release := hold(t, s)
	const n = 5
	errs := make(chan error, n)
	for i := range n {
		go func() { errs <- s.Tx(context.Background(), func(tx *gorm.DB) error { return insert(tx, i) }) }()
	}
	waitQueued(t, s, n)
	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	for range n {
		select {
		case err := <-errs:
			if !errors.Is(err, ErrClosed) {
				t.Fatalf("queued call at close: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("queued calls hang at close")
		}
	}
	// The batch in flight finishes before the database closes.
	if err := release(); err != nil {
		t.Fatalf("call in flight at close: %v", err)
	}
	select {
	case err := <-closed:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close hangs")
	}
	if err := s.Tx(context.Background(), func(tx *gorm.DB) error { return nil }); !errors.Is(err, ErrClosed) {
		t.Fatalf("Tx after Close: %v", err)
	}
}

// The writer connection has the pragmas group commit and durability rely on.
func TestWriterPragmas(t *testing.T) {
	s := openTest(t)
	for pragma, want := range map[string]string{"journal_mode": "wal", "synchronous": "2", "foreign_keys": "1", "temp_store": "2"} {
		var got string
		if err := s.W.Raw("PRAGMA " + pragma).Scan(&got).Error; err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("PRAGMA %s = %s, want %s", pragma, got, want)
		}
	}
}
