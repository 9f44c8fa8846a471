package loadgen

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// bulk buffers rows for one table and writes them as multi-row INSERTs inside
// one transaction: a prepared statement for full batches, an ad-hoc one for
// the last, shorter batch.
type bulk struct {
	ctx    context.Context
	tx     *sql.Tx
	pg     bool
	table  string
	cols   []string
	rows   int // rows per full statement
	full   *sql.Stmt
	args   []any
	n      int
	before *bulk // flushed first (foreign keys: posts before reactions)
	total  int64
}

// bulkParams is the number of bound parameters per statement. The SQLite
// driver re-parses a statement at every Exec and matches each parameter to
// its argument by a linear scan (quadratic in the parameters), so a few
// hundred parameters per statement is fastest; PostgreSQL likes bigger ones.
var bulkParams = 200

func newBulk(ctx context.Context, tx *sql.Tx, pg bool, table string, rows int, cols ...string) *bulk {
	limit := bulkParams
	if pg {
		limit = 16000 // PostgreSQL caps a statement at 65,535 parameters
	}
	rows = max(1, min(rows, limit/len(cols)))
	return &bulk{ctx: ctx, tx: tx, pg: pg, table: table, cols: cols, rows: rows, args: make([]any, 0, rows*len(cols))}
}

func (b *bulk) sql(n int) string {
	var s strings.Builder
	s.Grow(40 + n*len(b.cols)*5)
	s.WriteString("INSERT INTO ")
	s.WriteString(b.table)
	s.WriteString(" (")
	s.WriteString(strings.Join(b.cols, ", "))
	s.WriteString(") VALUES ")
	p := 1
	for i := range n {
		if i > 0 {
			s.WriteByte(',')
		}
		s.WriteByte('(')
		for j := range b.cols {
			if j > 0 {
				s.WriteByte(',')
			}
			if b.pg {
				fmt.Fprintf(&s, "$%d", p)
				p++
			} else {
				s.WriteByte('?')
			}
		}
		s.WriteByte(')')
	}
	return s.String()
}

func (b *bulk) add(vals ...any) error {
	b.args = append(b.args, vals...)
	b.n++
	if b.n == b.rows {
		return b.flush()
	}
	return nil
}

func (b *bulk) flush() error {
	if b.n == 0 {
		return nil
	}
	if b.before != nil {
		if err := b.before.flush(); err != nil {
			return err
		}
	}
	var err error
	if b.n == b.rows {
		if b.full == nil {
			if b.full, err = b.tx.PrepareContext(b.ctx, b.sql(b.rows)); err != nil {
				return fmt.Errorf("loadgen: prepare insert into %s: %w", b.table, err)
			}
		}
		_, err = b.full.ExecContext(b.ctx, b.args...)
	} else {
		_, err = b.tx.ExecContext(b.ctx, b.sql(b.n), b.args...)
	}
	if err != nil {
		return fmt.Errorf("loadgen: insert %d rows into %s: %w", b.n, b.table, err)
	}
	b.total += int64(b.n)
	clear(b.args)
	b.args, b.n = b.args[:0], 0
	return nil
}

// SetBulkParams changes the parameters per statement (for tuning).
func SetBulkParams(n int) { bulkParams = max(10, n) }
