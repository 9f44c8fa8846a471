package web

import (
	"database/sql"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"parley/app/pagecache"
	"parley/app/realtime"
	"parley/app/search"
)

type metrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// newMetrics registers on a registry of this server's own (no global
// default registry, so several servers can run in one test process).
func newMetrics(reg *prometheus.Registry, db *sql.DB) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "parley_http_requests_total",
			Help: "HTTP requests by method, route pattern and status."}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "parley_http_request_duration_seconds",
			Help: "HTTP request latency by route pattern.", Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}},
			[]string{"route"}),
	}
	reg.MustRegister(m.requests, m.latency, collectors.NewDBStatsCollector(db, "parley"),
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// registerCacheMetrics exposes the page cache's counters.
func registerCacheMetrics(reg *prometheus.Registry, c *pagecache.Cache) {
	counter := func(name, help string, f func(pagecache.Stats) uint64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, func() float64 { return float64(f(c.Stats())) })
	}
	reg.MustRegister(
		counter("parley_page_cache_hits_total", "Anonymous pages served from the page cache.", func(s pagecache.Stats) uint64 { return s.Hits }),
		counter("parley_page_cache_misses_total", "Cacheable anonymous requests rendered afresh.", func(s pagecache.Stats) uint64 { return s.Misses }),
		counter("parley_page_cache_invalidations_total", "Invalidations applied from the event log.", func(s pagecache.Stats) uint64 { return s.Invalidations }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "parley_page_cache_bytes", Help: "Bytes held by the page cache."},
			func() float64 { return float64(c.Stats().Bytes) }),
	)
}

// registerRealtimeMetrics exposes the websocket hub's counters.
func registerRealtimeMetrics(reg *prometheus.Registry, h *realtime.Hub) {
	gauge := func(name, help string, f func(realtime.Stats) float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 { return f(h.Stats()) })
	}
	counter := func(name, help string, f func(realtime.Stats) int64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, func() float64 { return float64(f(h.Stats())) })
	}
	reg.MustRegister(
		gauge("parley_ws_connections", "Open websocket connections.", func(s realtime.Stats) float64 { return float64(s.Conns) }),
		gauge("parley_ws_channels", "Channels with at least one subscriber.", func(s realtime.Stats) float64 { return float64(s.Topics) }),
		gauge("parley_ws_head_event", "The last event id the hub fanned out.", func(s realtime.Stats) float64 { return float64(s.Head) }),
		counter("parley_ws_accepted_total", "Websocket connections accepted.", func(s realtime.Stats) int64 { return s.Accepted }),
		counter("parley_ws_delivered_total", "Live event messages queued to connections.", func(s realtime.Stats) int64 { return s.Delivered }),
		counter("parley_ws_too_slow_total", "Connections cut off for falling too far behind (close 4008).", func(s realtime.Stats) int64 { return s.TooSlow }),
		counter("parley_ws_lagged_total", "Times a connection fell behind and caught up from the ring.", func(s realtime.Stats) int64 { return s.Lagged }),
	)
}

// registerSearchMetrics exposes where the search index has got to: an
// operator compares parley_search_checkpoint_event with parley_ws_head_event
// (or the log's last id) to see how far search is behind.
func registerSearchMetrics(reg *prometheus.Registry, s *search.Service) {
	reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "parley_search_checkpoint_event", Help: "The last event id applied to the search index."},
			func() float64 { return float64(s.Stats().Checkpoint) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "parley_search_rebuilding", Help: "1 while the search index is being rebuilt or catching up after a rebuild."},
			func() float64 {
				if s.Stats().Rebuilding {
					return 1
				}
				return 0
			}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "parley_search_builds_total", Help: "Full rebuilds of the search index completed."},
			func() float64 { return float64(s.Stats().Builds) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "parley_search_build_posts_total", Help: "Posts written by full rebuilds."},
			func() float64 { return float64(s.Stats().BuildDocs) }),
	)
}
