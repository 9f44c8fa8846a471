package store

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"

	"gorm.io/gorm"
)

// maxBatch bounds how many Tx calls share one SQLite commit, so that one
// batch cannot hold the write lock for long.
const maxBatch = 64

// ErrClosed is returned by Tx after Close.
var ErrClosed = errors.New("store: closed")

// PanicError is the error a Tx call gets when its fn panicked. The panic is
// recovered in the committer (it would otherwise kill the process, and the
// other calls of the batch) and the job's own changes are rolled back.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("store: transaction function panicked: %v\n%s", e.Value, e.Stack)
}

// Job states: the caller may abandon a job only while it is queued; once the
// committer has taken it, the caller waits for its result.
const (
	jobQueued int32 = iota
	jobTaken
	jobAbandoned
)

type txJob struct {
	ctx   context.Context
	fn    func(tx *gorm.DB) error
	state atomic.Int32
	done  chan error // buffered: the committer never waits for the caller
}

// committer is SQLite's group commit. Every write transaction of the process
// goes through one goroutine, which takes all the calls queued so far, runs
// each in its own savepoint of one transaction and commits them together:
// one WAL fsync for the batch instead of one per call. There is no timer:
// a lone call is committed at once, and batches form by themselves while a
// commit (its fsync) is in flight.
//
// Event ids stay in commit order: there is one writer connection and one
// committer, so ids are handed out in execution order, a batch becomes
// visible all at once at its COMMIT, and the next batch starts after it.
type committer struct {
	db     *gorm.DB
	notify func()

	mu     sync.Mutex
	queue  []*txJob
	closed bool

	wake    chan struct{} // capacity 1: a pending wake-up is never lost
	stopped chan struct{}
}

func newCommitter(db *gorm.DB, notify func()) *committer {
	c := &committer{
		// The batch runs under the committer's own context, never a
		// caller's: cancelling a request must not interrupt a statement of
		// the shared transaction (SQLite would roll all of it back).
		db:      db.WithContext(context.Background()),
		notify:  notify,
		wake:    make(chan struct{}, 1),
		stopped: make(chan struct{}),
	}
	go c.loop()
	return c
}

// do queues fn and waits for its outcome. ctx counts only until the
// committer takes the job: a job cancelled while queued is skipped (or
// abandoned by its caller) with ctx.Err(); once it runs, it runs to the end
// and the caller waits for the commit, so the answer is always the truth.
//
// fn must not call Tx itself: the inner call would wait for the committer,
// which is busy running fn. (Before group commit the same call deadlocked on
// the single writer connection.)
func (c *committer) do(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	j := &txJob{ctx: ctx, fn: fn, done: make(chan error, 1)}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return ErrClosed
	}
	c.queue = append(c.queue, j)
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
	select {
	case err := <-j.done:
		return err
	case <-ctx.Done():
		if j.state.CompareAndSwap(jobQueued, jobAbandoned) {
			return ctx.Err()
		}
		return <-j.done
	}
}

func (j *txJob) finish(err error) { j.done <- err }

// take removes up to maxBatch jobs from the queue, skipping abandoned ones.
func (c *committer) take(buf []*txJob) ([]*txJob, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := min(len(c.queue), maxBatch)
	buf = append(buf[:0], c.queue[:n]...)
	rest := copy(c.queue, c.queue[n:])
	clear(c.queue[rest:])
	c.queue = c.queue[:rest]
	live := buf[:0]
	for _, j := range buf {
		if j.state.CompareAndSwap(jobQueued, jobTaken) {
			live = append(live, j)
		}
	}
	clear(buf[len(live):])
	return live, c.closed
}

func (c *committer) loop() {
	defer close(c.stopped)
	buf := make([]*txJob, 0, maxBatch)
	for {
		batch, closed := c.take(buf)
		if len(batch) == 0 {
			if closed {
				return
			}
			<-c.wake
			continue
		}
		for len(batch) > 0 {
			batch = c.run(batch)
		}
	}
}

// close refuses new jobs, fails the queued ones and waits for the batch in
// flight to finish.
func (c *committer) close() {
	c.mu.Lock()
	c.closed = true
	pending := c.queue
	c.queue = nil
	c.mu.Unlock()
	for _, j := range pending {
		if j.state.CompareAndSwap(jobQueued, jobTaken) {
			j.finish(ErrClosed)
		}
	}
	select {
	case c.wake <- struct{}{}:
	default:
	}
	<-c.stopped
}

// call runs fn, turning a panic into a *PanicError.
func call(tx *gorm.DB, fn func(tx *gorm.DB) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Value: r, Stack: debug.Stack()}
		}
	}()
	return fn(tx)
}

// run executes one batch in one transaction and hands every job its result.
// It returns the jobs it could not start because the transaction broke
// under an earlier job; the caller runs them in a fresh transaction.
func (c *committer) run(jobs []*txJob) []*txJob {
	tx := c.db.Begin()
	if err := tx.Error; err != nil {
		for _, j := range jobs {
			j.finish(fmt.Errorf("store: begin: %w", err))
		}
		return nil
	}
	// results[i] is job i's own error, nil if it succeeded or did not run.
	results := make([]error, len(jobs))
	ran := 0
	fail := func(err error) []*txJob {
		_ = tx.Rollback().Error
		// A job that failed on its own may have decided so from an earlier
		// job's changes (a throttle, an idempotency key), which are now gone
		// too: every job that ran gets the batch's error.
		for i, j := range jobs[:ran] {
			j.finish(fmt.Errorf("store: batch transaction aborted: %w", errors.Join(results[i], err)))
		}
		return jobs[ran:]
	}
	if len(jobs) == 1 {
		// Alone: no savepoint needed, a failure rolls back the transaction.
		j := jobs[0]
		if err := j.ctx.Err(); err != nil {
			_ = tx.Rollback().Error
			j.finish(err)
			return nil
		}
		if err := call(tx, j.fn); err != nil {
			_ = tx.Rollback().Error
			j.finish(err)
			return nil
		}
		ran = 1
	} else {
		for i, j := range jobs {
			if err := j.ctx.Err(); err != nil {
				results[i] = err
				ran++
				continue
			}
			if err := tx.Exec("SAVEPOINT job").Error; err != nil {
				return fail(fmt.Errorf("savepoint: %w", err))
			}
			ran++
			if err := call(tx, j.fn); err != nil {
				results[i] = err
				if rerr := tx.Exec("ROLLBACK TO job").Error; rerr != nil {
					return fail(fmt.Errorf("rollback to savepoint: %w", rerr))
				}
			}
			// RELEASE also detects a transaction SQLite rolled back by
			// itself (I/O error, disk full): the savepoint is gone then, and
			// the next job must not run in autocommit mode.
			if err := tx.Exec("RELEASE job").Error; err != nil {
				return fail(fmt.Errorf("release savepoint: %w", err))
			}
		}
	}
	if err := tx.Commit().Error; err != nil {
		for _, j := range jobs {
			j.finish(fmt.Errorf("store: commit: %w", err))
		}
		return nil
	}
	// Wake event-log consumers before any caller returns, so that a write a
	// caller has seen acknowledged is always behind the signal (Seq).
	if slices.Contains(results, nil) {
		c.notify()
	}
	for i, j := range jobs {
		j.finish(results[i])
	}
	return nil
}
