package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"parley/app/auth"
	"parley/app/config"
)

// Bad input gets a clear problem and changes nothing.
func TestBadInputChangesNothing(t *testing.T) {
	w := newWorld(t)
	anna := w.a.Client().Register("anna")
	ben := w.a.Client().Register("ben")
	th := w.thread(anna, "general", "A normal thread", "Opening post")
	locked := w.thread(anna, "general", "A locked thread", "Opening post")
	w.admin.Must(http.StatusOK, "PATCH", fmt.Sprintf("/api/v1/threads/%d", locked.Thread.ID), map[string]any{"locked": true})
	gone := w.thread(anna, "general", "Soon deleted reply", "Opening post")
	var del postOut
	ben.Must(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/threads/%d/posts", gone.Thread.ID), map[string]string{"body": "bye"}).JSON(t, &del)
	ben.Must(http.StatusNoContent, "DELETE", fmt.Sprintf("/api/v1/posts/%d", del.ID), nil)

	huge := strings.Repeat("a", 32001)
	posts := fmt.Sprintf("/api/v1/threads/%d/posts", th.Thread.ID)
	cases := []struct {
		name   string
		method string
		path   string
		body   any
		status int
		field  string
	}{
		{"empty body", "POST", posts, map[string]string{"body": "   "}, 422, "body"},
		{"huge body", "POST", posts, map[string]string{"body": huge}, 422, "body"},
		{"NUL in body", "POST", posts, map[string]string{"body": "a\x00b"}, 422, "body"},
		{"NUL in title", "POST", "/api/v1/forums/general/threads", map[string]string{"title": "Hello\x00there", "body": "x"}, 422, "title"},
		{"wrong type", "POST", posts, `{"body": 42}`, 422, "body"},
		{"not json", "POST", posts, `{"body": `, 400, ""},
		{"array", "POST", posts, `[1,2]`, 400, ""},
		{"empty request", "POST", posts, ``, 400, ""},
		{"unknown forum", "POST", "/api/v1/forums/nope/threads", map[string]string{"title": "Hello there", "body": "x"}, 404, ""},
		{"short title", "POST", "/api/v1/forums/general/threads", map[string]string{"title": "Hi", "body": "x"}, 422, "title"},
		{"title and body", "POST", "/api/v1/forums/general/threads", map[string]string{"title": "", "body": ""}, 422, "title"},
		{"locked thread", "POST", fmt.Sprintf("/api/v1/threads/%d/posts", locked.Thread.ID), map[string]string{"body": "let me in"}, 403, ""},
		{"deleted post edit", "PATCH", fmt.Sprintf("/api/v1/posts/%d", del.ID), map[string]string{"body": "edit"}, 409, ""},
		{"someone else's post", "PATCH", fmt.Sprintf("/api/v1/posts/%d", th.Post.ID), map[string]string{"body": "mine now"}, 403, ""},
		{"someone else's delete", "DELETE", fmt.Sprintf("/api/v1/posts/%d", th.Post.ID), nil, 403, ""},
		{"bad id", "GET", "/api/v1/threads/abc", nil, 404, ""},
		{"bad page", "GET", fmt.Sprintf("/api/v1/threads/%d?page=-1", th.Thread.ID), nil, 400, ""},
		{"page past end", "GET", fmt.Sprintf("/api/v1/threads/%d?page=9", th.Thread.ID), nil, 404, ""},
		{"member creates forum", "POST", "/api/v1/forums", map[string]string{"name": "Mine", "slug": "mine"}, 403, ""},
		{"member pins", "PATCH", fmt.Sprintf("/api/v1/threads/%d", th.Thread.ID), map[string]any{"pinned": true}, 403, ""},
		{"bad reaction", "PUT", fmt.Sprintf("/api/v1/posts/%d/reactions/%%3Cscript%%3E", th.Post.ID), nil, 404, ""},
	}
	count := func() (n [3]int64) {
		w.a.Store.R.Raw("SELECT COUNT(*) FROM posts").Scan(&n[0])
		w.a.Store.R.Raw("SELECT COUNT(*) FROM events").Scan(&n[1])
		w.a.Store.R.Raw("SELECT COUNT(*) FROM threads").Scan(&n[2])
		return n
	}
	w.a.Settle() // the setup's notifications are written in the background
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := count()
			r := ben.Do(tc.method, tc.path, tc.body)
			if r.Status != tc.status {
				t.Fatalf("got %d, want %d: %s", r.Status, tc.status, r.Body)
			}
			if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("content type %q", ct)
			}
			m := r.Map(t)
			if m["detail"] == "" || m["status"] != float64(tc.status) {
				t.Errorf("problem %v", m)
			}
			if tc.field != "" {
				if errs, _ := m["errors"].(map[string]any); errs[tc.field] == nil {
					t.Errorf("no message for field %q: %v", tc.field, m)
				}
			}
			if after := count(); after != before {
				t.Errorf("state changed: %v -> %v", before, after)
			}
		})
	}
}

