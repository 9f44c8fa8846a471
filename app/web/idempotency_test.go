package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// A client that lost the answer retries with the same Idempotency-Key and
// gets the same post back, never a second one, even when the retries race.
func TestIdempotentReplies(t *testing.T) {
	w := newWorld(t)
	anna := w.a.Client().Register("anna")
	th := w.thread(anna, "general", "Retry me", "Opening post")
	path := w.a.URL + fmt.Sprintf("/api/v1/threads/%d/posts", th.Thread.ID)
	post := func(key, body string) (int, postOut, string) {
		req, _ := http.NewRequest("POST", path, bytes.NewReader([]byte(`{"body":"`+body+`"}`)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", w.a.URL)
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		resp, err := anna.HTTP.Do(req)
		if err != nil {
			t.Error(err)
			return 0, postOut{}, ""
		}
		defer resp.Body.Close()
		var p postOut
		if resp.StatusCode == http.StatusCreated {
			_ = jsonDecode(resp, &p)
		}
		return resp.StatusCode, p, resp.Header.Get("Idempotent-Replayed")
	}
	st, first, rep := post("key-1", "only once")
	if st != http.StatusCreated || rep != "" {
		t.Fatalf("first: %d %q", st, rep)
	}
	st, again, rep := post("key-1", "only once")
	if st != http.StatusCreated || again.ID != first.ID || rep != "true" {
		t.Fatalf("retry: %d id %d (first %d) replayed %q", st, again.ID, first.ID, rep)
	}
	// Racing retries of a new key make exactly one post.
	var wg sync.WaitGroup
	ids := make(chan int64, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if st, p, _ := post("key-race", "raced"); st == http.StatusCreated {
				ids <- p.ID
			} else {
				t.Errorf("racing retry got %d", st)
			}
		}()
	}
	wg.Wait()
	close(ids)
	seen := map[int64]bool{}
	for id := range ids {
		seen[id] = true
	}
	var n int64
	w.a.Store.R.Raw("SELECT COUNT(*) FROM posts WHERE body = 'raced'").Scan(&n)
	if n != 1 || len(seen) != 1 {
		t.Fatalf("%d posts and %d distinct ids for one key", n, len(seen))
	}
	// Bad keys are refused before anything is written.
	if st, _, _ := post("has space", "x"); st != http.StatusBadRequest {
		t.Fatalf("a key with a space: %d", st)
	}
	if st, _, _ := post(strings.Repeat("k", 201), "x"); st != http.StatusBadRequest {
		t.Fatalf("a 201-character key: %d", st)
	}
	// Without a key each request posts.
	post("", "twice")
	post("", "twice")
	w.a.Store.R.Raw("SELECT COUNT(*) FROM posts WHERE body = 'twice'").Scan(&n)
	if n != 2 {
		t.Fatalf("keyless posts: %d", n)
	}
}

func TestProfileBio(t *testing.T) {
	w := newWorld(t)
	anna := w.a.Client().Register("anna")
	anna.Must(http.StatusOK, "PATCH", "/api/v1/users/me", map[string]string{"bio": "Hikes <script>alert(1)</script> a lot"})
	body := page(t, w.a.Client(), "/u/anna", http.StatusOK)
	if strings.Contains(body, "<script>alert(1)") || !strings.Contains(body, "Hikes &lt;script&gt;") {
		t.Fatal("the bio is not shown as escaped text")
	}
	anna.Must(http.StatusUnprocessableEntity, "PATCH", "/api/v1/users/me", map[string]string{"bio": strings.Repeat("b", 1001)})
	anna.Must(http.StatusUnprocessableEntity, "PATCH", "/api/v1/users/me", map[string]any{})
	w.a.Client().Must(http.StatusUnauthorized, "PATCH", "/api/v1/users/me", map[string]string{"bio": "x"})
	// The account form edits it too.
	tok := formToken(t, page(t, anna, "/account", http.StatusOK))
	r := anna.Do("POST", "/account/profile", url.Values{"_csrf": {tok}, "bio": {"Trail runner"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("profile form: %d", r.Status)
	}
	if m := anna.Must(http.StatusOK, "GET", "/api/v1/users/anna", nil).Map(t); m["bio"] != "Trail runner" {
		t.Fatalf("bio %v", m["bio"])
	}
}

// Starting a thread is as safe to retry as a reply: racing retries with one
// key make one thread, and a reply's key cannot start a thread.
func TestIdempotentThreadCreation(t *testing.T) {
	w := newWorld(t)
	anna := w.a.Client().Register("anna")
	create := func(key string) (int, threadOut, string) {
		req, _ := http.NewRequest("POST", w.a.URL+"/api/v1/forums/general/threads", strings.NewReader(`{"title":"Retry-safe thread","body":"Opening post"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", w.a.URL)
		req.Header.Set("Idempotency-Key", key)
		resp, err := anna.HTTP.Do(req)
		if err != nil {
			t.Error(err)
			return 0, threadOut{}, ""
		}
		defer resp.Body.Close()
		var out threadOut
		if resp.StatusCode == http.StatusCreated {
			_ = jsonDecode(resp, &out)
		}
		return resp.StatusCode, out, resp.Header.Get("Idempotent-Replayed")
	}
	var wg sync.WaitGroup
	ids := make(chan int64, 8)
	replays := make(chan string, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, out, rep := create("thread-key-1")
			if st != http.StatusCreated {
				t.Errorf("racing create: %d", st)
				return
			}
			ids <- out.Thread.ID
			replays <- rep
		}()
	}
	wg.Wait()
	close(ids)
	close(replays)
	seen := map[int64]bool{}
	for id := range ids {
		seen[id] = true
	}
	fresh := 0
	for r := range replays {
		if r == "" {
			fresh++
		}
	}
	if len(seen) != 1 || fresh != 1 {
		t.Fatalf("8 racing creates with one key made threads %v, %d not marked as replays", seen, fresh)
	}
	var list struct {
		Threads []threadOut `json:"threads"`
	}
	w.a.Client().Must(http.StatusOK, "GET", "/api/v1/forums/general/threads", nil).JSON(t, &list)
	if len(list.Threads) != 1 {
		t.Fatalf("forum lists %d threads, want 1", len(list.Threads))
	}
	// A key spent on a reply is refused for a thread, and nothing is made.
	var th threadOut
	for id := range seen {
		th.Thread.ID = id
	}
	req, _ := http.NewRequest("POST", w.a.URL+fmt.Sprintf("/api/v1/threads/%d/posts", th.Thread.ID), strings.NewReader(`{"body":"a reply"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", w.a.URL)
	req.Header.Set("Idempotency-Key", "reply-key")
	resp, err := anna.HTTP.Do(req)
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("reply: %v %v", err, resp)
	}
	resp.Body.Close()
	if st, _, _ := create("reply-key"); st != http.StatusConflict {
		t.Fatalf("thread with a reply's key: %d, want 409", st)
	}
}
