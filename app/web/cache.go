package web

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

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
		body := rec.buf.Bytes()
		if res.Status != http.StatusOK || st.noStore {
			orig.WriteHeader(res.Status)
			_, err := orig.Write(bytes.ReplaceAll(body, []byte(s.placeholder), []byte(realNonce)))
			return err
		}
		packed, err := s.packer.Pack(pagecache.Split(body, []byte(s.placeholder)))
		if err != nil {
			return err
		}
		e := &pagecache.Entry{Status: res.Status, ContentType: res.Header().Get(echo.HeaderContentType),
			CacheControl: res.Header().Get("Cache-Control"), Body: packed, Tags: st.tags}
		s.pages.Put(key, e, snap)
		return writeEntry(c, orig, e, realNonce)
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
	return writeEntry(c, c.Response(), e, nonce)
}

// writeEntry sends a stored body: as gzip, straight from the compressed
// parts, to clients that accept it (every browser), inflated otherwise.
func writeEntry(c echo.Context, w http.ResponseWriter, e *pagecache.Entry, nonce string) error {
	h := w.Header()
	h.Add("Vary", "Accept-Encoding")
	if !acceptsGzip(c.Request().Header.Get("Accept-Encoding")) {
		w.WriteHeader(e.Status)
		return e.Body.WritePlain(w, []byte(nonce))
	}
	buf := e.Body.AppendGzip(make([]byte, 0, e.Body.Size()+256), []byte(nonce))
	h.Set("Content-Encoding", "gzip")
	h.Set("Content-Length", strconv.Itoa(len(buf)))
	w.WriteHeader(e.Status)
	_, err := w.Write(buf)
	return err
}

// acceptsGzip reads an Accept-Encoding header: gzip (or *) listed without
// q=0.
func acceptsGzip(header string) bool {
	for _, item := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(item), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "x-gzip" && name != "*" {
			continue
		}
		q := strings.ReplaceAll(strings.ToLower(params), " ", "")
		if q == "q=0" || q == "q=0.0" || q == "q=0.00" || q == "q=0.000" {
			return false
		}
		return true
	}
	return false
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
