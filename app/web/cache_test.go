package web_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"parley/app/apptest"
	"parley/app/config"
)

var nonceAttrRE = regexp.MustCompile(`nonce="([^"]*)"`)

// checkNonces fails unless every nonce in the body is the one in this
// response's CSP header.
func checkNonces(t *testing.T, r *apptest.Response) string {
	t.Helper()
	csp := r.Header.Get("Content-Security-Policy")
	m := regexp.MustCompile(`'nonce-([0-9a-f]{32})'`).FindStringSubmatch(csp)
	if m == nil {
		t.Fatalf("no nonce in CSP %q", csp)
	}
	found := nonceAttrRE.FindAllStringSubmatch(string(r.Body), -1)
	if len(found) == 0 {
		t.Fatal("page has no nonce attributes")
	}
	for _, f := range found {
		if f[1] != m[1] {
			t.Fatalf("body nonce %q does not match header nonce %q", f[1], m[1])
		}
	}
	return m[1]
}

func TestAnonymousThreadPageIsCachedWithItsOwnNonce(t *testing.T) {
	w := newWorld(t)
	th := w.thread(w.admin, "general", "Cached thread", "First post of the cached thread")
	anon := w.a.Client()
	path := fmt.Sprintf("/t/%d", th.Thread.ID)

	first := waitHit(t, anon, path)
	second := anon.Must(http.StatusOK, "GET", path, nil)
	if got := second.Header.Get("X-Parley-Cache"); got != "hit" {
		t.Fatalf("request after a hit: X-Parley-Cache %q, want hit", got)
	}
	n1, n2 := checkNonces(t, first), checkNonces(t, second)
	if n1 == n2 {
		t.Fatal("two responses share a nonce")
	}
	if !strings.Contains(string(second.Body), "First post of the cached thread") {
		t.Fatal("cached page lost its content")
	}
	for _, r := range []*apptest.Response{first, second} {
		if ck := r.Header.Get("Set-Cookie"); ck != "" {
			t.Fatalf("an anonymous thread page sets a cookie (%q): it would be shared through the cache", ck)
		}
	}

	// A page varies by ?page= but not by parameters it ignores.
	if r := anon.Must(http.StatusOK, "GET", path+"?page=1", nil); r.Header.Get("X-Parley-Cache") == "hit" {
		t.Fatal("?page=1 is its own entry, yet its first request was a hit")
	}
	if r := anon.Must(http.StatusOK, "GET", path+"?flash=Hello", nil); r.Header.Get("X-Parley-Cache") != "" || !strings.Contains(string(r.Body), "Hello") {
		t.Fatalf("a flash notice must bypass the cache (header %q)", r.Header.Get("X-Parley-Cache"))
	}
}

// Every write a client got a 201 for shows on the very next anonymous read,
// HTML and JSON, even with readers hammering the same page meanwhile.
func TestCacheNeverServesAPageOlderThanAnAcknowledgedWrite(t *testing.T) {
	w := newWorld(t)
	th := w.thread(w.admin, "general", "Busy thread", "Opening post")
	anon := w.a.Client()
	html, api := fmt.Sprintf("/t/%d", th.Thread.ID), fmt.Sprintf("/api/v1/threads/%d", th.Thread.ID)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var once sync.Once
	halt := func() { once.Do(func() { close(stop); wg.Wait() }) } // readers finish before the test fails or ends
	defer halt()
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reader := w.a.Client()
			for {
				select {
				case <-stop:
					return
				default:
					reader.Do("GET", html, nil)
					reader.Do("GET", api, nil)
				}
			}
		}()
	}
	for i := range 15 {
		body := fmt.Sprintf("Reply number %d with a unique marker zq%dq", i, i)
		w.admin.Must(http.StatusCreated, "POST", api+"/posts", map[string]string{"body": body})
		marker := fmt.Sprintf("zq%dq", i)
		if r := anon.Must(http.StatusOK, "GET", html, nil); !strings.Contains(string(r.Body), marker) {
			halt()
			t.Fatalf("reply %d missing from the HTML page right after its 201 (cache %s)", i, r.Header.Get("X-Parley-Cache"))
		}
		if r := anon.Must(http.StatusOK, "GET", api, nil); !strings.Contains(string(r.Body), marker) {
			halt()
			t.Fatalf("reply %d missing from the JSON page right after its 201 (cache %s)", i, r.Header.Get("X-Parley-Cache"))
		}
	}
	halt()
	// And with the writers gone the page is served from the cache again.
	apptest.Eventually(t, "a cache hit once writes stop", 5*time.Second, func() bool {
		return anon.Must(http.StatusOK, "GET", html, nil).Header.Get("X-Parley-Cache") == "hit"
	})
}

func TestSignedInPagesNeverComeFromTheCache(t *testing.T) {
	w := newWorld(t)
	th := w.thread(w.admin, "general", "Members view", "Hello")
	path := fmt.Sprintf("/t/%d", th.Thread.ID)
	w.a.Client().Must(http.StatusOK, "GET", path, nil)
	w.a.Client().Must(http.StatusOK, "GET", path, nil) // now stored
	member := w.a.Client().Register("cache_member")
	r := member.Must(http.StatusOK, "GET", path, nil)
	if h := r.Header.Get("X-Parley-Cache"); h != "" {
		t.Fatalf("signed-in page went through the cache (%q)", h)
	}
	if !strings.Contains(string(r.Body), `action="/logout"`) || !strings.Contains(string(r.Body), member.CSRF) {
		t.Fatal("signed-in page lacks the member's own logout form and token")
	}
}

