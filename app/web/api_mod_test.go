package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"gorm.io/gorm"

	"parley/app/apptest"
	"parley/app/auth"
	"parley/app/forum"
	"parley/app/moderation"
)

// modWorld is newWorld plus a private group forum "beta" (only admins and
// its members see it), the people of the moderation tests and the
// moderation service for setting scenes.
type modWorld struct {
	*world
	t       *testing.T
	m       *moderation.Service
	clients map[string]*apptest.Client
	viewers map[string]*auth.Viewer
}

func newModWorld(t *testing.T) *modWorld {
	t.Helper()
	w := &modWorld{world: newWorld(t), t: t, clients: map[string]*apptest.Client{}, viewers: map[string]*auth.Viewer{}}
	w.m = moderation.New(w.a.Store, w.a.Forum, w.a.Site, w.a.Guidelines)
	w.exec("INSERT INTO user_groups (slug, name) VALUES ('beta', 'Beta testers')")
	w.admin.Must(http.StatusCreated, "POST", "/api/v1/forums", map[string]any{"name": "Beta", "slug": "beta", "visibility": "group:beta"})
	w.clients["root_admin"] = w.admin
	for name, role := range map[string]auth.Role{"mia": auth.RoleMember, "reporter": auth.RoleMember, "beta_bea": auth.RoleMember,
		"mod_mo": auth.RoleModerator, "mod_max": auth.RoleModerator, "cm_cara": auth.RoleManager, "cm_cora": auth.RoleManager,
		"admin_ada": auth.RoleAdmin} {
		w.clients[name] = w.a.User(name, role)
	}
	for _, name := range []string{"beta_bea", "reporter"} {
		w.exec("INSERT INTO group_members (group_id, user_id) SELECT g.id, u.id FROM user_groups g, users u WHERE g.slug = 'beta' AND u.username = ?", name)
	}
	w.admin.Must(http.StatusOK, "PUT", "/api/v1/guidelines", map[string]string{"summary": "Three sections",
		"body": "Be kind.\n\n## Be civil\n\nNo insults.\n\n## No spam\n\nNo ads.\n\n## Stay on topic\n\nKeep threads focused.\n"})
	for name := range w.clients {
		u, err := w.a.Auth.UserByName(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		vs, err := w.a.Auth.Viewers(context.Background(), []int64{u.ID})
		if err != nil {
			t.Fatal(err)
		}
		w.viewers[name] = vs[u.ID]
	}
	return w
}

func (w *modWorld) exec(sql string, args ...any) {
	w.t.Helper()
	if err := w.a.Store.Tx(context.Background(), func(tx *gorm.DB) error { return tx.Exec(sql, args...).Error }); err != nil {
		w.t.Fatalf("%s: %v", sql, err)
	}
}

// flagged makes a post by author in forum slug, flagged once by reporter
// (weight 1 of 3: not hidden), and returns it with its item id.
func (w *modWorld) flagged(author, slug, title string) (*forum.PostView, int64) {
	w.t.Helper()
	ctx := context.Background()
	_, p, err := w.a.Forum.CreateThread(ctx, w.viewers[author], slug, forum.ThreadInput{Title: title, Body: "Body of " + title})
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.m.Flag(ctx, w.viewers["reporter"], p.ID, moderation.FlagInput{Reason: "rude"}); err != nil {
		w.t.Fatal(err)
	}
	q, err := w.m.Queue(ctx, w.viewers["root_admin"], moderation.QueueFilter{Limit: moderation.MaxLimit})
	if err != nil {
		w.t.Fatal(err)
	}
	for _, it := range q.Items {
		if it.Post.ID == p.ID {
			return p, it.ID
		}
	}
	w.t.Fatalf("no item for post %d", p.ID)
	return nil, 0
}

func rank(r auth.Role) int {
	return map[auth.Role]int{auth.RoleModerator: 1, auth.RoleManager: 2, auth.RoleAdmin: 3}[r]
}

// Every moderation action, for every role, on members' and staff's posts,
// on one's own and in a forum one cannot see: the one permission matrix.
func TestModerationPermissionMatrix(t *testing.T) {
	w := newModWorld(t)
	ctx := context.Background()
	actions := []string{"claim", "approve", "hide", "delete", "dismiss", "lock"}
	// Whose post each target is, per actor ("own" is the actor's).
	targets := []string{"member", "moderator", "manager", "admin", "own", "unseen forum"}
	actors := map[string]string{"mod_mo": "moderator", "cm_cara": "manager", "root_admin": "admin", "mia": "member"}
	peers := map[string]string{"member": "mia", "moderator": "mod_max", "manager": "cm_cora", "admin": "admin_ada"}
	n := 0
	for actor, role := range actors {
		c := w.clients[actor]
		for _, target := range targets {
			author, slug := peers[target], "general"
			switch target {
			case "own":
				author = actor
			case "unseen forum":
				if role == "admin" {
					continue // admins see every forum
				}
				author, slug = "beta_bea", "beta"
			}
			if role == "member" && target == "own" {
				continue // a member cannot flag their own post: there is no item
			}
			for _, action := range actions {
				n++
				p, id := w.flagged(author, slug, fmt.Sprintf("Case %d: %s on %s", n, action, target))
				want := http.StatusOK
				switch {
				case role == "member":
					want = http.StatusForbidden
				case target == "unseen forum":
					want = http.StatusNotFound
				case target == "own":
					want = http.StatusForbidden
				case (action == "hide" || action == "delete") && rank(w.viewers[author].Role) > rank(auth.Role(role)):
					want = http.StatusForbidden
				}
				var r *apptest.Response
				if action == "claim" {
					r = c.Do("POST", fmt.Sprintf("/api/v1/mod/queue/%d/claim", id), nil)
				} else {
					r = c.Do("POST", fmt.Sprintf("/api/v1/mod/queue/%d/actions", id), map[string]string{"action": action, "note": "case " + action})
				}
				what := fmt.Sprintf("%s (%s) %s on %s's post (%s)", actor, role, action, author, target)
				if r.Status != want {
					t.Errorf("%s: got %d, want %d: %s", what, r.Status, want, r.Body)
					continue
				}
				it, err := w.m.Item(ctx, w.viewers["root_admin"], id)
				if err != nil {
					t.Fatal(err)
				}
				cur, th, err := w.a.Forum.PostByID(ctx, w.viewers["root_admin"], p.ID)
				if err != nil && (action != "delete" || want != http.StatusOK) {
					t.Fatal(err)
				}
				if want != http.StatusOK {
					if it.Status != "pending" || it.Claim != nil || cur.Hidden || cur.Deleted || th.Locked {
						t.Errorf("%s was refused but changed something: item %s claim %v, post hidden %v deleted %v, locked %v",
							what, it.Status, it.Claim, cur.Hidden, cur.Deleted, th.Locked)
					}
					continue
				}
				ok := false
				switch action {
				case "claim":
					ok = it.Claim != nil && it.Claim.By.Username == actor && it.Status == "pending"
				case "approve", "dismiss":
					ok = it.Status == "resolved" && !cur.Hidden && !cur.Deleted
				case "hide":
					ok = it.Status == "resolved" && cur.Hidden
				case "delete":
					ok = it.Status == "resolved" && it.Post.Deleted
				case "lock":
					ok = it.Status == "pending" && th.Locked && it.Claim != nil
				}
				if !ok {
					t.Errorf("%s answered 200 but the state is wrong: %+v", what, it)
				}
			}
		}
	}
	// Visitors are asked to sign in.
	_, id := w.flagged("mia", "general", "Anonymous visitors cannot act")
	anon := w.a.Client()
	for _, r := range []*apptest.Response{
		anon.Do("GET", "/api/v1/mod/queue", nil), anon.Do("GET", "/api/v1/mod/stats", nil),
		anon.Do("GET", fmt.Sprintf("/api/v1/mod/queue/%d", id), nil),
		anon.Do("POST", fmt.Sprintf("/api/v1/mod/queue/%d/claim", id), nil),
		anon.Do("DELETE", fmt.Sprintf("/api/v1/mod/queue/%d/claim", id), nil),
		anon.Do("POST", fmt.Sprintf("/api/v1/mod/queue/%d/actions", id), map[string]string{"action": "approve"}),
		anon.Do("POST", "/api/v1/posts/1/flags", map[string]string{"reason": "spam"}),
	} {
		if r.Status != http.StatusUnauthorized {
			t.Errorf("anonymous: %d %s", r.Status, r.Body)
		}
	}
	// Members: 403 on every /mod endpoint, reading included.
	for _, path := range []string{"/api/v1/mod/queue", "/api/v1/mod/stats", "/api/v1/mod/settings", fmt.Sprintf("/api/v1/mod/queue/%d", id)} {
		w.clients["mia"].Must(http.StatusForbidden, "GET", path, nil)
	}
	// Reading an item of a forum one cannot see is the same 404 as a missing one.
	_, betaID := w.flagged("beta_bea", "beta", "Beta item to read")
	a := w.clients["mod_mo"].Must(http.StatusNotFound, "GET", fmt.Sprintf("/api/v1/mod/queue/%d", betaID), nil)
	b := w.clients["mod_mo"].Must(http.StatusNotFound, "GET", "/api/v1/mod/queue/999999", nil)
	if string(a.Body) != string(b.Body) {
		t.Errorf("unseen and missing items differ: %s vs %s", a.Body, b.Body)
	}
	// Only admins change the threshold.
	w.clients["mod_mo"].Must(http.StatusForbidden, "PATCH", "/api/v1/mod/settings", map[string]float64{"flag_threshold": 2})
	w.clients["cm_cara"].Must(http.StatusForbidden, "PATCH", "/api/v1/mod/settings", map[string]float64{"flag_threshold": 2})
	w.admin.Must(http.StatusOK, "PATCH", "/api/v1/mod/settings", map[string]float64{"flag_threshold": 2})
	if got := w.clients["mod_mo"].Must(http.StatusOK, "GET", "/api/v1/mod/settings", nil).Map(t)["flag_threshold"]; got != 2.0 {
		t.Errorf("threshold %v after the admin set 2", got)
	}
}

// The staff channel: review events reach staff, and members cannot subscribe.
func TestStaffChannelCarriesReviewEvents(t *testing.T) {
	w := newModWorld(t)
	dial := func(name string) *wsConn {
		t.Helper()
		ws, _, err := wsDial(w.a, http.Header{"Cookie": {cookies(w.a, w.clients[name])}, "Origin": {w.a.URL}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ws.Close() })
		return &wsConn{ws}
	}
	member := dial("mia")
	if m := wsAsk(t, member.Conn, map[string]string{"type": "subscribe", "channel": "staff"}); m["type"] != "error" || m["code"] != "not_found" {
		t.Fatalf("a member subscribing to staff: %v", m)
	}
	mod := dial("mod_mo")
	if m := wsAsk(t, mod.Conn, map[string]string{"type": "subscribe", "channel": "staff"}); m["type"] != "subscribed" {
		t.Fatalf("a moderator subscribing to staff: %v", m)
	}
	p, id := w.flagged("mia", "general", "Live flag for the staff channel")
	m := mod.next(t)
	data, _ := m["data"].(map[string]any)
	if m["event"] != "review.created" || m["channel"] != "staff" || data["item_id"] != float64(id) || data["post_id"] != float64(p.ID) {
		t.Fatalf("the moderator's first staff event: %v", m)
	}
	w.clients["mod_max"].Must(http.StatusOK, "POST", fmt.Sprintf("/api/v1/mod/queue/%d/claim", id), nil)
	if m := mod.next(t); m["event"] != "review.claimed" {
		t.Fatalf("after the claim: %v", m)
	}
}

// A post hidden pending review keeps its place; readers see a notice, its
// author and staff see it with a note, in the HTML and in the JSON.
func TestHiddenPostOnEverySurface(t *testing.T) {
	w := newModWorld(t)
	ctx := context.Background()
	th := w.thread(w.clients["mia"], "general", "Thread with a hidden reply", "Opening post")
	var p postOut
	w.clients["mia"].Must(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/threads/%d/posts", th.Thread.ID),
		map[string]string{"body": "Secret **rude** words"}).JSON(t, &p)
	w.clients["mod_mo"].Must(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/posts/%d/flags", p.ID), map[string]string{"reason": "rude"})

	thread := fmt.Sprintf("/t/%d", th.Thread.ID)
	for name, c := range map[string]*apptest.Client{"anonymous": w.a.Client(), "member": w.clients["reporter"]} {
		html := page(t, c, thread, http.StatusOK)
		if strings.Contains(html, "Secret") || !strings.Contains(html, `<p class="hidden-note">This post is hidden pending review.</p>`) ||
			!strings.Contains(html, `class="post is-hidden" id="p2"`) {
			t.Errorf("%s's thread page shows the hidden post wrongly", name)
		}
		var tp struct {
			Posts []postOut `json:"posts"`
		}
		c.Must(http.StatusOK, "GET", "/api/v1"+strings.Replace(thread, "/t/", "/threads/", 1), nil).JSON(t, &tp)
		one := c.Must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/posts/%d", p.ID), nil)
		if len(tp.Posts) != 2 || tp.Posts[1].Number != 2 || tp.Posts[1].Body != "" || tp.Posts[1].HTML != "" ||
			strings.Contains(string(one.Body), "Secret") || !strings.Contains(string(one.Body), `"hidden":true`) {
			t.Errorf("%s's JSON shows the hidden post wrongly: %+v / %s", name, tp.Posts, one.Body)
		}
		if q := c.Do("GET", fmt.Sprintf("/api/v1/posts/%d/quote", p.ID), nil); strings.Contains(string(q.Body), "Secret") {
			t.Errorf("%s quotes the hidden text: %s", name, q.Body)
		}
	}
	for _, name := range []string{"reporter", "mia", "mod_mo"} {
		if q := w.clients[name].Do("GET", fmt.Sprintf("/api/v1/posts/%d/quote", p.ID), nil); q.Status != http.StatusNotFound {
			t.Errorf("%s quotes a hidden post: %d %s", name, q.Status, q.Body)
		}
	}
	if html := page(t, w.clients["reporter"], thread, http.StatusOK); strings.Contains(html, fmt.Sprintf(`href="/p/%d/flag"`, p.ID)) {
		t.Error("a hidden post offers the Flag link")
	}
	author := page(t, w.clients["mia"], thread, http.StatusOK)
	if !strings.Contains(author, "Your post is hidden pending review by the moderators.") || !strings.Contains(author, "<strong>rude</strong>") {
		t.Error("the author does not see their hidden post with its notice")
	}
	for _, name := range []string{"mod_mo", "cm_cara", "root_admin"} {
		html := page(t, w.clients[name], thread, http.StatusOK)
		if !strings.Contains(html, "Hidden pending review: only staff and the author can read it.") || !strings.Contains(html, "<strong>rude</strong>") {
			t.Errorf("%s does not see the hidden post with its banner", name)
		}
		var one postOut
		w.clients[name].Must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/posts/%d", p.ID), nil).JSON(t, &one)
		if one.Body != "Secret **rude** words" {
			t.Errorf("%s's JSON lacks the hidden body: %+v", name, one)
		}
	}
	// The hub sends no hidden post with events, and search leaves it out.
	pub, err := w.a.Forum.PostsPublic(ctx, []int64{th.Post.ID, p.ID})
	if err != nil || pub[p.ID] != nil || pub[th.Post.ID] == nil {
		t.Errorf("PostsPublic: %v, %v", pub, err)
	}
	docs, err := w.a.Forum.SearchDocs(ctx, []int64{th.Post.ID, p.ID})
	if err != nil || len(docs) != 1 || docs[0].PostID != th.Post.ID {
		t.Errorf("SearchDocs: %+v, %v", docs, err)
	}
	// Approving shows it to everyone again.
	q := w.clients["mod_mo"].Must(http.StatusOK, "GET", "/api/v1/mod/queue", nil)
	var queue struct {
		Items []struct {
			ID   int64 `json:"id"`
			Post struct {
				ID     int64  `json:"id"`
				HTML   string `json:"html"`
				Hidden bool   `json:"hidden"`
			} `json:"post"`
		} `json:"items"`
	}
	q.JSON(t, &queue)
	if len(queue.Items) != 1 || !queue.Items[0].Post.Hidden || !strings.Contains(queue.Items[0].Post.HTML, "<strong>rude</strong>") {
		t.Fatalf("the queue shows %+v", queue.Items)
	}
	// mod_mo flagged it; another moderator decides.
	w.clients["mod_max"].Must(http.StatusOK, "POST", fmt.Sprintf("/api/v1/mod/queue/%d/actions", queue.Items[0].ID), map[string]string{"action": "approve"})
	if html := page(t, w.a.Client(), thread, http.StatusOK); !strings.Contains(html, "<strong>rude</strong>") || strings.Contains(html, "hidden-note") {
		t.Error("the approved post is still hidden from visitors")
	}
}

// Bad input to the moderation API is a clear 4xx and never a 500.
func TestModerationAPIBadInput(t *testing.T) {
	w := newModWorld(t)
	p, id := w.flagged("mia", "general", "Target of bad requests")
	mod, member := w.clients["mod_mo"], w.clients["reporter"]
	flags := fmt.Sprintf("/api/v1/posts/%d/flags", p.ID)
	acts := fmt.Sprintf("/api/v1/mod/queue/%d/actions", id)
	cases := []struct {
		c      *apptest.Client
		method string
		path   string
		body   any
		want   int
	}{
		{member, "POST", flags, "{", http.StatusBadRequest},
		{member, "POST", flags, "[1]", http.StatusBadRequest},
		{member, "POST", flags, "", http.StatusBadRequest},
		{member, "POST", flags, `{"reason": 3}`, http.StatusUnprocessableEntity},
		{member, "POST", flags, `{"reason": "guideline", "section": "four"}`, http.StatusUnprocessableEntity},
		{member, "POST", flags, `{"reason": "guideline", "section": 1e40}`, http.StatusUnprocessableEntity},
		{member, "POST", flags, `{"reason": "nonsense"}`, http.StatusUnprocessableEntity},
		{member, "POST", "/api/v1/posts/abc/flags", `{"reason": "spam"}`, http.StatusNotFound},
		{member, "POST", "/api/v1/posts/999999/flags", `{"reason": "spam"}`, http.StatusNotFound},
		{w.clients["mia"], "POST", flags, `{"reason": "spam"}`, http.StatusForbidden},
		{member, "POST", flags, `{"reason": "spam"}`, http.StatusConflict}, // reporter flagged it in flagged()
		{mod, "POST", acts, "{", http.StatusBadRequest},
		{mod, "POST", acts, `{"action": "ban"}`, http.StatusUnprocessableEntity},
		{mod, "POST", acts, `{"action": ["approve"]}`, http.StatusUnprocessableEntity},
		{mod, "POST", acts, `{}`, http.StatusUnprocessableEntity},
		{mod, "POST", "/api/v1/mod/queue/0/actions", `{"action": "approve"}`, http.StatusNotFound},
		{mod, "POST", "/api/v1/mod/queue/x/claim", nil, http.StatusNotFound},
		{mod, "GET", "/api/v1/mod/queue?type=nope", nil, http.StatusBadRequest},
		{mod, "GET", "/api/v1/mod/queue?limit=0", nil, http.StatusBadRequest},
		{mod, "GET", "/api/v1/mod/queue?limit=many", nil, http.StatusBadRequest},
		{mod, "GET", "/api/v1/mod/queue?cursor=!!!", nil, http.StatusBadRequest},
		{mod, "GET", "/api/v1/mod/queue?forum=beta", nil, http.StatusBadRequest},
		{mod, "GET", "/api/v1/mod/queue?assignee=anna", nil, http.StatusBadRequest},
		{w.admin, "PATCH", "/api/v1/mod/settings", `{"flag_threshold": "high"}`, http.StatusUnprocessableEntity},
		{w.admin, "PATCH", "/api/v1/mod/settings", `{"flag_threshold": 0}`, http.StatusUnprocessableEntity},
		{w.admin, "PATCH", "/api/v1/mod/settings", `{}`, http.StatusUnprocessableEntity},
	}
	// The notifier writes events of its own in the background: count the others.
	changes := func() (n int64) {
		if err := w.a.Store.R.Raw("SELECT COUNT(*) FROM events WHERE type NOT LIKE 'notification.%'").Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := changes()
	for _, c := range cases {
		r := c.c.Do(c.method, c.path, c.body)
		if r.Status != c.want || !strings.Contains(r.Header.Get("Content-Type"), "problem+json") {
			t.Errorf("%s %s %v: got %d (%s), want %d", c.method, c.path, c.body, r.Status, r.Body, c.want)
		}
	}
	if after := changes(); after != before {
		t.Errorf("refused requests wrote %d events", after-before)
	}
	// A claim by someone else names them.
	w.clients["mod_max"].Must(http.StatusOK, "POST", fmt.Sprintf("/api/v1/mod/queue/%d/claim", id), nil)
	r := mod.Must(http.StatusConflict, "POST", acts, map[string]string{"action": "approve"})
	if !strings.Contains(string(r.Body), "mod_max has claimed this item until") {
		t.Errorf("conflict body %s", r.Body)
	}
}

// The queue page and the flag form work without JavaScript.
func TestModerationPagesWithoutJavaScript(t *testing.T) {
	w := newModWorld(t)
	th := w.thread(w.clients["mia"], "general", "A thread to flag from", "Opening post by mia")
	reporter := w.clients["reporter"]
	threadPage := page(t, reporter, fmt.Sprintf("/t/%d", th.Thread.ID), http.StatusOK)
	if !strings.Contains(threadPage, fmt.Sprintf(`<a class="js-flag" href="/p/%d/flag" data-post-id="%d">Flag</a>`, th.Post.ID, th.Post.ID)) {
		t.Fatal("the thread page has no Flag link for a member")
	}
	if strings.Contains(page(t, w.clients["mia"], fmt.Sprintf("/t/%d", th.Thread.ID), http.StatusOK), "js-flag") {
		t.Fatal("the author is offered to flag their own post")
	}
	if strings.Contains(page(t, w.a.Client(), fmt.Sprintf("/t/%d", th.Thread.ID), http.StatusOK), "js-flag") {
		t.Fatal("visitors are offered the Flag link")
	}
	form := page(t, reporter, fmt.Sprintf("/p/%d/flag", th.Post.ID), http.StatusOK)
	for _, s := range []string{`action="/p/` + fmt.Sprint(th.Post.ID) + `/flag"`, `value="spam"`, `value="guideline"`, `name="section"`, `name="note"`} {
		if !strings.Contains(form, s) {
			t.Fatalf("the flag form lacks %s", s)
		}
	}
	// A form error comes back with its message and the values.
	r := reporter.Form(fmt.Sprintf("/p/%d/flag", th.Post.ID), map[string][]string{"reason": {"guideline"}, "section": {"x"}, "note": {"keep <me>"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), "say which section of the guidelines") ||
		!strings.Contains(string(r.Body), "keep &lt;me&gt;") {
		t.Fatalf("bad flag form: %d", r.Status)
	}
	r = reporter.Form(fmt.Sprintf("/p/%d/flag", th.Post.ID), map[string][]string{"reason": {"guideline"}, "section": {"2"}})
	if r.Status != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), "flash=Thank+you") {
		t.Fatalf("flag form: %d %s", r.Status, r.Header.Get("Location"))
	}
	r = reporter.Form(fmt.Sprintf("/p/%d/flag", th.Post.ID), map[string][]string{"reason": {"spam"}})
	if r.Status != http.StatusConflict || !strings.Contains(string(r.Body), "already flagged") {
		t.Fatalf("second flag by form: %d", r.Status)
	}
	w.clients["mia"].Must(http.StatusForbidden, "GET", fmt.Sprintf("/p/%d/flag", th.Post.ID), nil)

	// The queue page: visitors sign in, members are refused, staff work it.
	if r := w.a.Client().Do("GET", "/mod/queue", nil); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login?next=") {
		t.Fatalf("anonymous /mod/queue: %d %s", r.Status, r.Header.Get("Location"))
	}
	page(t, w.clients["mia"], "/mod/queue", http.StatusForbidden)
	q := page(t, w.clients["mod_mo"], "/mod/queue", http.StatusOK)
	for _, s := range []string{`data-live="staff"`, `src="/static/js/modqueue.js"`, "Opening post by mia", `reporter</a> (trust level 0): Breaks a guideline (<a href="/guidelines#section-2">section 2</a>)`,
		`<dd data-figure="waiting">1</dd>`, "<kbd>j</kbd>", `value="approve"`, `value="hide"`, `Claim <kbd>c</kbd>`} {
		if !strings.Contains(q, s) {
			t.Fatalf("the queue page lacks %s", s)
		}
	}
	id := strings.Split(strings.Split(q, `data-item-id="`)[1], `"`)[0]
	mod := w.clients["mod_mo"]
	if r := mod.Form("/mod/queue/"+id+"/claim", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("claim form: %d", r.Status)
	}
	if !strings.Contains(page(t, w.clients["mod_max"], "/mod/queue", http.StatusOK), "Claimed by mod_mo until") {
		t.Fatal("another moderator does not see the claim")
	}
	if r := w.clients["mod_max"].Form("/mod/queue/"+id+"/act", map[string][]string{"action": {"approve"}}); r.Status != http.StatusConflict ||
		!strings.Contains(string(r.Body), "mod_mo has claimed this item") {
		t.Fatalf("acting on a claimed item by form: %d", r.Status)
	}
	if r := mod.Form("/mod/queue/"+id+"/act", map[string][]string{"action": {"approve"}, "note": {"looks fine"}}); r.Status != http.StatusSeeOther ||
		!strings.Contains(r.Header.Get("Location"), "Resolved") {
		t.Fatalf("act form: %d %s", r.Status, r.Header.Get("Location"))
	}
	if strings.Contains(page(t, mod, "/mod/queue", http.StatusOK), `data-item-id="`+id+`"`) {
		t.Fatal("the resolved item is still in the queue")
	}
}

// wsConn reads a websocket's next message with a deadline.
type wsConn struct{ *websocket.Conn }

// next returns the next event (other messages are skipped).
func (c *wsConn) next(t *testing.T) map[string]any {
	t.Helper()
	for {
		_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
		m := map[string]any{}
		if err := c.ReadJSON(&m); err != nil {
			t.Fatal(err)
		}
		if m["type"] == "event" {
			return m
		}
	}
}
