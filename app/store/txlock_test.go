package store_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"gorm.io/gorm"

	"parley/app/store"
)

// A write transaction takes SQLite's write lock at BEGIN (BEGIN IMMEDIATE),
// so a second process that writes meanwhile waits for it instead of making
// our transaction fail half-way with SQLITE_BUSY.
func TestSQLiteWriteTransactionsBeginImmediate(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.db")
	open := func() *store.Store {
		st, err := store.Open(ctx, store.Options{SQLitePath: path})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	a, b := open(), open() // two "processes" on one file
	if _, err := a.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	inTx := make(chan struct{})
	release := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- a.Tx(ctx, func(tx *gorm.DB) error {
			close(inTx)
			<-release
			// With a deferred BEGIN, b's write below would have taken the
			// lock first and this insert would fail with SQLITE_BUSY.
			return tx.Exec("INSERT INTO settings (key, value) VALUES ('a', '1')").Error
		})
	}()
	<-inTx
	wrote := make(chan error, 1)
	go func() { wrote <- b.W.Exec("INSERT INTO settings (key, value) VALUES ('b', '2')").Error }()
	select {
	case err := <-wrote:
		t.Fatalf("a second writer wrote during an open write transaction (err %v)", err)
	case <-time.After(300 * time.Millisecond):
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatalf("the first transaction failed: %v", err)
	}
	if err := <-wrote; err != nil {
		t.Fatalf("the waiting writer failed: %v", err)
	}
	var n int64
	b.R.Raw("SELECT COUNT(*) FROM settings").Scan(&n)
	if n != 2 {
		t.Fatalf("%d rows", n)
	}
}
