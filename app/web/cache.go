package web

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"

	"github.com/labstack/echo/v4"

	"parley/app/pagecache"
)

const keyCache = "pagecache"

// cacheState travels with one request that may be stored in the page cache.
type cacheState struct {
	tags    []string
	noStore bool // something viewer-specific (a CSRF token) went into the body
}

// cacheTags names what a response shows, so that events about those things
// drop it. A response without tags is never stored.
func cacheTags(c echo.Context, tags ...string) {
	if st, ok := c.Get(keyCache).(*cacheState); ok {
		st.tags = append(st.tags, tags...)
	}
}

// noCache marks the response as unfit for sharing.
func noCache(c echo.Context) {
	if st, ok := c.Get(keyCache).(*cacheState); ok {
		st.noStore = true
	}
}

// cacheParams are the query parameters a cacheable page may vary by; any
// other parameter (a flash notice, a quote to prefill, junk) bypasses the
// cache, so random query strings cannot flood it.
var cacheParams = []string{"cursor", "page"}

// cacheKey is the path plus the allowed parameters in a fixed order.
func cacheKey(r *http.Request) (string, bool) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return "", false
	}
	for k, v := range q {
		if !slices.Contains(cacheParams, k) || len(v) != 1 {
			return "", false
		}
	}
	key := r.URL.Path
	if len(q) > 0 {
		key += "?" + q.Encode() // Encode sorts by key
	}
	return key, true
}

// cached serves an anonymous GET from the page cache or renders it and
// stores it. The body is rendered with a placeholder nonce that is swapped
// for each response's own nonce, so the CSP stays per response.
func (s *Server) cached(h echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.pages == nil || viewer(c).SignedIn() || c.Request().Method != http.MethodGet {
			return h(c)
		}
		key, ok := cacheKey(c.Request())
		if !ok || !s.pages.Fresh() {
			return h(c)
		}
		if e, ok := s.pages.Get(key); ok {
			return s.serveCached(c, e)
		}
		snap := s.pages.Snapshot()
		st := &cacheState{}
		c.Set(keyCache, st)
		realNonce, _ := c.Get(keyNonce).(string)
		c.Set(keyNonce, s.placeholder)
		res := c.Response()
		orig := res.Writer
		rec := &recorder{h: orig.Header()}
		res.Writer = rec
		res.Header().Set("X-Parley-Cache", "miss")
		err := h(c)
		res.Writer = orig
		c.Set(keyNonce, realNonce)
		if err != nil || !res.Committed {
			res.Header().Del("X-Parley-Cache")
			return err // nothing was written; the error handler answers as usual
		}
		parts := pagecache.Split(rec.buf.Bytes(), []byte(s.placeholder))
		if res.Status == http.StatusOK && !st.noStore {
			s.pages.Put(key, &pagecache.Entry{Status: res.Status, ContentType: res.Header().Get(echo.HeaderContentType),
				CacheControl: res.Header().Get("Cache-Control"), Parts: parts, Tags: st.tags}, snap)
		}
		orig.WriteHeader(res.Status)
		return writeParts(orig, parts, realNonce)
	}
}

func (s *Server) serveCached(c echo.Context, e *pagecache.Entry) error {
	nonce, _ := c.Get(keyNonce).(string)
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, e.ContentType)
	if e.CacheControl != "" {
		h.Set("Cache-Control", e.CacheControl)
	}
	h.Set("X-Parley-Cache", "hit")
	c.Response().WriteHeader(e.Status)
	return writeParts(c.Response(), e.Parts, nonce)
}

func writeParts(w http.ResponseWriter, parts [][]byte, nonce string) error {
	for i, p := range parts {
		if i > 0 {
			if _, err := w.Write([]byte(nonce)); err != nil {
				return err
			}
		}
		if _, err := w.Write(p); err != nil {
			return err
		}
	}
	return nil
}

// recorder holds a response body in memory; headers go straight to the
// real response's header map.
type recorder struct {
	h   http.Header
	buf bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.h }
func (r *recorder) Write(b []byte) (int, error) { return r.buf.Write(b) }
func (r *recorder) WriteHeader(int)             {}
