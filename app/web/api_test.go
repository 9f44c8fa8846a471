package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"parley/app/apptest"
	"parley/app/auth"
)

// world is a small community: an admin, a public and a members-only forum.
type world struct {
	a     *apptest.App
	admin *apptest.Client
}

func newWorld(t *testing.T, opts ...apptest.Option) *world {
	a := apptest.New(t, opts...)
	w := &world{a: a, admin: a.User("root_admin", auth.RoleAdmin)}
	w.admin.Must(http.StatusCreated, "POST", "/api/v1/forums", map[string]any{"name": "General", "slug": "general", "description": "Talk", "visibility": "public"})
	w.admin.Must(http.StatusCreated, "POST", "/api/v1/forums", map[string]any{"name": "Club", "slug": "club", "visibility": "members"})
	w.admin.Must(http.StatusCreated, "POST", "/api/v1/forums", map[string]any{"name": "Staff room", "slug": "staff-room", "visibility": "staff"})
	return w
}

type threadOut struct {
	Thread struct {
		ID    int64  `json:"id"`
		Title string `json:"title"`
	} `json:"thread"`
	Post postOut `json:"post"`
}

type postOut struct {
	ID        int64          `json:"id"`
	ThreadID  int64          `json:"thread_id"`
	Number    int            `json:"number"`
	Body      string         `json:"body"`
	HTML      string         `json:"html"`
	EditCount int            `json:"edit_count"`
	Deleted   bool           `json:"deleted"`
	Reactions map[string]int `json:"reactions"`
	Author    struct {
		Username string `json:"username"`
	} `json:"author"`
}

func (w *world) thread(c *apptest.Client, forum, title, body string) threadOut {
	w.a.T.Helper()
	var out threadOut
	c.Must(http.StatusCreated, "POST", "/api/v1/forums/"+forum+"/threads", map[string]string{"title": title, "body": body}).JSON(w.a.T, &out)
	return out
}

func TestRegisterLoginTokenFlow(t *testing.T) {
	w := newWorld(t)
	c := w.a.Client()
	r := c.Must(http.StatusCreated, "POST", "/api/v1/users", map[string]string{"username": "Anna", "email": "anna@example.com", "password": apptest.Password})
	if m := r.Map(t); m["username"] != "Anna" || m["email"] != nil || m["password_hash"] != nil {
		t.Fatalf("user JSON leaks or misses fields: %v", m)
	}
	c.Login("anna") // case-insensitive
	tok := c.Must(http.StatusCreated, "POST", "/api/v1/tokens", nil).Map(t)["token"].(string)
	if !strings.HasPrefix(tok, "prl_") {
		t.Fatalf("token %q", tok)
	}
	api := w.a.Client()
	api.Origin, api.Token = false, tok
	out := w.thread(api, "general", "Hello from the API", "Posted with a **token**")
	if out.Post.Author.Username != "Anna" || !strings.Contains(out.Post.HTML, "<strong>token</strong>") {
		t.Fatalf("post %+v", out.Post)
	}
	api.Token = "prl_wrong"
	api.Must(http.StatusUnauthorized, "GET", "/api/v1/forums", nil)
	c.Must(http.StatusNoContent, "DELETE", "/api/v1/session", nil)
	c.Must(http.StatusUnauthorized, "GET", "/api/v1/session", nil)
}

