package web

import (
	"database/sql"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"parley/app/pagecache"
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