func TestCSRFAndExpiredSession(t *testing.T) {
	w := newWorld(t)
	anna := w.a.Client().Register("anna")
	th := w.thread(anna, "general", "A normal thread", "Opening post")
	path := fmt.Sprintf("/t/%d/reply", th.Thread.ID)

	// A form without the token is refused.
	r := anna.Do("POST", path, url.Values{"body": {"no token"}})
	if r.Status != http.StatusForbidden {
		t.Fatalf("form without token: %d", r.Status)
	}
	// A cross-site API request with the cookie is refused.
	req, _ := http.NewRequest("POST", w.a.URL+fmt.Sprintf("/api/v1/threads/%d/posts", th.Thread.ID), strings.NewReader(`{"body":"csrf"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	resp, err := anna.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site API request: %d", resp.StatusCode)
	}
	// With the token the form works.
	r = anna.Form(path, url.Values{"body": {"with token"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("form with token: %d %s", r.Status, r.Body)
	}
	var n int64
	w.a.Store.R.Raw("SELECT COUNT(*) FROM posts WHERE body IN ('no token', 'csrf')").Scan(&n)
	if n != 0 {
		t.Fatal("a refused request wrote a post")
	}
	// An expired session is an anonymous visitor: the API says 401.
	w.a.Store.W.Exec("UPDATE sessions SET expires_at = ?", "2000-01-01 00:00:00+00:00")
	anna.Must(http.StatusUnauthorized, "POST", fmt.Sprintf("/api/v1/threads/%d/posts", th.Thread.ID), map[string]string{"body": "late"})
	// and a page asks to sign in again.
	r = anna.Do("GET", "/account", nil)
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login?next=") {
		t.Fatalf("expired session page: %d %s", r.Status, r.Header.Get("Location"))
	}
}

func TestLoginThrottle(t *testing.T) {
	w := newWorld(t)
	w.a.Client().Register("anna")
	c := w.a.Client()
	for i := 1; i <= 6; i++ {
		c.Must(http.StatusUnauthorized, "POST", "/api/v1/session", map[string]string{"login": "anna", "password": "wrong-password-" + fmt.Sprint(i)})
	}
	r := c.Must(http.StatusTooManyRequests, "POST", "/api/v1/session", map[string]string{"login": "anna", "password": "wrong-password-7"})
	if r.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	// Even the right password waits out the block.
	c.Must(http.StatusTooManyRequests, "POST", "/api/v1/session", map[string]string{"login": "anna", "password": "correct-horse-battery"})
}

func TestPostingThrottle(t *testing.T) {
	w := newWorld(t, func(c *config.Config) { c.PostEvery, c.NewPostEvery = 5e9, 30e9 })
	anna := w.a.Client().Register("anna")
	mod := w.a.User("mod_mia", auth.RoleModerator)
	w.thread(anna, "general", "First thread here", "one")
	r := anna.Must(http.StatusTooManyRequests, "POST", "/api/v1/forums/general/threads", map[string]string{"title": "Second thread", "body": "two"})
	if !strings.Contains(string(r.Body), "posting too fast") || r.Header.Get("Retry-After") == "" {
		t.Fatalf("throttle answer: %s", r.Body)
	}
	// Staff are not throttled.
	w.thread(mod, "general", "Staff thread one", "one")
	w.thread(mod, "general", "Staff thread two", "two")
}
