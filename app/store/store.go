// Package store opens the database (SQLite by default, PostgreSQL for large
// installs), runs the embedded migrations, and owns transactions and the
// event log. It knows nothing of the domain packages that use it.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/pressly/goose/v3"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"parley/migrations"
)

// Options says which database to open.
type Options struct {
	// DatabaseURL is a postgres:// URL; empty means SQLite at SQLitePath.
	DatabaseURL string
	SQLitePath  string
	// SQLiteSync is FULL or NORMAL.
	SQLiteSync string
	Log        *slog.Logger
}

// Store is an open database. On SQLite, writes go through one connection
// (W) because SQLite serialises writers anyway and several writer
// connections make some writers wait seconds; reads use a pool (R).
// On PostgreSQL W and R are the same pool.
type Store struct {
	W, R    *gorm.DB
	Dialect string // "sqlite" or "postgres"
	commits *Signal
	gc      *committer // SQLite only: group commit of Tx
}

// Open connects and checks the connection. It does not migrate.
func Open(ctx context.Context, o Options) (*Store, error) {
	// gorm.Open keeps and mutates its Config (pool, callbacks), so each
	// pool needs its own; a shared one would merge the writer and readers.
	gcfg := func() *gorm.Config { return &gorm.Config{Logger: logger.Discard, SkipDefaultTransaction: true} }
	s := &Store{commits: NewSignal()}
	if o.DatabaseURL != "" {
		db, err := gorm.Open(postgres.Open(o.DatabaseURL), gcfg())
		if err != nil {
			return nil, fmt.Errorf("database-url (PARLEY_DATABASE_URL): %w", redact(err, o.DatabaseURL))
		}
		sqlDB, _ := db.DB()
		sqlDB.SetMaxOpenConns(32)
		sqlDB.SetMaxIdleConns(16)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
		if err := sqlDB.PingContext(ctx); err != nil {
			return nil, fmt.Errorf("database-url (PARLEY_DATABASE_URL): cannot connect: %w", redact(err, o.DatabaseURL))
		}
		if err := installCounter(db); err != nil {
			return nil, err
		}
		s.W, s.R, s.Dialect = db, db, "postgres"
		return s, nil
	}
	sync := o.SQLiteSync
	if sync == "" {
		sync = "FULL"
	}
	// No _time_format parameter: the driver's default already writes the
	// sortable "2006-01-02 15:04:05.999999999-07:00" form, and in
	// glebarez/go-sqlite v1.21.2 setting it makes the driver skip _txlock,
	// which silently turned BEGIN IMMEDIATE into a plain BEGIN.
	base := "file:" + o.SQLitePath + "?_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)" +
		"&_pragma=busy_timeout(10000)&_pragma=synchronous(" + url.QueryEscape(sync) + ")"
	// temp_store(MEMORY) on the writer: group commit runs every call in a
	// savepoint, whose sub-journal SQLite otherwise spills to a temporary
	// file (open, unlink, one pwrite per page) past 64 KiB. A batch's
	// sub-journal is bounded by maxBatch calls, so memory is the cheap place.
	w, err := gorm.Open(sqlite.Open(base+"&_txlock=immediate&_pragma=temp_store(MEMORY)"), gcfg())
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", o.SQLitePath, err)
	}
	wdb, _ := w.DB()
	wdb.SetMaxOpenConns(1)
	wdb.SetConnMaxLifetime(0)
	if err := wdb.PingContext(ctx); err != nil {
		return nil, fmt.Errorf("store: open %s: %w", o.SQLitePath, err)
	}
	r, err := gorm.Open(sqlite.Open(base+"&_pragma=query_only(1)"), gcfg())
	if err != nil {
		return nil, fmt.Errorf("store: open %s for reading: %w", o.SQLitePath, err)
	}
	rdb, _ := r.DB()
	rdb.SetMaxOpenConns(max(4, runtime.NumCPU()*2))
	rdb.SetMaxIdleConns(max(4, runtime.NumCPU()*2))
	for _, db := range []*gorm.DB{w, r} {
		if err := installCounter(db); err != nil {
			return nil, err
		}
	}
	s.W, s.R, s.Dialect = w, r, "sqlite"
	s.gc = newCommitter(w, s.commits.Notify)
	return s, nil
}

// redact removes the password of a database URL from an error message.
func redact(err error, dbURL string) error {
	u, perr := url.Parse(dbURL)
	if perr != nil || u.User == nil {
		return err
	}
	if p, ok := u.User.Password(); ok && p != "" {
		return errors.New(strings.ReplaceAll(err.Error(), p, "xxxxx"))
	}
	return err
}

// Close closes both pools. On SQLite it first stops the committer: Tx calls
// still queued fail with ErrClosed, the batch in flight finishes.
func (s *Store) Close() error {
	if s.gc != nil {
		s.gc.close()
	}
	var errs []error
	for _, g := range []*gorm.DB{s.R, s.W} {
		if db, err := g.DB(); err == nil {
			errs = append(errs, db.Close())
		}
		if s.R == s.W {
			break
		}
	}
	return errors.Join(errs...)
}

// SQL returns the writer's *sql.DB (for metrics and health checks).
func (s *Store) SQL() *sql.DB {
	db, _ := s.W.DB()
	return db
}

// Migrate applies every pending migration, each in its own transaction.
func (s *Store) Migrate(ctx context.Context) ([]string, error) {
	dialect, dir := goose.DialectSQLite3, "sqlite"
	if s.Dialect == "postgres" {
		dialect, dir = goose.DialectPostgres, "postgres"
	}
	sub, err := fs.Sub(migrations.FS, dir)
	if err != nil {
		return nil, err
	}
	p, err := goose.NewProvider(dialect, s.SQL(), sub)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	res, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: migrate: %w", err)
	}
	var applied []string
	for _, r := range res {
		applied = append(applied, r.Source.Path)
	}
	return applied, nil
}

// Tx runs fn in one write transaction. Every change and its events commit or
// roll back together; consumers of the event log are woken after commit.
//
// On SQLite, concurrent calls share one commit (see committer): each fn runs
// in its own savepoint, so a failing fn undoes only its own changes and gets
// its own error; a panic in fn comes back as a *PanicError. fn's statements
// run under the committer's context, not ctx: ctx can only cancel a call
// that has not started. fn must not call Tx (it would wait for itself).
func (s *Store) Tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if s.gc != nil {
		return s.gc.do(ctx, fn)
	}
	err := s.W.WithContext(ctx).Transaction(fn)
	if err == nil {
		s.commits.Notify()
	}
	return err
}

// Commits is the in-process signal raised after every committed write, so
// event-log consumers wake at once instead of polling.
func (s *Store) Commits() *Signal { return s.commits }

// Ping checks that the database answers (readiness).
func (s *Store) Ping(ctx context.Context) error {
	return s.SQL().PingContext(ctx)
}