func TestThreadReplyEditDeleteReact(t *testing.T) {
	w := newWorld(t)
	anna := w.a.Client().Register("anna")
	ben := w.a.Client().Register("ben")
	th := w.thread(anna, "general", "Tent pole snapped", "Any fix, @ben?")
	if !strings.Contains(th.Post.HTML, `href="/u/ben"`) {
		t.Fatalf("mention not linked: %s", th.Post.HTML)
	}
	var reply postOut
	ben.Must(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/threads/%d/posts", th.Thread.ID), map[string]string{"body": "Use a splint. @nobody"}).JSON(t, &reply)
	if reply.Number != 2 || strings.Contains(reply.HTML, "/u/nobody") {
		t.Fatalf("reply %+v", reply)
	}
	// Edit keeps history.
	var edited postOut
	ben.Must(http.StatusOK, "PATCH", fmt.Sprintf("/api/v1/posts/%d", reply.ID), map[string]string{"body": "Use a repair sleeve."}).JSON(t, &edited)
	if edited.EditCount != 1 || !strings.Contains(edited.HTML, "repair sleeve") {
		t.Fatalf("edited %+v", edited)
	}
	revs := ben.Must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/posts/%d/revisions", reply.ID), nil).Map(t)["revisions"].([]any)
	if len(revs) != 1 || revs[0].(map[string]any)["body"] != "Use a splint. @nobody" {
		t.Fatalf("revisions %v", revs)
	}
	anna.Must(http.StatusForbidden, "PATCH", fmt.Sprintf("/api/v1/posts/%d", reply.ID), map[string]string{"body": "hijack"})
	anna.Must(http.StatusForbidden, "GET", fmt.Sprintf("/api/v1/posts/%d/revisions", reply.ID), nil)
	// Reactions: one per user per post, switching replaces.
	var p postOut
	anna.Must(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/posts/%d/reactions/like", reply.ID), nil).JSON(t, &p)
	anna.Must(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/posts/%d/reactions/thanks", reply.ID), nil).JSON(t, &p)
	if p.Reactions["like"] != 0 || p.Reactions["thanks"] != 1 {
		t.Fatalf("reactions %v", p.Reactions)
	}
	anna.Must(http.StatusNotFound, "PUT", fmt.Sprintf("/api/v1/posts/%d/reactions/love", reply.ID), nil)
	ben.Must(http.StatusForbidden, "PUT", fmt.Sprintf("/api/v1/posts/%d/reactions/like", reply.ID), nil)
	// Delete is soft: the number stays, the body goes.
	ben.Must(http.StatusNoContent, "DELETE", fmt.Sprintf("/api/v1/posts/%d", reply.ID), nil)
	anna.Must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/posts/%d", reply.ID), nil).JSON(t, &p)
	if !p.Deleted || p.Body != "" || p.HTML != "" || p.Number != 2 {
		t.Fatalf("deleted post shows %+v", p)
	}
	ben.Must(http.StatusConflict, "PATCH", fmt.Sprintf("/api/v1/posts/%d", reply.ID), map[string]string{"body": "again"})
	ben.Must(http.StatusNotFound, "DELETE", fmt.Sprintf("/api/v1/posts/%d", reply.ID), nil)
	anna.Must(http.StatusNotFound, "PUT", fmt.Sprintf("/api/v1/posts/%d/reactions/like", reply.ID), nil)
	// The moderator view still has the body.
	w.admin.Must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/posts/%d", reply.ID), nil).JSON(t, &p)
	if p.Body == "" {
		t.Fatal("staff should still see a deleted post's body")
	}
}

func TestConcurrentIdenticalReactionsCountOnce(t *testing.T) {
	w := newWorld(t)
	anna := w.a.Client().Register("anna")
	ben := w.a.Client().Register("ben")
	th := w.thread(anna, "general", "Count me once", "React to this")
	var wg sync.WaitGroup
	codes := make(chan int, 100)
	for range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes <- ben.Do("PUT", fmt.Sprintf("/api/v1/posts/%d/reactions/like", th.Post.ID), nil).Status
		}()
	}
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != http.StatusOK {
			t.Fatalf("a concurrent reaction got %d", c)
		}
	}
	var p postOut
	anna.Must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/posts/%d", th.Post.ID), nil).JSON(t, &p)
	if p.Reactions["like"] != 1 {
		t.Fatalf("100 identical reactions counted %d times", p.Reactions["like"])
	}
	var n int64
	w.a.Store.R.Raw("SELECT COUNT(*) FROM events WHERE type = 'reaction.changed'").Scan(&n)
	if n != 1 {
		t.Fatalf("%d reaction events, want 1", n)
	}
}

func jsonDecode(resp *http.Response, v any) error {
	return json.NewDecoder(resp.Body).Decode(v)
}
