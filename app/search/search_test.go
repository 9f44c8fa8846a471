package search_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"parley/app/apptest"
	"parley/app/auth"
	"parley/app/config"
	"parley/app/search"
)

// community is a small forum: public, members-only, staff-only and a
// German-language forum, an admin, a member and a moderator.
type community struct {
	a                *apptest.App
	admin, anna, mod *apptest.Client
	anon             *apptest.Client
	dataDir          string
}

func dataDir(dir string) apptest.Option { return func(c *config.Config) { c.DataDir = dir } }

// sameApp reopens a's data folder and database (on PostgreSQL apptest.New
// would otherwise make a fresh database).
func sameApp(a *apptest.App) apptest.Option {
	return func(c *config.Config) { c.DataDir, c.DatabaseURL = a.Config.DataDir, a.Config.DatabaseURL }
}

func newCommunity(t *testing.T, opts ...apptest.Option) *community {
	t.Helper()
	a := apptest.New(t, opts...)
	c := &community{a: a, admin: a.User("root_admin", auth.RoleAdmin), anon: a.Client(), dataDir: a.Config.DataDir}
	c.anna = a.User("anna", auth.RoleMember)
	c.mod = a.User("moritz", auth.RoleModerator)
	for _, f := range []map[string]string{
		{"name": "General", "slug": "general", "visibility": "public"},
		{"name": "Club", "slug": "club", "visibility": "members"},
		{"name": "Staff room", "slug": "staff-room", "visibility": "staff"},
		{"name": "Kaffeeklatsch", "slug": "kaffee", "visibility": "public", "language": "de"},
	} {
		c.admin.Must(http.StatusCreated, "POST", "/api/v1/forums", f)
	}
	return c
}

type thread struct {
	Thread struct{ ID int64 } `json:"thread"`
	Post   struct{ ID int64 } `json:"post"`
}

func (c *community) thread(by *apptest.Client, forum, title, body string) thread {
	c.a.T.Helper()
	var out thread
	by.Must(http.StatusCreated, "POST", "/api/v1/forums/"+forum+"/threads", map[string]string{"title": title, "body": body}).JSON(c.a.T, &out)
	return out
}

