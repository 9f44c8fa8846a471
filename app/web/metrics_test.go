package web_test

import (
	"net/http"
	"strings"
	"testing"

	"parley/app/apptest"
)

// /metrics carries the page cache's and the websocket hub's figures.
func TestMetricsIncludeCacheAndRealtime(t *testing.T) {
	a := apptest.New(t)
	body := string(a.Client().Must(http.StatusOK, "GET", "/metrics", nil).Body)
	for _, name := range []string{"parley_page_cache_hits_total", "parley_page_cache_bytes", "parley_ws_connections", "parley_ws_delivered_total", "parley_search_checkpoint_event", "parley_search_rebuilding"} {
		if !strings.Contains(body, "\n"+name+" ") && !strings.Contains(body, "\n"+name+"{") {
			t.Errorf("/metrics lacks %s", name)
		}
	}
}
