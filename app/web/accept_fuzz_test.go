package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// FuzzCacheRequest: the page cache's request parsing (Accept-Encoding and
// the cache key from the query string) never panics, and a key is only
// made from the allowed parameters.
func FuzzCacheRequest(f *testing.F) {
	for _, s := range [][2]string{{"gzip", "page=2"}, {"gzip;q=0", "cursor=abc&page=1"}, {"*;q=0.5, br", "page=1&page=2"},
		{"x-gzip", "flash=hi"}, {"", "%zz"}, {"GZIP ; q=1", ""}, {"identity", "page=%00"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, ae, rawQuery string) {
		_ = acceptsGzip(ae)
		if !strings.Contains(strings.ToLower(ae), "gzip") && !strings.Contains(ae, "*") && acceptsGzip(ae) {
			t.Fatalf("%q accepted gzip without naming it", ae)
		}
		r := &http.Request{URL: &url.URL{Path: "/t/1", RawQuery: rawQuery}}
		key, ok := cacheKey(r)
		if !ok {
			return
		}
		q, err := url.ParseQuery(strings.TrimPrefix(strings.TrimPrefix(key, "/t/1"), "?"))
		if err != nil {
			t.Fatalf("key %q does not parse back: %v", key, err)
		}
		for k := range q {
			if k != "page" && k != "cursor" {
				t.Fatalf("key %q carries parameter %q", key, k)
			}
		}
	})
}
