package web_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"parley/app/apptest"
	"parley/app/auth"
	"parley/app/config"
)

const benchBody = `Thanks @anna — I had the same problem with the **Ridgeline 2** last spring.

> the pole section near the hub cracked after a cold night

What worked for me:

1. Slide the repair sleeve over the crack
2. Tape both ends with *two* wraps
3. Call [warranty](https://example.com/warranty) when you are home

Works fine ` + "`until the next trip`" + `.`

// benchThread makes a thread with 60 posts, reactions on some, and returns its id.
func benchThread(b *testing.B, a *apptest.App) int64 {
	b.Helper()
	admin := a.User("bench_admin", auth.RoleAdmin)
	admin.Must(http.StatusCreated, "POST", "/api/v1/forums", map[string]string{"name": "Bench", "slug": "bench"})
	anna := a.User("anna", auth.RoleMember)
	ben := a.User("ben", auth.RoleMember)
	var th threadOut
	anna.Must(http.StatusCreated, "POST", "/api/v1/forums/bench/threads", map[string]string{"title": "A thread to read", "body": benchBody}).JSON(b, &th)
	for i := range 59 {
		c := anna
		if i%2 == 0 {
			c = ben
		}
		var p postOut
		c.Must(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/threads/%d/posts", th.Thread.ID), map[string]string{"body": benchBody}).JSON(b, &p)
		if i%3 == 0 {
			other := ben
			if c == ben {
				other = anna
			}
			other.Must(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/posts/%d/reactions/like", p.ID), nil)
		}
	}
	return th.Thread.ID
}

// BenchmarkThreadPageHTML: an anonymous visitor reads page 2 (20 posts) of a
// thread as HTML, through the real server (database, template, middleware),
// with the page cache off: what every cache miss and every signed-in page
// costs.
func BenchmarkThreadPageHTML(b *testing.B) {
	a := apptest.New(b, noPageCache)
	id := benchThread(b, a)
	benchGet(b, a.URL+fmt.Sprintf("/t/%d?page=2", id))
}

// BenchmarkThreadPageHTMLCached: the same page served from the page cache.
func BenchmarkThreadPageHTMLCached(b *testing.B) {
	a := apptest.New(b)
	id := benchThread(b, a)
	benchGet(b, a.URL+fmt.Sprintf("/t/%d?page=2", id))
}

// BenchmarkThreadPageJSON: the same page through the API, cache off.
func BenchmarkThreadPageJSON(b *testing.B) {
	a := apptest.New(b, noPageCache)
	id := benchThread(b, a)
	benchGet(b, a.URL+fmt.Sprintf("/api/v1/threads/%d?page=2", id))
}

func noPageCache(c *config.Config) { c.PageCacheTTL = 0 }

func benchGet(b *testing.B, url string) {
	client := &http.Client{}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		resp, err := client.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
}

// BenchmarkCreatePost: a member replies through the JSON API (render,
// mention lookup, transaction with the event, response).
func BenchmarkCreatePost(b *testing.B) {
	a := apptest.New(b)
	id := benchThread(b, a)
	c := a.User("writer", auth.RoleModerator) // staff: not throttled
	path := fmt.Sprintf("/api/v1/threads/%d/posts", id)
	body := `{"body": ` + fmt.Sprintf("%q", strings.ReplaceAll(benchBody, "\n", "\n")) + `}`
	b.ResetTimer()
	for b.Loop() {
		c.Must(http.StatusCreated, "POST", path, body)
	}
}
