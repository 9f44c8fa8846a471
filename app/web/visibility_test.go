package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"parley/app/apptest"
	"parley/app/auth"
)

// A post in a forum a user cannot see must not exist for that user on any
// surface: the answer is the same 404 as for a missing id.
func TestPrivateForumInvisibleOnEverySurface(t *testing.T) {
	w := newWorld(t)
	mod := w.a.User("mod_mia", auth.RoleModerator)
	member := w.a.Client().Register("member_max")
	anon := w.a.Client()
	staff := w.thread(mod, "staff-room", "Spam wave tonight", "Secret staff plan")
	club := w.thread(member, "club", "Members meetup", "Members only text")
	public := w.thread(member, "general", "Public thread", "Hello all")

	missing := int64(999999)
	type probe struct {
		method, path string
		body         any
	}
	probes := func(th threadOut, slug string) []probe {
		return []probe{
			{"GET", "/api/v1/forums/" + slug, nil},
			{"GET", "/api/v1/forums/" + slug + "/threads", nil},
			{"POST", "/api/v1/forums/" + slug + "/threads", map[string]string{"title": "sneaky thread", "body": "x"}},
			{"GET", fmt.Sprintf("/api/v1/threads/%d", th.Thread.ID), nil},
			{"POST", fmt.Sprintf("/api/v1/threads/%d/posts", th.Thread.ID), map[string]string{"body": "sneaky"}},
			{"GET", fmt.Sprintf("/api/v1/posts/%d", th.Post.ID), nil},
			{"GET", fmt.Sprintf("/api/v1/posts/%d/quote", th.Post.ID), nil},
			{"PUT", fmt.Sprintf("/api/v1/posts/%d/reactions/like", th.Post.ID), nil},
			{"GET", "/f/" + slug, nil},
			{"GET", fmt.Sprintf("/t/%d", th.Thread.ID), nil},
			{"GET", fmt.Sprintf("/p/%d", th.Post.ID), nil},
		}
	}
	for _, p := range probes(staff, "staff-room") {
		for name, c := range map[string]*apptest.Client{"anonymous": anon, "member": member} {
			if p.method != "GET" && name == "anonymous" {
				continue // anonymous writes are refused earlier with 401
			}
			r := c.Do(p.method, p.path, p.body)
			if r.Status != http.StatusNotFound {
				t.Errorf("%s %s %s: got %d, want 404", name, p.method, p.path, r.Status)
			}
			if strings.Contains(string(r.Body), "Secret staff plan") || strings.Contains(string(r.Body), "Spam wave") {
				t.Errorf("%s %s %s leaks staff content", name, p.method, p.path)
			}
		}
	}
	for _, p := range probes(club, "club") {
		if p.method != "GET" {
			continue
		}
		r := anon.Do(p.method, p.path, p.body)
		if r.Status != http.StatusNotFound || strings.Contains(string(r.Body), "Members only text") {
			t.Errorf("anonymous %s %s: got %d", p.method, p.path, r.Status)
		}
	}
	// The same 404 body as for a missing id.
	a := anon.Do("GET", fmt.Sprintf("/api/v1/threads/%d", club.Thread.ID), nil)
	b := anon.Do("GET", fmt.Sprintf("/api/v1/threads/%d", missing), nil)
	if a.Status != b.Status || string(a.Body) != string(b.Body) {
		t.Errorf("private and missing threads differ: %s vs %s", a.Body, b.Body)
	}
	// Forum lists hide what one cannot see.
	for name, c := range map[string]*apptest.Client{"anonymous": anon, "member": member} {
		body := string(c.Must(http.StatusOK, "GET", "/api/v1/forums", nil).Body)
		if strings.Contains(body, "staff-room") {
			t.Errorf("%s sees the staff forum in the list", name)
		}
		if name == "anonymous" && strings.Contains(body, `"club"`) {
			t.Errorf("anonymous sees the members forum in the list")
		}
	}
	// The event log is filtered per reader.
	evs := string(anon.Must(http.StatusOK, "GET", "/api/v1/events?after=0", nil).Body)
	if strings.Contains(evs, "Spam wave") || strings.Contains(evs, fmt.Sprintf(`"thread_id":%d`, club.Thread.ID)) {
		t.Errorf("anonymous event log leaks private events: %s", evs)
	}
	if !strings.Contains(evs, fmt.Sprintf(`"thread_id":%d`, public.Thread.ID)) {
		t.Errorf("anonymous event log misses public events: %s", evs)
	}
	modEvs := string(mod.Must(http.StatusOK, "GET", "/api/v1/events?after=0", nil).Body)
	if !strings.Contains(modEvs, "Spam wave") {
		t.Errorf("staff do not see staff events")
	}
	// Staff see it all; quoting a visible post works.
	mod.Must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/threads/%d", club.Thread.ID), nil)
	q := member.Must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/posts/%d/quote", public.Post.ID), nil).Map(t)["markdown"].(string)
	if !strings.HasPrefix(q, "> **@member_max**") {
		t.Errorf("quote %q", q)
	}
}
