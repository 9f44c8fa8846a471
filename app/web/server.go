// Package web wires HTTP to the domain services: the route table, middleware,
// page and JSON handlers, and the one error handler. It holds no rules of its
// own beyond input decoding and choosing a response format.
package web

import (
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"parley/app"
	"parley/app/pagecache"
	"parley/static"
	"parley/themes"
)

// Server is the HTTP face of one App.
type Server struct {
	a       *app.App
	log     *slog.Logger
	tpl     *Templates
	e       *echo.Echo
	metrics *metrics
	cop     *http.CrossOriginProtection
	secure  bool // cookies get the Secure flag

	// pages caches anonymous pages (nil when PARLEY_PAGE_CACHE_TTL=0);
	// placeholder stands in for the CSP nonce inside stored bodies. It is
	// random per process and never sent, so no post can contain it.
	pages       *pagecache.Cache
	packer      *pagecache.Packer
	placeholder string

	bufs sync.Pool // *bytes.Buffer for rendering pages: a thread page is ~60 KB
}

// New builds the server and checks every template.
func New(a *app.App) (*Server, error) {
	tfs, err := fs.Sub(themes.FS, ".")
	if err != nil {
		return nil, err
	}
	tpl, err := LoadTemplates(tfs, time.Now)
	if err != nil {
		return nil, err
	}
	s := &Server{a: a, log: a.Log, tpl: tpl, e: echo.New(), cop: http.NewCrossOriginProtection(),
		bufs: sync.Pool{New: func() any { return new(bytes.Buffer) }}}
	s.secure = len(a.Config.BaseURL) > 8 && a.Config.BaseURL[:8] == "https://"
	reg := prometheus.NewRegistry()
	s.metrics = newMetrics(reg, a.Store.SQL())
	if a.Realtime != nil {
		registerRealtimeMetrics(reg, a.Realtime)
	}
	if a.Search != nil {
		registerSearchMetrics(reg, a.Search)
	}
	if ttl := a.Config.PageCacheTTL; ttl > 0 {
		s.pages = pagecache.New(pagecache.Options{TTL: ttl}, a.Store.Commits().Seq)
		s.placeholder = newNonce()
		s.packer = pagecache.NewPacker(flate.BestSpeed, len(s.placeholder)) // 0.12 ms and ~4x on a 34 KB thread page; level 5 costs 3x the time for 8% less
		registerCacheMetrics(reg, s.pages)
	}
	s.e.HideBanner, s.e.HidePort = true, true
	s.e.HTTPErrorHandler = s.handleError
	s.e.Use(s.recoverPanics, s.observe, s.securityHeaders, limitBody, s.loadViewer, s.checkCSRF)
	s.routes(reg)
	return s, nil
}

// Start runs the server's event-log consumers until ctx ends. Serve calls
// it; tests that mount Handler on their own listener call it themselves.
func (s *Server) Start(ctx context.Context) {
	if s.pages != nil {
		go s.pages.Follow(ctx, s.a.Store, s.log)
	}
}

// Handler returns the root handler (for httptest servers).
func (s *Server) Handler() http.Handler { return s.e }

// Echo exposes the router (route listing in tests).
func (s *Server) Echo() *echo.Echo { return s.e }

// Serve listens on addr until ctx ends, then shuts down gracefully: it stops
// accepting connections and lets in-flight requests finish (up to 20 s).
func (s *Server) Serve(ctx context.Context, addr string, ready func(addr string)) error {
	srv := &http.Server{Addr: addr, Handler: s.e, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 60 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second}
	ln, err := listen(addr)
	if err != nil {
		return err
	}
	s.logFileLimit()
	s.Start(ctx)
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// logFileLimit raises the open-file limit to its maximum and says what it
// is: one descriptor per websocket client, so it caps how many can watch.
func (s *Server) logFileLimit() {
	soft, hard, err := RaiseFileLimit()
	switch {
	case err != nil:
		s.log.Warn("could not raise the open file limit", "soft", soft, "hard", hard, "err", err)
	case soft == 0:
	case soft < 4096:
		s.log.Warn("the open file limit is low: each websocket client holds a file; raise the hard limit (LimitNOFILE, ulimit -Hn)", "limit", soft)
	default:
		s.log.Info("open file limit (each websocket client holds one)", "limit", soft, "hard", hard)
	}
}

func staticFS() http.Handler {
	return http.StripPrefix("/static/", http.FileServer(http.FS(static.FS)))
}