func (c *community) reply(by *apptest.Client, threadID int64, body string) int64 {
	c.a.T.Helper()
	var out struct{ ID int64 }
	by.Must(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/threads/%d/posts", threadID), map[string]string{"body": body}).JSON(c.a.T, &out)
	return out.ID
}

// indexed waits until the index has applied every event written so far.
func (c *community) indexed() {
	c.a.T.Helper()
	indexed(c.a)
}

func indexed(a *apptest.App) {
	a.T.Helper()
	last, err := a.Store.LastEventID(context.Background())
	if err != nil {
		a.T.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for a.Search.Position() < last || a.Search.Rebuilding() {
		if time.Now().After(deadline) {
			a.T.Fatalf("index stuck at event %d of %d (rebuilding %v)", a.Search.Position(), last, a.Search.Rebuilding())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

type results struct {
	Total   int64 `json:"total"`
	Pages   int   `json:"pages"`
	Results []struct {
		PostID    int64  `json:"post_id"`
		Number    int    `json:"number"`
		Permalink string `json:"permalink"`
		Thread    struct {
			ID    int64  `json:"id"`
			Title string `json:"title"`
		} `json:"thread"`
		Forum struct {
			Slug string `json:"slug"`
			Name string `json:"name"`
		} `json:"forum"`
		Author struct {
			Username string `json:"username"`
		} `json:"author"`
		Snippet string `json:"snippet"`
	} `json:"results"`
	Fuzzy             bool   `json:"fuzzy"`
	ShowingResultsFor string `json:"showing_results_for"`
	Rebuilding        bool   `json:"rebuilding"`
}

func (r *results) forums() []string {
	var out []string
	for _, x := range r.Results {
		out = append(out, x.Forum.Slug)
	}
	return out
}

func (r *results) ids() []int64 {
	var out []int64
	for _, x := range r.Results {
		out = append(out, x.PostID)
	}
	return out
}

func find(t *testing.T, c *apptest.Client, q string, extra ...string) results {
	t.Helper()
	path := "/api/v1/search?q=" + url.QueryEscape(q)
	for _, e := range extra {
		path += "&" + e
	}
	var r results
	c.Must(http.StatusOK, "GET", path, nil).JSON(t, &r)
	return r
}

func TestPermissionMatrix(t *testing.T) {
	c := newCommunity(t)
	c.thread(c.anna, "general", "Lantern for camping", "A lantern that lasts.")
	c.thread(c.anna, "club", "Lantern club meetup", "Bring your lantern.")
	c.thread(c.mod, "staff-room", "Lantern recall notice", "The lantern batch 7 is recalled.")
	c.indexed()

	tests := []struct {
		name   string
		client *apptest.Client
		want   []string // forums of the results, newest first
	}{
		{"anonymous", c.anon, []string{"general"}},
		{"member", c.anna, []string{"club", "general"}},
		{"staff", c.mod, []string{"staff-room", "club", "general"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := find(t, tt.client, "lantern", "sort=newest")
			if got := r.forums(); r.Total != int64(len(tt.want)) || strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("lantern: total %d, forums %v; want %v", r.Total, got, tt.want)
			}
			// Naming a forum one cannot see answers like a missing one.
			if r := find(t, tt.client, "lantern forum:staff-room"); (r.Total > 0) != (tt.name == "staff") {
				t.Errorf("forum:staff-room total %d", r.Total)
			}
			var s struct {
				Suggestions []struct {
					Title string `json:"title"`
					Forum struct{ Slug string }
				} `json:"suggestions"`
			}
			tt.client.Must(http.StatusOK, "GET", "/api/v1/search/suggest?q=lant", nil).JSON(t, &s)
			if len(s.Suggestions) != len(tt.want) {
				t.Errorf("suggestions %+v, want %d", s.Suggestions, len(tt.want))
			}
			for _, x := range s.Suggestions {
				if !strings.Contains(strings.Join(tt.want, ","), x.Forum.Slug) {
					t.Errorf("suggestion %q from %s leaked", x.Title, x.Forum.Slug)
				}
			}
		})
	}

	// Visibility is applied at query time: no reindex needed.
	c.admin.Must(http.StatusOK, "PATCH", "/api/v1/forums/club", map[string]string{"visibility": "public"})
	if r := find(t, c.anon, "lantern"); r.Total != 2 {
		t.Errorf("after the club turned public, anonymous total = %d, want 2", r.Total)
	}
	var short struct{ Suggestions []any }
	c.anon.Must(http.StatusOK, "GET", "/api/v1/search/suggest?q=l", nil).JSON(t, &short)
	if len(short.Suggestions) != 0 {
		t.Errorf("one character suggested %v", short.Suggestions)
	}
}

func TestQuerySyntax(t *testing.T) {
	c := newCommunity(t)
	tent := c.thread(c.anna, "general", "Tent recommendations", "Looking for a dry bag and a light tent.")
	stove := c.thread(c.admin, "general", "Stove repair", "My gas stove leaks. The tent smelled of gas.")
	reply := c.reply(c.anna, stove.Thread.ID, "Replace the o-ring of the stove; an exact phrase here.")
	c.anna.Must(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/posts/%d/reactions/like", stove.Post.ID), nil)
	c.indexed()

	all := []int64{tent.Post.ID, stove.Post.ID, reply}
	tests := []struct {
		q    string
		want []int64 // post ids, any order
	}{
		{"tent", []int64{tent.Post.ID, stove.Post.ID}},
		{"tent gas", []int64{stove.Post.ID}},
		{"tent -gas", []int64{tent.Post.ID}},
		{`"dry bag"`, []int64{tent.Post.ID}},
		{`"bag dry"`, nil},
		{`stove -"o-ring"`, []int64{stove.Post.ID}},
		{"author:anna stove", []int64{reply}},
		{"author:ANNA", []int64{tent.Post.ID, reply}},
		{"author:nobody tent", nil},
		{"forum:general exact", []int64{reply}},
		{"forum:kaffee tent", nil},
		{"in:title tent", []int64{tent.Post.ID}},
		{"in:title stove", []int64{stove.Post.ID}},
		{"has:reactions", []int64{stove.Post.ID}},
		{"has:reactions tent", []int64{stove.Post.ID}},
		{"after:2000-01-01 in:title repair", []int64{stove.Post.ID}},
		{"before:2000-01-01 tent", nil},
		{"after:" + time.Now().UTC().AddDate(0, 0, 2).Format("2006-01-02") + " tent", nil},
		{"the tent", []int64{tent.Post.ID, stove.Post.ID}}, // a stop word does not empty the result
		{"forum:general", all},
	}
	for _, tt := range tests {
		r := find(t, c.anon, tt.q)
		got := map[int64]bool{}
		for _, id := range r.ids() {
			got[id] = true
		}
		ok := len(got) == len(tt.want) && r.Total == int64(len(tt.want))
		for _, id := range tt.want {
			ok = ok && got[id]
		}
		if !ok {
			t.Errorf("%q: got %v (total %d), want %v", tt.q, r.ids(), r.Total, tt.want)
		}
	}

	// Results carry what a result page shows.
	r := find(t, c.anon, "o-ring")
	if len(r.Results) != 1 {
		t.Fatalf("o-ring: %+v", r)
	}
	x := r.Results[0]
	if x.Thread.Title != "Stove repair" || x.Forum.Slug != "general" || x.Forum.Name != "General" || x.Author.Username != "anna" ||
		x.Number != 2 || x.Permalink != fmt.Sprintf("/p/%d", reply) || !strings.Contains(x.Snippet, "<mark>o</mark>-<mark>ring</mark>") {
		t.Errorf("result = %+v", x)
	}

	// Typos: nothing matches as typed, so the fuzzy retry answers.
	r = find(t, c.anon, "stovr")
	if !r.Fuzzy || r.Total != 2 || r.ShowingResultsFor != "stove" {
		t.Errorf("stovr: fuzzy %v total %d showing %q", r.Fuzzy, r.Total, r.ShowingResultsFor)
	}
	if r := find(t, c.anon, "tent"); r.Fuzzy {
		t.Error("an exact match used the fuzzy retry")
	}

	for _, bad := range []string{"q=", "q=before:soon", "q=tent&sort=oldest", "q=tent&page=0", "q=tent&page=51", "q=" + strings.Repeat("x", 201)} {
		resp := c.anon.Do("GET", "/api/v1/search?"+bad, nil)
		if resp.Status != http.StatusBadRequest || !strings.Contains(resp.Header.Get("Content-Type"), "problem+json") {
			t.Errorf("%s: %d %s", bad, resp.Status, resp.Body)
		}
	}
}

func TestPaginationAndSort(t *testing.T) {
	c := newCommunity(t)
	th := c.thread(c.admin, "general", "Pagination", "marmot one")
	for i := 0; i < 24; i++ {
		c.reply(c.admin, th.Thread.ID, fmt.Sprintf("marmot reply %d", i))
	}
	c.indexed()
	p1 := find(t, c.anon, "marmot", "sort=newest")
	p2 := find(t, c.anon, "marmot", "sort=newest", "page=2")
	if p1.Total != 25 || p1.Pages != 2 || len(p1.Results) != 20 || len(p2.Results) != 5 {
		t.Fatalf("pages: total %d pages %d, %d + %d results", p1.Total, p1.Pages, len(p1.Results), len(p2.Results))
	}
	if p1.Results[0].Number != 25 || p2.Results[4].Number != 1 {
		t.Errorf("newest first: page 1 starts at #%d, page 2 ends at #%d", p1.Results[0].Number, p2.Results[4].Number)
	}
}

func TestLanguages(t *testing.T) {
	c := newCommunity(t)
	en := c.thread(c.anna, "general", "Morning routine", "She runs every morning before work.")
	de := c.thread(c.anna, "kaffee", "Service", "Die Kundendienste waren sehr freundlich.")
	c.indexed()
	if r := find(t, c.anon, "running"); len(r.Results) != 1 || r.Results[0].PostID != en.Post.ID {
		t.Errorf("running: %v", r.ids())
	}
	if r := find(t, c.anon, "Kundendienst"); len(r.Results) != 1 || r.Results[0].PostID != de.Post.ID ||
		!strings.Contains(r.Results[0].Snippet, "<mark>Kundendienste</mark>") {
		t.Errorf("Kundendienst: %+v", r)
	}
	// German stop words are not searched for in German posts.
	if r := find(t, c.anon, "die"); r.Total != 0 {
		t.Errorf("die: %v", r.ids())
	}

	// Changing a forum's language re-analyses its posts.
	c.admin.Must(http.StatusOK, "PATCH", "/api/v1/forums/general", map[string]string{"language": "de"})
	apptest.Eventually(t, "general re-analysed in German", 10*time.Second, func() bool { return find(t, c.anon, "running").Total == 0 })
	var f struct{ Language string }
	c.anon.Must(http.StatusOK, "GET", "/api/v1/forums/general", nil).JSON(t, &f)
	if f.Language != "de" {
		t.Errorf("forum language = %q", f.Language)
	}
	resp := c.admin.Do("PATCH", "/api/v1/forums/general", map[string]string{"language": "xx"})
	if resp.Status != http.StatusUnprocessableEntity || !strings.Contains(string(resp.Body), "language") {
		t.Errorf("bad language: %d %s", resp.Status, resp.Body)
	}
}

func TestEditDeleteReflected(t *testing.T) {
	c := newCommunity(t)
	th := c.thread(c.anna, "general", "Kayak trip", "We paddled to the island.")
	rep := c.reply(c.anna, th.Thread.ID, "The heron was there.")
	c.indexed()

	c.anna.Must(http.StatusOK, "PATCH", fmt.Sprintf("/api/v1/posts/%d", rep), map[string]string{"body": "The otter was there."})
	apptest.Eventually(t, "the edit", 10*time.Second, func() bool { return find(t, c.anon, "otter").Total == 1 && find(t, c.anon, "heron").Total == 0 })

	c.anna.Must(http.StatusOK, "PATCH", fmt.Sprintf("/api/v1/threads/%d", th.Thread.ID), map[string]string{"title": "Canoe trip"})
	apptest.Eventually(t, "the new title", 10*time.Second, func() bool { return find(t, c.anon, "in:title canoe").Total == 1 })

	c.anna.Must(http.StatusNoContent, "DELETE", fmt.Sprintf("/api/v1/posts/%d", rep), nil)
	apptest.Eventually(t, "the deletion", 10*time.Second, func() bool { return find(t, c.anon, "otter").Total == 0 })

	// Deleting the first post deletes the thread: all its posts go.
	other := c.reply(c.anna, th.Thread.ID, "A seal too.")
	apptest.Eventually(t, "the seal", 10*time.Second, func() bool { return find(t, c.anon, "seal").Total == 1 })
	c.anna.Must(http.StatusNoContent, "DELETE", fmt.Sprintf("/api/v1/posts/%d", th.Post.ID), nil)
	apptest.Eventually(t, "the thread's deletion", 10*time.Second, func() bool {
		return find(t, c.anon, "seal").Total == 0 && find(t, c.anon, "paddled").Total == 0
	})
	_ = other
}

func TestSnippetEscapesUserText(t *testing.T) {
	c := newCommunity(t)
	c.thread(c.anna, "general", "Markup", "Try `<script>alert(1)</script>` near the <b>lantern</b> & <img src=x onerror=alert(2)> ok")
	c.indexed()
	r := find(t, c.anon, "lantern")
	if len(r.Results) != 1 {
		t.Fatalf("lantern: %+v", r)
	}
	s := r.Results[0].Snippet
	if strings.Contains(s, "<script") || strings.Contains(s, "<b>") || strings.Contains(s, "<img") {
		t.Errorf("snippet carries markup: %q", s)
	}
	if !strings.Contains(s, "&lt;script&gt;alert(1)&lt;/script&gt;") || !strings.Contains(s, "<mark>lantern</mark>") {
		t.Errorf("snippet = %q", s)
	}
}

func TestRestartKeepsCheckpoint(t *testing.T) {
	dir := t.TempDir()
	a := newCommunity(t, dataDir(dir))
	th := a.thread(a.anna, "general", "Owl sighting", "An owl at dusk.")
	for i := 0; i < 3; i++ {
		a.reply(a.anna, th.Thread.ID, fmt.Sprintf("Another owl, number %d.", i))
	}
	a.indexed()
	pos := a.a.Search.Position()
	if err := a.a.Close(); err != nil {
		t.Fatal(err)
	}

	b := apptest.New(t, sameApp(a.a))
	if b.Search.Rebuilding() || b.Search.Position() < pos {
		t.Fatalf("after restart: rebuilding %v, position %d (was %d)", b.Search.Rebuilding(), b.Search.Position(), pos)
	}
	anna := b.Client().Login("anna")
	var out struct{ ID int64 }
	anna.Must(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/threads/%d/posts", th.Thread.ID), map[string]string{"body": "The last owl."}).JSON(t, &out)
	indexed(b)
	if r := find(t, b.Client(), "owl"); r.Total != 5 {
		t.Errorf("owl after restart: total %d, want 5", r.Total)
	}
}

func TestRebuildWhenIndexDeleted(t *testing.T) {
	dir := t.TempDir()
	a := newCommunity(t, dataDir(dir))
	th := a.thread(a.anna, "general", "Badger den", "A badger den by the river.")
	gone := a.reply(a.anna, th.Thread.ID, "A badger cub.")
	a.anna.Must(http.StatusNoContent, "DELETE", fmt.Sprintf("/api/v1/posts/%d", gone), nil)
	a.indexed()
	if err := a.a.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(dir, "search")); err != nil {
		t.Fatal(err)
	}

	b := apptest.New(t, sameApp(a.a))
	indexed(b)
	r := find(t, b.Client(), "badger")
	if r.Total != 1 || r.Rebuilding || r.Results[0].PostID != th.Post.ID {
		t.Errorf("after rebuild: %+v", r)
	}

	// parley reindex: the same build, on demand, with progress.
	var last search.Progress
	if err := b.Search.Reindex(context.Background(), func(p search.Progress) { last = p }); err != nil {
		t.Fatal(err)
	}
	if last.Done != 1 || last.Total != 1 {
		t.Errorf("reindex progress = %+v", last)
	}
	if r := find(t, b.Client(), "badger"); r.Total != 1 {
		t.Errorf("after reindex: total %d", r.Total)
	}
}

// Two processes on one data folder: the second runs without search (and
// says so) until the first lets go of the index, then takes it over.
func TestIndexHeldByAnotherProcess(t *testing.T) {
	dir := t.TempDir()
	a := newCommunity(t, dataDir(dir))
	a.thread(a.anna, "general", "Heron", "A heron on the pier.")
	a.indexed()

	b := apptest.New(t, sameApp(a.a))
	if r := find(t, b.Client(), "heron"); !r.Rebuilding || r.Total != 0 {
		t.Errorf("while held elsewhere: %+v", r)
	}
	if err := b.Search.Reindex(context.Background(), nil); !errors.Is(err, search.ErrLocked) {
		t.Errorf("reindex while held elsewhere: %v", err)
	}
	if err := a.a.Close(); err != nil {
		t.Fatal(err)
	}
	apptest.Eventually(t, "the index taken over", 10*time.Second, func() bool {
		r := find(t, b.Client(), "heron")
		return !r.Rebuilding && r.Total == 1
	})
}
