package store

import (
	"context"
	"sync/atomic"

	"gorm.io/gorm"
)

type countKey struct{}

// CountQueries returns a context under which every statement sent through
// the store adds one to the returned counter. Tests use it to pin how many
// queries a page costs; because the hook is installed once at Open, counting
// never mutates GORM's callback lists while background consumers query.
func CountQueries(parent context.Context) (context.Context, *atomic.Int64) {
	n := new(atomic.Int64)
	return context.WithValue(parent, countKey{}, n), n
}

// installCounter registers the counting hook on every kind of statement.
func installCounter(db *gorm.DB) error {
	inc := func(tx *gorm.DB) {
		if ctx := tx.Statement.Context; ctx != nil {
			if n, ok := ctx.Value(countKey{}).(*atomic.Int64); ok {
				n.Add(1)
			}
		}
	}
	cb := db.Callback()
	for _, err := range []error{
		cb.Query().After("gorm:query").Register("parley:count", inc),
		cb.Raw().After("gorm:raw").Register("parley:count", inc),
		cb.Row().After("gorm:row").Register("parley:count", inc),
		cb.Create().After("gorm:create").Register("parley:count", inc),
		cb.Update().After("gorm:update").Register("parley:count", inc),
		cb.Delete().After("gorm:delete").Register("parley:count", inc),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}
