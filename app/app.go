// Package app builds one Parley instance from its configuration: the store,
// the domain services and the web server, in small steps and in one place.
package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"parley/app/audit"
	"parley/app/auth"
	"parley/app/config"
	"parley/app/forum"
	"parley/app/guidelines"
	"parley/app/moderation"
	"parley/app/notify"
	"parley/app/realtime"
	"parley/app/render"
	"parley/app/search"
	"parley/app/site"
	"parley/app/store"
)

// App is one running Parley: every service, built once by New.
type App struct {
	Config config.Config
	Log    *slog.Logger
	Store  *store.Store
	Auth   *auth.Service
	Forum  *forum.Service
	Site   *site.Service
	Render *render.Renderer
	// Realtime is the websocket hub, a consumer of the event log; Close
	// sends its clients close frames.
	Realtime *realtime.Hub
	// Notify stores notifications; its consumer of the event log writes
	// them (and their events, which the hub pushes to the bell).
	Notify *notify.Service
	// Search is the full-text index in <data>/search, a consumer of the log.
	Search *search.Service
	// Guidelines are the community guidelines (sign-up accepts them);
	// Audit reads the staff audit log (services write it with audit.Record).
	Guidelines *guidelines.Service
	Audit      *audit.Service
	// Moderation owns flags and the review queue.
	Moderation *moderation.Service
}

// Options adjust New for tests and tools.
type Options struct {
	// PasswordParams overrides the argon2id cost (tests use a cheap one).
	PasswordParams *auth.PasswordParams
	LogOutput      io.Writer
}

// New opens the database, migrates it and builds the services.
func New(ctx context.Context, cfg config.Config, o Options) (*App, error) {
	a := &App{Config: cfg}
	a.initLog(o.LogOutput)
	if err := cfg.EnsureDataDir(); err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, store.Options{DatabaseURL: cfg.DatabaseURL, SQLitePath: cfg.SQLitePath(), SQLiteSync: cfg.SQLiteSync, Log: a.Log})
	if err != nil {
		return nil, err
	}
	a.Store = st
	applied, err := st.Migrate(ctx)
	if err != nil {
		_ = st.Close() // the migration or service error is the one to report
		return nil, err
	}
	for _, m := range applied {
		a.Log.Info("migration applied", "file", m)
	}
	params := auth.DefaultPasswordParams()
	if o.PasswordParams != nil {
		params = *o.PasswordParams
	}
	if a.Auth, err = auth.New(ctx, st, params); err != nil {
		_ = st.Close() // the migration or service error is the one to report
		return nil, err
	}
	a.Render = render.New()
	a.Forum = forum.New(st, a.Auth, a.Render, forum.Options{PostEvery: cfg.PostEvery, NewPostEvery: cfg.NewPostEvery, NewAccountAge: cfg.NewAccountAge})
	a.Site = site.New(st)
	a.Guidelines, a.Audit = guidelines.New(st, a.Render), audit.New(st)
	a.Auth.RequireTerms(a.Guidelines)
	a.Moderation = moderation.New(st, a.Forum, a.Site, a.Guidelines)
	a.Realtime = realtime.New(st, a.Forum, realtime.Options{Log: a.Log})
	if err := a.Realtime.Start(ctx); err != nil {
		_ = st.Close() // the hub's error is the one to report
		return nil, fmt.Errorf("app: start real time: %w", err)
	}
	a.Notify = notify.New(st, a.Auth, a.Forum, notify.Options{Log: a.Log})
	if err := a.Notify.Start(ctx); err != nil {
		a.Realtime.Close()
		_ = st.Close() // the consumer's error is the one to report
		return nil, fmt.Errorf("app: start notifications: %w", err)
	}
	a.Search, err = search.New(st, a.Forum, a.Auth, search.Options{Dir: filepath.Join(cfg.DataDir, "search"), Log: a.Log})
	if err == nil {
		err = a.Search.Start(ctx)
	}
	if err != nil {
		a.Notify.Close()
		a.Realtime.Close()
		_ = st.Close() // the index's error is the one to report
		return nil, fmt.Errorf("app: start search: %w", err)
	}
	return a, nil
}

func (a *App) initLog(out io.Writer) {
	if out == nil {
		out = os.Stderr
	}
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(strings.ToUpper(a.Config.LogLevel)))
	opts := &slog.HandlerOptions{Level: lvl}
	if a.Config.LogFormat == "json" {
		a.Log = slog.New(slog.NewJSONHandler(out, opts))
	} else {
		a.Log = slog.New(slog.NewTextHandler(out, opts))
	}
}

// UploadsDir is where the logo and other uploaded files live.
func (a *App) UploadsDir() string { return filepath.Join(a.Config.DataDir, "uploads") }

// Close releases the database.
func (a *App) Close() error {
	if a.Search != nil {
		a.Search.Close() // a batch in flight is written, with its checkpoint
	}
	if a.Notify != nil {
		a.Notify.Close() // before the store: a batch in flight commits first
	}
	if a.Realtime != nil {
		a.Realtime.Close()
	}
	if a.Store == nil {
		return nil
	}
	if err := a.Store.Close(); err != nil {
		return fmt.Errorf("app: close store: %w", err)
	}
	return nil
}
