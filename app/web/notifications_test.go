package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

type notificationsOut struct {
	Notifications []struct {
		ID          int64  `json:"id"`
		Kind        string `json:"kind"`
		PostID      int64  `json:"post_id"`
		PostNumber  int    `json:"post_number"`
		ThreadTitle string `json:"thread_title"`
		URL         string `json:"url"`
		Unread      bool   `json:"unread"`
		Actor       struct {
			Username string `json:"username"`
		} `json:"actor"`
	} `json:"notifications"`
	Unread     int64  `json:"unread"`
	NextBefore *int64 `json:"next_before"`
}

// The notifications API: paging newest first, marking one or all read,
// someone else's id is a 404 like a missing one, and anonymous callers get 401.
func TestNotificationsAPI(t *testing.T) {
	w := newWorld(t)
	anna := w.a.Client().Register("anna")
	ben := w.a.Client().Register("ben")
	th := w.thread(anna, "general", "Five replies coming", "Opening post")
	var posts []int64
	for i := range 5 {
		var p postOut
		ben.Must(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/threads/%d/posts", th.Thread.ID), map[string]string{"body": fmt.Sprintf("reply %d", i)}).JSON(t, &p)
		posts = append(posts, p.ID)
	}
	w.a.Settle()

	var all []int64
	path := "/api/v1/notifications?limit=2"
	for pages := 0; ; pages++ {
		var out notificationsOut
		anna.Must(http.StatusOK, "GET", path, nil).JSON(t, &out)
		if out.Unread != 5 || pages > 3 {
			t.Fatalf("page %d: %+v", pages, out)
		}
		for _, n := range out.Notifications {
			if n.Kind != "reply_thread" || !n.Unread || n.Actor.Username != "ben" || n.ThreadTitle != "Five replies coming" || n.URL != fmt.Sprintf("/p/%d", n.PostID) {
				t.Fatalf("notification %+v", n)
			}
			all = append(all, n.PostID)
		}
		if out.NextBefore == nil {
			break
		}
		path = fmt.Sprintf("/api/v1/notifications?limit=2&before=%d", *out.NextBefore)
	}
	if fmt.Sprint(all) != fmt.Sprint([]int64{posts[4], posts[3], posts[2], posts[1], posts[0]}) {
		t.Fatalf("paged through %v, want the posts %v newest first", all, posts)
	}

	var first notificationsOut
	anna.Must(http.StatusOK, "GET", "/api/v1/notifications", nil).JSON(t, &first)
	id := first.Notifications[0].ID
	read := fmt.Sprintf("/api/v1/notifications/%d/read", id)
	if m := anna.Must(http.StatusOK, "POST", read, nil).Map(t); m["unread"] != 4.0 {
		t.Fatalf("mark read: %v", m)
	}
	if m := anna.Must(http.StatusOK, "POST", read, nil).Map(t); m["unread"] != 4.0 {
		t.Fatalf("mark read again: %v", m)
	}
	ben.Must(http.StatusNotFound, "POST", read, nil)
	anna.Must(http.StatusNotFound, "POST", "/api/v1/notifications/999999/read", nil)
	anna.Must(http.StatusNotFound, "POST", "/api/v1/notifications/abc/read", nil)
	anna.Must(http.StatusBadRequest, "GET", "/api/v1/notifications?before=-3", nil)
	anna.Must(http.StatusBadRequest, "GET", "/api/v1/notifications?limit=1000", nil)

	if m := anna.Must(http.StatusOK, "POST", "/api/v1/notifications/read-all", nil).Map(t); m["unread"] != 0.0 {
		t.Fatalf("read all: %v", m)
	}
	var after notificationsOut
	anna.Must(http.StatusOK, "GET", "/api/v1/notifications", nil).JSON(t, &after)
	if after.Unread != 0 || len(after.Notifications) != 5 || after.Notifications[0].Unread {
		t.Fatalf("after read-all: %+v", after)
	}
	// Ben's own list is untouched by all this, and empty.
	var bens notificationsOut
	ben.Must(http.StatusOK, "GET", "/api/v1/notifications", nil).JSON(t, &bens)
	if bens.Unread != 0 || len(bens.Notifications) != 0 || bens.NextBefore != nil {
		t.Fatalf("ben's list: %+v", bens)
	}

	anon := w.a.Client()
	anon.Must(http.StatusUnauthorized, "GET", "/api/v1/notifications", nil)
	anon.Must(http.StatusUnauthorized, "POST", read, nil)
	anon.Must(http.StatusUnauthorized, "POST", "/api/v1/notifications/read-all", nil)
}

// The bell shows the unread count on every page of a signed-in member
// (hidden at 0), and /notifications lists them with links to the posts.
func TestNotificationsPageAndBell(t *testing.T) {
	w := newWorld(t)
	anna := w.a.Client().Register("anna")
	ben := w.a.Client().Register("ben")
	th := w.thread(anna, "general", "Bell test thread", "Opening post")

	bell := func(body string) string {
		t.Helper()
		i := strings.Index(body, `class="bell js-bell"`)
		if i < 0 {
			t.Fatalf("no bell in %.300q", body)
		}
		end := strings.Index(body[i:], "</a>")
		return body[i : i+end]
	}
	if b := bell(string(anna.Must(http.StatusOK, "GET", "/", nil).Body)); !strings.Contains(b, `aria-label="Notifications, 0 unread"`) ||
		!strings.Contains(b, `<span class="bell-count js-bell-count" data-unread="0" hidden>0</span>`) {
		t.Fatalf("bell at 0: %s", b)
	}

	var p postOut
	ben.Must(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/threads/%d/posts", th.Thread.ID), map[string]string{"body": "@anna look"}).JSON(t, &p)
	ben.Must(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/threads/%d/posts", th.Thread.ID), map[string]string{"body": "and this"})
	w.a.Settle()
	// (On the home page: opening the thread would read them.)
	if b := bell(string(anna.Must(http.StatusOK, "GET", "/", nil).Body)); !strings.Contains(b, `aria-label="Notifications, 2 unread"`) ||
		!strings.Contains(b, `<span class="bell-count js-bell-count" data-unread="2">2</span>`) {
		t.Fatalf("bell at 2: %s", b)
	}
	if body := string(w.a.Client().Must(http.StatusOK, "GET", "/", nil).Body); strings.Contains(body, "js-bell") {
		t.Fatal("a visitor without an account sees a bell")
	}

	page := string(anna.Must(http.StatusOK, "GET", "/notifications", nil).Body)
	for _, want := range []string{
		fmt.Sprintf(`href="/p/%d"`, p.ID), "mentioned you in", "replied to your thread", `class="notification is-unread"`,
		`action="/notifications/read-all"`, `name="_csrf" value="` + anna.CSRF + `"`, "Bell test thread",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("notifications page lacks %q", want)
		}
	}

	// Forms need the CSRF token; with it, "Mark all read" empties the bell.
	if r := anna.Do("POST", "/notifications/read-all", url.Values{}); r.Status != http.StatusForbidden {
		t.Fatalf("read-all without a token: %d", r.Status)
	}
	if r := anna.Form("/notifications/read-all", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("read-all: %d %s", r.Status, r.Body)
	}
	page = string(anna.Must(http.StatusOK, "GET", "/notifications", nil).Body)
	if strings.Contains(page, "is-unread") || !strings.Contains(bell(page), `data-unread="0" hidden`) {
		t.Fatal("still unread after Mark all read")
	}

	if r := w.a.Client().Do("GET", "/notifications", nil); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Fatalf("anonymous /notifications: %d %s", r.Status, r.Header.Get("Location"))
	}
}

// The "Mark read" button beside one notification.
func TestNotificationMarkReadForm(t *testing.T) {
	w := newWorld(t)
	anna := w.a.Client().Register("anna")
	ben := w.a.Client().Register("ben")
	th := w.thread(anna, "general", "One to mark", "Opening post")
	ben.Must(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/threads/%d/posts", th.Thread.ID), map[string]string{"body": "hello"})
	w.a.Settle()
	var out notificationsOut
	anna.Must(http.StatusOK, "GET", "/api/v1/notifications", nil).JSON(t, &out)
	path := fmt.Sprintf("/notifications/%d/read", out.Notifications[0].ID)
	if r := ben.Form(path, nil); r.Status != http.StatusNotFound {
		t.Fatalf("someone else's: %d", r.Status)
	}
	if r := anna.Form(path, nil); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/notifications" {
		t.Fatalf("mark read: %d %s", r.Status, r.Header.Get("Location"))
	}
	anna.Must(http.StatusOK, "GET", "/api/v1/notifications", nil).JSON(t, &out)
	if out.Unread != 0 || out.Notifications[0].Unread {
		t.Fatalf("after mark read: %+v", out)
	}
}

// Reading the post a notification points to marks it read, on the page
// and through the API; a page without unread notifications writes nothing.
func TestViewingThePostMarksItsNotificationRead(t *testing.T) {
	w := newWorld(t)
	anna := w.a.Client().Register("anna")
	ben := w.a.Client().Register("ben")
	th := w.thread(anna, "general", "Mention me", "Opening post")
	ben.Must(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/threads/%d/posts", th.Thread.ID), map[string]string{"body": "hello @anna"})
	th2 := w.thread(ben, "general", "Another one", "Opening post")
	ben.Must(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/threads/%d/posts", th2.Thread.ID), map[string]string{"body": "and @anna again"})
	w.a.Settle()
	unread := func() int64 {
		var out notificationsOut
		anna.Must(http.StatusOK, "GET", "/api/v1/notifications", nil).JSON(t, &out)
		return out.Unread
	}
	if n := unread(); n != 2 {
		t.Fatalf("before reading: %d unread, want 2", n)
	}
	page := anna.Must(http.StatusOK, "GET", fmt.Sprintf("/t/%d", th.Thread.ID), nil)
	if n := unread(); n != 1 {
		t.Fatalf("after opening the first thread: %d unread, want 1", n)
	}
	if !strings.Contains(string(page.Body), `data-unread="1"`) {
		t.Error("the page's bell does not show the count after reading")
	}
	anna.Must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/threads/%d", th2.Thread.ID), nil)
	if n := unread(); n != 0 {
		t.Fatalf("after reading the second through the API: %d unread, want 0", n)
	}
	// Nothing unread on the page: no event is written.
	last, _ := w.a.Store.LastEventID(t.Context())
	anna.Must(http.StatusOK, "GET", fmt.Sprintf("/t/%d", th.Thread.ID), nil)
	if again, _ := w.a.Store.LastEventID(t.Context()); again != last {
		t.Fatalf("a page with nothing unread wrote events (%d -> %d)", last, again)
	}
}
