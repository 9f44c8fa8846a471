package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Start reads (or, on the first run, sets) the consumer's stored position
// and follows the log from there until Close. The first run starts at the
// newest event: an upgrade does not turn years of old posts into a flood of
// notifications. Reading the position before returning means every event
// committed after Start is seen.
func (s *Service) Start(ctx context.Context) error {
	pos, err := s.initPosition(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.stop != nil {
		return errors.New("notify: already started or closed")
	}
	s.applied.Store(pos)
	run, cancel := context.WithCancel(context.Background())
	s.stop, s.done = cancel, make(chan struct{})
	go s.follow(run, &cursor{pos: pos, saved: pos}, s.done)
	return nil
}

// Close stops the consumer and waits for a round in progress to finish
// (its transaction commits or rolls back whole).
func (s *Service) Close() {
	s.mu.Lock()
	stop, done := s.stop, s.done
	s.stop, s.closed = nil, true
	s.mu.Unlock()
	if stop != nil {
		stop()
		<-done
	}
}

// cursor is where the consumer is: pos in memory, saved in the database.
type cursor struct{ pos, saved int64 }

// follow is the consumer loop: wake on a local commit or the poll, apply
// everything new. A wake-up carries no data, so a missed one costs latency,
// never notifications.
func (s *Service) follow(ctx context.Context, c *cursor, done chan struct{}) {
	defer close(done)
	sig := s.st.Commits()
	poll := time.NewTicker(s.opt.PollEvery)
	defer poll.Stop()
	for {
		// Wait before reading: a commit during the read closes wake, so
		// it is read on the next round.
		wake := sig.Wait()
		if err := s.catchUp(ctx, c); err != nil && ctx.Err() == nil {
			s.log.Warn("notify: apply event log", "err", err, "position", c.pos)
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-poll.C:
		}
	}
}

// errMoved says another node advanced the stored position first.
var errMoved = errors.New("notify: position moved by another consumer")

// catchUp applies every event after c.pos, one transaction per batch that
// has something to write. The position is stored in that same transaction,
// so a crash loses nothing and repeats nothing; a batch that writes nothing
// only moves the position in memory until SaveEvery events have passed
// (re-reading them after a restart writes nothing either).
func (s *Service) catchUp(ctx context.Context, c *cursor) error {
	for {
		evs, err := s.st.EventsAfter(ctx, c.pos, s.opt.Batch)
		if err != nil {
			return err
		}
		if len(evs) == 0 {
			return nil
		}
		last := evs[len(evs)-1].ID
		ops, err := s.plan(ctx, evs)
		if err != nil {
			return err
		}
		if len(ops) > 0 || last-c.saved >= s.opt.SaveEvery {
			err := s.commit(ctx, ops, c.saved, last)
			if errors.Is(err, errMoved) {
				// Several nodes run this consumer; the one that stored the
				// position has written these notifications. Go on from there.
				pos, err := s.readPosition(ctx)
				if err != nil {
					return err
				}
				c.pos, c.saved = pos, pos
				s.applied.Store(pos)
				continue
			}
			if err != nil {
				return err
			}
			c.saved = last
		}
		c.pos = last
		s.applied.Store(last)
		if len(evs) < s.opt.Batch {
			return nil
		}
	}
}

// readPosition reads the stored position, -1 before the first run.
func (s *Service) readPosition(ctx context.Context) (int64, error) {
	var pos []int64
	err := s.st.R.WithContext(ctx).Raw("SELECT position FROM consumer_positions WHERE name = ?", consumerName).Scan(&pos).Error
	if err != nil {
		return 0, fmt.Errorf("notify: read position: %w", err)
	}
	if len(pos) == 0 {
		return -1, nil
	}
	return pos[0], nil
}

// initPosition returns the stored position, storing the log's newest id
// first if there is none. Two nodes starting at once both insert with ON
// CONFLICT DO NOTHING and then read the same row.
func (s *Service) initPosition(ctx context.Context) (int64, error) {
	pos, err := s.readPosition(ctx)
	if err != nil || pos >= 0 {
		return pos, err
	}
	last, err := s.st.LastEventID(ctx)
	if err != nil {
		return 0, fmt.Errorf("notify: read log position: %w", err)
	}
	err = s.st.Tx(ctx, func(tx *gorm.DB) error {
		return tx.Exec("INSERT INTO consumer_positions (name, position, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
			consumerName, last, s.now()).Error
	})
	if err != nil {
		return 0, fmt.Errorf("notify: store first position: %w", err)
	}
	pos, err = s.readPosition(ctx)
	if err == nil && pos < 0 {
		err = errors.New("notify: position row missing after insert")
	}
	return pos, err
}

// savePosition moves the stored position from what this consumer last
// stored to next, inside tx. It is the transaction's first write: on
// PostgreSQL it locks the row, so a second node's batch waits and then
// finds the position moved (errMoved) instead of writing the same
// notifications.
func savePosition(tx *gorm.DB, from, next int64, now time.Time) error {
	res := tx.Exec("UPDATE consumer_positions SET position = ?, updated_at = ? WHERE name = ? AND position = ?", next, now, consumerName, from)
	if res.Error != nil {
		return fmt.Errorf("notify: save position: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return errMoved
	}
	return nil
}

// MarkSeen is for bulk importers that write history straight into the
// tables (the load generator): called inside each transaction that writes
// events up to through, it records them as already applied, so nobody is
// notified about old posts. A consumer that reads them in the meantime
// finds the stored position moved when it tries to write (errMoved) and
// continues from it; the position never moves back.
func MarkSeen(ctx context.Context, tx *sql.Tx, postgres bool, through int64) error {
	q := `INSERT INTO consumer_positions (name, position, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
		WHERE consumer_positions.position < excluded.position`
	if postgres {
		q = strings.Replace(q, "(?, ?, ?)", "($1, $2, $3)", 1)
	}
	if _, err := tx.ExecContext(ctx, q, consumerName, through, time.Now().UTC()); err != nil {
		return fmt.Errorf("notify: mark events up to %d seen: %w", through, err)
	}
	return nil
}