// A forum turned members-only must stop being served to visitors at once,
// even where its pages were cached.
func TestVisibilityChangeDropsCachedPages(t *testing.T) {
	w := newWorld(t)
	th := w.thread(w.admin, "general", "Soon private", "Secret plans")
	anon := w.a.Client()
	paths := []string{fmt.Sprintf("/t/%d", th.Thread.ID), fmt.Sprintf("/api/v1/threads/%d", th.Thread.ID), "/f/general", "/api/v1/forums/general/threads"}
	for _, p := range paths {
		waitHit(t, anon, p)
	}
	w.admin.Must(http.StatusOK, "PATCH", "/api/v1/forums/general", map[string]string{"visibility": "members"})
	for _, p := range paths {
		if r := anon.Do("GET", p, nil); r.Status != http.StatusNotFound {
			t.Fatalf("%s after the forum went members-only: %d, want 404", p, r.Status)
		}
	}
	home := anon.Must(http.StatusOK, "GET", "/", nil)
	if strings.Contains(string(home.Body), "/f/general") {
		t.Fatal("home page still lists the now members-only forum")
	}
	// Not-found answers are never stored.
	if r := anon.Do("GET", paths[0], nil); r.Header.Get("X-Parley-Cache") != "" {
		t.Fatalf("a 404 carries X-Parley-Cache %q", r.Header.Get("X-Parley-Cache"))
	}
}

func TestPageCacheCanBeTurnedOff(t *testing.T) {
	w := newWorld(t, func(c *config.Config) { c.PageCacheTTL = 0 })
	th := w.thread(w.admin, "general", "Uncached", "Hello")
	for range 2 {
		if r := w.a.Client().Must(http.StatusOK, "GET", fmt.Sprintf("/t/%d", th.Thread.ID), nil); r.Header.Get("X-Parley-Cache") != "" {
			t.Fatalf("cache answered although turned off: %q", r.Header.Get("X-Parley-Cache"))
		}
	}
}

// The login form still gets its anonymous CSRF token (and cookie).
func TestLoginPageKeepsAnonymousCSRF(t *testing.T) {
	w := newWorld(t)
	r := w.a.Client().Must(http.StatusOK, "GET", "/login", nil)
	if !strings.Contains(r.Header.Get("Set-Cookie"), "parley_csrf=") || !strings.Contains(string(r.Body), `name="_csrf" value="`) {
		t.Fatal("login page lost its CSRF token")
	}
}

// waitHit requests path until the page cache answers it: background
// consumers (notifications) commit now and then, and the cache is bypassed
// until its follower has applied each commit.
func waitHit(t *testing.T, c *apptest.Client, path string) *apptest.Response {
	t.Helper()
	var r *apptest.Response
	apptest.Eventually(t, path+" served from the cache", 5*time.Second, func() bool {
		r = c.Must(http.StatusOK, "GET", path, nil)
		return r.Header.Get("X-Parley-Cache") == "hit"
	})
	return r
}

// Cached pages go out gzip-compressed to clients that ask (every browser)
// and plain to those that do not; both carry the same page.
func TestCachedPagesHonourAcceptEncoding(t *testing.T) {
	w := newWorld(t)
	th := w.thread(w.admin, "general", "Compressed", strings.Repeat("A long and repetitive post body. ", 200))
	url := w.a.URL + fmt.Sprintf("/t/%d", th.Thread.ID)
	raw := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	get := func(ae string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", url, nil)
		if ae != "" {
			req.Header.Set("Accept-Encoding", ae)
		}
		resp, err := raw.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	seen := map[string]bool{}
	deadline := time.Now().Add(5 * time.Second)
	for !seen["hit"] && time.Now().Before(deadline) {
		resp, body := get("gzip, deflate, br")
		round := resp.Header.Get("X-Parley-Cache")
		if round == "" {
			continue // stale for a moment: a background consumer committed; not stored, not from the cache
		}
		seen[round] = true
		if resp.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("%s: encoding %q", round, resp.Header.Get("Content-Encoding"))
		}
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		page, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("%s: inflate: %v", round, err)
		}
		if !strings.Contains(string(page), "A long and repetitive post body.") || len(body)*3 > len(page) {
			t.Fatalf("%s: %d compressed bytes for a %d-byte page", round, len(body), len(page))
		}
		checkNonces(t, &apptest.Response{Header: resp.Header, Body: page})
	}
	if !seen["miss"] || !seen["hit"] {
		t.Fatalf("saw %v, want a gzip miss and then a gzip hit", seen)
	}
	for _, ae := range []string{"", "identity", "gzip;q=0"} {
		resp, body := get(ae)
		if resp.Header.Get("Content-Encoding") != "" || !strings.Contains(string(body), "A long and repetitive post body.") {
			t.Fatalf("Accept-Encoding %q: got encoding %q", ae, resp.Header.Get("Content-Encoding"))
		}
		checkNonces(t, &apptest.Response{Header: resp.Header, Body: body})
	}
}
