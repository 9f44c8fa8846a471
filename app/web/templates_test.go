package web

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"parley/app/auth"
	"parley/app/forum"
	"parley/app/site"
	"parley/themes"
)

// allPages is every page a handler may render.
var allPages = []string{"home", "forum", "new_thread", "thread", "edit_post", "history", "profile",
	"account", "login", "register", "admin_settings", "admin_forums", "error"}

var tplTestNow = time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)

func loadTestTemplates(t *testing.T) *Templates {
	t.Helper()
	tpl, err := LoadTemplates(themes.FS, func() time.Time { return tplTestNow })
	if err != nil {
		t.Fatalf("LoadTemplates: %v", err)
	}
	return tpl
}

func ago(d time.Duration) time.Time { return tplTestNow.Add(-d) }
func agoPtr(d time.Duration) *time.Time {
	x := ago(d)
	return &x
}
func intPtr(n int) *int { return &n }

var (
	anonViewer   = auth.Anonymous()
	memberViewer = &auth.Viewer{ID: 7, Username: "alice", Role: auth.RoleMember, CSRF: "csrf-alice", SessionID: 1}
	modViewer    = &auth.Viewer{ID: 8, Username: "mo", Role: auth.RoleModerator, CSRF: "csrf-mo", SessionID: 2}
	adminViewer  = &auth.Viewer{ID: 1, Username: "root", Role: auth.RoleAdmin, CSRF: "csrf-root", SessionID: 3}
)

func testPage(v *auth.Viewer, title string, data any) *Page {
	csrf := "csrf-anon-123"
	if v.SignedIn() {
		csrf = v.CSRF
	}
	return &Page{Title: title, Site: site.Defaults(), Viewer: v, csrf: func() string { return csrf }, Nonce: "n0nce-XYZ",
		Path: "/t/42?page=2", Data: data}
}

func sampleForums() []forum.ForumView {
	return []forum.ForumView{
		{Forum: forum.Forum{ID: 1, Slug: "general", Name: "General", Description: "Talk about anything",
			Visibility: "public", ThreadCount: 12, PostCount: 80, LastPostedAt: agoPtr(5 * time.Minute)},
			VisibilityLabel: "public", Unread: 4},
		{Forum: forum.Forum{ID: 2, Slug: "members", Name: "Members lounge", Visibility: "members", ThreadCount: 1, PostCount: 1},
			VisibilityLabel: "members"},
		{Forum: forum.Forum{ID: 3, Slug: "staff", Name: "Staff room", Visibility: "group", ThreadCount: 3, PostCount: 9,
			LastPostedAt: agoPtr(30 * 24 * time.Hour)}, VisibilityLabel: "staff"},
		{Forum: forum.Forum{ID: 4, Slug: "beta", Name: "Beta testers", Visibility: "group", Position: 4},
			VisibilityLabel: "group:beta"},
	}
}

func sampleThreadList() *forum.ThreadList {
	f := &sampleForums()[0]
	return &forum.ThreadList{Forum: f, Page: 2, Pages: 7, Threads: []forum.ThreadView{
		{Thread: forum.Thread{ID: 42, ForumID: 1, Title: "Welcome <script>alert(1)</script>", Pinned: true, Locked: true,
			LastNumber: 45, ReplyCount: 44, LastPostedAt: ago(3 * time.Hour)},
			Forum: f, Author: "alice", LastPoster: "bob", LastReadNumber: intPtr(30), Pages: 3},
		{Thread: forum.Thread{ID: 43, ForumID: 1, Title: "Never opened", LastNumber: 1, LastPostedAt: ago(2 * 24 * time.Hour)},
			Forum: f, Author: "carol", LastPoster: "carol", Pages: 1},
		{Thread: forum.Thread{ID: 44, ForumID: 1, Title: "All read", LastNumber: 2, ReplyCount: 1, LastPostedAt: ago(90 * 24 * time.Hour)},
			Forum: f, Author: "dave", LastPoster: "erin", LastReadNumber: intPtr(2), Pages: 1},
	}}
}

func sampleThreadPage() *forum.ThreadPage {
	f := &sampleForums()[0]
	th := &forum.ThreadView{Thread: forum.Thread{ID: 42, ForumID: 1, Title: "Welcome <script>alert(1)</script>",
		Pinned: true, LastNumber: 45, ReplyCount: 44, LastPostedAt: ago(time.Hour)},
		Forum: f, Author: "alice", LastPoster: "bob", Pages: 3}
	reactions := func(l, t, i int) map[string]int { return map[string]int{"like": l, "thanks": t, "insightful": i} }
	return &forum.ThreadPage{Thread: th, Page: 2, Pages: 3, FirstNew: 23, Posts: []forum.PostView{
		{ID: 101, ThreadID: 42, Number: 21, Body: "Hello **world**", HTML: "<p>Hello <strong>world</strong></p>",
			Author: forum.Author{ID: 7, Username: "alice", Role: auth.RoleMember}, Reactions: reactions(3, 0, 1),
			MyReaction: "like", EditCount: 2, EditedAt: agoPtr(10 * time.Minute), CreatedAt: ago(2 * time.Hour), CanEdit: true},
		{ID: 102, ThreadID: 42, Number: 22, Author: forum.Author{ID: 9, Username: "mallory", Role: auth.RoleMember},
			Reactions: reactions(0, 0, 0), Deleted: true, CreatedAt: ago(90 * time.Minute)},
		{ID: 103, ThreadID: 42, Number: 23, Body: "Official news", HTML: "<p>Official <em>news</em></p>",
			Author: forum.Author{ID: 1, Username: "root", Role: auth.RoleAdmin}, Reactions: reactions(0, 5, 0),
			CreatedAt: ago(30 * time.Second), New: true},
	}}
}

func render(t *testing.T, tpl *Templates, name string, p *Page) string {
	t.Helper()
	var buf bytes.Buffer
	if err := tpl.Render(&buf, name, p); err != nil {
		t.Fatalf("render %s: %v", name, err)
	}
	return buf.String()
}

func mustContain(t *testing.T, page, html string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(html, w) {
			t.Errorf("%s: missing %q", page, w)
		}
	}
}

func mustNotContain(t *testing.T, page, html string, nots ...string) {
	t.Helper()
	for _, w := range nots {
		if strings.Contains(html, w) {
			t.Errorf("%s: unexpected %q", page, w)
		}
	}
}

// samplePages builds one realistic Page per page name for viewer v.
func samplePages(v *auth.Viewer) map[string]*Page {
	tp := sampleThreadPage()
	for i := range tp.Posts {
		tp.Posts[i].CanEdit = tp.Posts[i].CanEdit && v.SignedIn()
	}
	post := tp.Posts[0]
	return map[string]*Page{
		"home":       testPage(v, "A community forum", HomeData{Forums: sampleForums()}),
		"forum":      testPage(v, "General", ForumData{List: sampleThreadList()}),
		"new_thread": testPage(v, "New thread in General", NewThreadData{Forum: &sampleForums()[0]}),
		"thread": testPage(v, tp.Thread.Title, ThreadData{Page: tp, Kinds: forum.ReactionKinds(),
			CanReply: v.SignedIn(), CanModerate: v.CanModerate()}),
		"edit_post": testPage(v, "Edit post", EditData{Post: &post, Thread: tp.Thread}),
		"history": testPage(v, "Edit history", HistoryData{Post: &post, Thread: tp.Thread, Revisions: []forum.Revision{
			{ID: 2, PostID: 101, Body: "Hello <b>world</b>", CreatedAt: ago(10 * time.Minute)},
			{ID: 1, PostID: 101, Body: "Helo", CreatedAt: ago(time.Hour)},
		}}),
		"profile": testPage(v, "root", ProfileData{User: auth.Public{ID: 1, Username: "root", Role: auth.RoleManager,
			Bio: "Line one\n<i>not italic</i>", PostCount: 12, CreatedAt: ago(400 * 24 * time.Hour)}}),
		"account":        testPage(v, "Your account", AccountData{}),
		"login":          testPage(v, "Log in", nil),
		"register":       testPage(v, "Sign up", nil),
		"admin_settings": testPage(v, "Site settings", AdminSettingsData{}),
		"admin_forums":   testPage(v, "Forums", AdminForumsData{Forums: sampleForums()}),
		"error":          testPage(v, "Not Found", ErrorData{Status: 404, Message: "thread not found"}),
	}
}

func TestTemplatesLoadEveryPage(t *testing.T) {
	tpl := loadTestTemplates(t)
	for _, name := range allPages {
		if !tpl.Has(name) {
			t.Errorf("page %q is missing", name)
		}
	}
	if tpl.Has("nope") || tpl.Has("layout") {
		t.Error("Has reports pages that do not exist")
	}
	err := tpl.Render(&bytes.Buffer{}, "nope", testPage(anonViewer, "x", nil))
	if err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("Render of a missing page: %v", err)
	}
}

var (
	postFormRE      = regexp.MustCompile(`(?s)<form method="post"[^>]*>.*?</form>`)
	inlineHandlerRE = regexp.MustCompile(`(?i)<[^>]*\son[a-z]+\s*=[^>]*>`)
)

// TestTemplatesRenderEveryPage renders all pages for every kind of viewer
// and checks what every page must have.
func TestTemplatesRenderEveryPage(t *testing.T) {
	tpl := loadTestTemplates(t)
	for _, v := range []*auth.Viewer{anonViewer, memberViewer, modViewer, adminViewer} {
		pages := samplePages(v)
		for _, name := range allPages {
			p := pages[name]
			html := render(t, tpl, name, p)
			id := name + "/" + v.Username
			mustContain(t, id, html,
				"<!doctype html>", `<html lang="en">`, `<meta name="viewport"`,
				`<link rel="stylesheet" href="/static/css/parley.css">`,
				`<style nonce="n0nce-XYZ">:root{--brand: #2f6f4e}</style>`,
				`<script src="/static/js/parley.js" nonce="n0nce-XYZ" defer></script>`,
				`<script type="module" src="/static/js/live.js" nonce="n0nce-XYZ"></script>`,
				`<script type="module" src="/static/js/search.js" nonce="n0nce-XYZ"></script>`,
				`<form class="site-search" method="get" action="/search" role="search">`,
				`<a class="skip-link" href="#main">`, `<main id="main"`, `<nav class="account-nav" aria-label="Account">`,
				`role="status"`, "Powered by Parley", " · Parley</title>")
			mustNotContain(t, id, html, "ZgotmplZ", "<no value>", "<nil>", "javascript:")
			if m := inlineHandlerRE.FindString(html); m != "" {
				t.Errorf("%s: inline event handler (CSP forbids them): %s", id, m)
			}
			if n := strings.Count(html, "<script"); n != 3 {
				t.Errorf("%s: %d script elements, want only parley.js, live.js and search.js", id, n)
			}
			// Only signed-in pages carry the token in a meta tag (scripts
			// use it); anonymous pages must stay free of it to be cacheable.
			if meta := `<meta name="csrf-token" content="` + p.CSRF() + `">`; strings.Contains(html, meta) != v.SignedIn() {
				t.Errorf("%s: csrf meta shown=%v for signed-in=%v", id, !v.SignedIn(), v.SignedIn())
			}
			// Signed-in pages name their reader, so that live posts get
			// their Edit buttons without a request per reader.
			if meta := fmt.Sprintf(`<meta name="parley-viewer" content="%d" data-staff="%t">`, v.ID, v.CanModerate()); strings.Contains(html, meta) != v.SignedIn() {
				t.Errorf("%s: viewer meta shown=%v for signed-in=%v", id, !v.SignedIn(), v.SignedIn())
			}
			if !v.SignedIn() {
				mustNotContain(t, id, html, "parley-viewer")
			}
			if v.SignedIn() {
				mustContain(t, id, html, `<a href="/u/`+v.Username+`">`, `<a href="/account">`, `action="/logout"`)
				mustNotContain(t, id, html, `href="/login?next=`)
			} else {
				mustContain(t, id, html, `<a href="/login?next=%2ft%2f42%3fpage%3d2">Log in</a>`, `<a class="button button-small" href="/register">Sign up</a>`)
				mustNotContain(t, id, html, `action="/logout"`)
			}
			if strings.Contains(html, `href="/admin/settings">Admin</a>`) != v.IsAdmin() {
				t.Errorf("%s: Admin link shown=%v for role %q", id, !v.IsAdmin(), v.Role)
			}
			forms := postFormRE.FindAllString(html, -1)
			for _, f := range forms {
				if !strings.Contains(f, `<input type="hidden" name="_csrf" value="`+p.CSRF()+`">`) {
					t.Errorf("%s: POST form without the CSRF token: %.120s", id, f)
				}
			}
			// Every form but the header's search box (a GET form) is a POST form.
			if strings.Count(html, "<form") != len(forms)+1 {
				t.Errorf("%s: %d forms, %d of them POST (and the search box)", id, strings.Count(html, "<form"), len(forms))
			}
		}
	}
}

func TestTemplateThreadPage(t *testing.T) {
	tpl := loadTestTemplates(t)

	html := render(t, tpl, "thread", samplePages(memberViewer)["thread"])
	mustContain(t, "thread", html,
		`<article class="post" id="p21" data-post-id="101">`,
		`<article class="post is-deleted" id="p22" data-post-id="102">`,
		`<article class="post is-new is-official" id="p23" data-post-id="103">`,
		`<div id="new" class="new-divider">New since your last visit</div>`,
		`<p>Hello <strong>world</strong></p>`, // post HTML is not escaped
		`<h1>Welcome &lt;script&gt;alert(1)&lt;/script&gt;</h1>`,
		`<title>Welcome &lt;script&gt;alert(1)&lt;/script&gt; · Parley</title>`,
		`<time datetime="2025-03-10T10:00:00Z">2 hours ago</time>`,
		`<time datetime="2025-03-10T11:59:30Z">just now</time>`,
		`<a class="permalink" href="/p/101"`, `>#21</a>`,
		`<a class="edited" href="/p/101/history" title="10 minutes ago">edited</a>`,
		"This post was deleted.",
		`<span class="role-badge role-admin role-official">Admin</span>`, `<span class="official-badge">Official</span>`,
		`<form method="post" action="/p/101/react" class="react-form">`,
		`<input type="hidden" name="kind" value="thanks">`,
		`data-post-id="101" data-kind="like" aria-pressed="true">`,
		`data-post-id="101" data-kind="thanks" aria-pressed="false">`,
		`<span class="count">3</span>`,
		`<a class="js-quote" href="/t/42?page=2&amp;quote=101#composer" data-post-id="101">Quote</a>`,
		`<a href="/p/101/edit">Edit</a>`,
		`<form method="post" action="/p/101/delete"`, `class="link-button danger js-confirm" data-confirm="Delete this post?"`,
		`<form method="post" action="/t/42/reply" id="reply"`,
		`<textarea id="composer" name="body"`, `<label for="composer">Your reply</label>`,
		`class="button button-secondary js-preview" data-target="composer"`,
		`<div class="preview" hidden aria-live="polite"></div>`,
		`<a href="/t/42?page=2" aria-current="page">`, `<a href="/f/general">General</a>`,
		`<input type="hidden" name="_csrf" value="csrf-alice">`,
	)
	mustNotContain(t, "thread", html, "<script>alert(1)", `action="/t/42/moderate"`,
		`action="/p/102/react"`, `action="/p/103/delete"`)
	if n := strings.Count(html, `<nav class="pager"`); n != 2 {
		t.Errorf("thread: %d pagers, want top and bottom", n)
	}

	// Staff see moderation buttons and the deleted body, dimmed.
	p := samplePages(modViewer)["thread"]
	d := p.Data.(ThreadData)
	d.Page.Posts[1].HTML = "<p>removed text</p>"
	p.Data = d
	html = render(t, tpl, "thread", p)
	mustContain(t, "thread/mod", html, `<form method="post" action="/t/42/moderate"`,
		`name="action" value="unpin"`, `name="action" value="lock"`,
		`<div class="post-body is-dimmed"><p>removed text</p></div>`)
	mustNotContain(t, "thread/mod", html, `value="pin"`, `value="unlock"`)

	// Anonymous visitors see counts only and a sign-in link.
	html = render(t, tpl, "thread", samplePages(anonViewer)["thread"])
	mustContain(t, "thread/anon", html, `<a href="/login?next=%2ft%2f42%3fpage%3d2">Log in to reply</a>`,
		`<span class="visually-hidden">Thanks</span> <span class="count">5</span>`)
	mustNotContain(t, "thread/anon", html, `id="composer"`, "js-react", "js-quote", `/edit"`)

	// A locked thread without the right to reply.
	p = samplePages(memberViewer)["thread"]
	d = p.Data.(ThreadData)
	d.CanReply = false
	d.Page.Thread.Locked = true
	d.Composer = "x"
	p.Data = d
	html = render(t, tpl, "thread", p)
	mustContain(t, "thread/locked", html, "This thread is locked.")
	mustNotContain(t, "thread/locked", html, `id="composer"`, "js-quote")

	// A failed reply comes back with its text and the error.
	p = samplePages(memberViewer)["thread"]
	d = p.Data.(ThreadData)
	d.Composer = "my <draft>"
	p.Data = d
	p.Errors = map[string]string{"": "Please correct the highlighted fields.", "body": "the post is empty"}
	html = render(t, tpl, "thread", p)
	mustContain(t, "thread/error", html, `role="alert"`, "my &lt;draft&gt;</textarea>",
		`<p class="field-error" id="composer-error">the post is empty</p>`,
		`aria-describedby="composer-hint composer-error" aria-invalid="true"`)
}

func TestTemplateForumPage(t *testing.T) {
	tpl := loadTestTemplates(t)
	html := render(t, tpl, "forum", samplePages(memberViewer)["forum"])
	mustContain(t, "forum", html,
		`<a class="button" href="/f/general/new">New thread</a>`,
		`<form method="post" action="/f/general/read"`,
		`<span class="visually-hidden">Pinned:</span>`, `<span class="visually-hidden">Locked:</span>`,
		`<a href="/t/42">Welcome &lt;script&gt;alert(1)&lt;/script&gt;</a>`,
		`<a class="badge badge-unread" href="/t/42?page=2#new">15 new</a>`, // post 31 is on page 2
		`<span class="badge badge-new">new</span>`,
		`<a href="/u/alice">alice</a>`, `<strong>44</strong> replies`, `<strong>1</strong> reply`,
		`<a href="/t/42?page=3">`, `3 hours ago`, `Dec 10, 2024`,
		`<a href="/f/general?page=2" aria-current="page">`,
		`<a class="pager-step" href="/f/general" rel="prev">`,
	)
	mustNotContain(t, "forum", html, "<script>alert(1)", `href="/t/44?page=`)

	html = render(t, tpl, "forum", samplePages(anonViewer)["forum"])
	mustContain(t, "forum/anon", html, "Log in to start a thread")
	mustNotContain(t, "forum/anon", html, "badge-unread", "badge-new", `action="/f/general/read"`)
}

func TestTemplateHomePage(t *testing.T) {
	tpl := loadTestTemplates(t)
	html := render(t, tpl, "home", samplePages(anonViewer)["home"])
	mustContain(t, "home/anon", html, ">Log in</a>", `<a class="forum-name" href="/f/general">General</a>`,
		"Talk about anything", `<td class="num" data-label="Threads">12</td>`, `<td class="num" data-label="Posts">80</td>`,
		`<time datetime="2025-03-10T11:55:00Z">5 minutes ago</time>`, ">never</td>", "Feb 8, 2025",
		">Members only</span>", ">Staff</span>", ">Private</span>")
	mustNotContain(t, "home/anon", html, "unread", ">Everyone</span>")

	html = render(t, tpl, "home", samplePages(memberViewer)["home"])
	mustContain(t, "home/member", html, `<span class="badge badge-unread">4 unread</span>`)

	// The logo replaces the name in the header.
	p := samplePages(anonViewer)["home"]
	p.Site.Logo = "logo-abc.png"
	p.Site.Name = `Tom & "Jerry"`
	html = render(t, tpl, "home", p)
	mustContain(t, "home/logo", html, `<a class="brand" href="/"><img src="/uploads/logo-abc.png" alt="Tom &amp; &#34;Jerry&#34;"></a>`)
}

func TestTemplateFormErrors(t *testing.T) {
	tpl := loadTestTemplates(t)

	p := samplePages(anonViewer)["register"]
	p.Errors = map[string]string{"": "Please correct the highlighted fields.", "username": "this username is taken",
		"password": "this password is too common"}
	p.Form = map[string]string{"username": "bob<b>", "email": "bob@example.com", "password": "hunter2hunter2"}
	html := render(t, tpl, "register", p)
	mustContain(t, "register", html,
		`<div class="error-summary" role="alert">`, "Please correct the highlighted fields.",
		`<a href="#username-field">this username is taken</a>`, `<a href="#password-field">this password is too common</a>`,
		`value="bob&lt;b&gt;"`, `value="bob@example.com"`,
		`<p class="field-error" id="username-error">this username is taken</p>`,
		`aria-describedby="username-hint username-error" aria-invalid="true"`,
		`aria-describedby="password-hint password-error" aria-invalid="true"`,
		"At least 10 characters; common passwords are refused.",
		`<form method="post" action="/register"`, `name="email"`)
	mustNotContain(t, "register", html, "hunter2")

	p = samplePages(anonViewer)["login"]
	p.Errors = map[string]string{"": "the username or password is wrong"}
	p.Form = map[string]string{"login": "bob", "next": "/t/42"}
	html = render(t, tpl, "login", p)
	mustContain(t, "login", html, `role="alert"`, "the username or password is wrong",
		`<label for="login">Username or e-mail</label>`, `name="login"`, `value="bob"`,
		`<input type="hidden" name="next" value="/t/42">`, `name="password"`, `href="/register"`)
	mustNotContain(t, "login", html, `href="#login-field"`, `href="#password-field"`, `aria-invalid`)

	// Without errors there is no summary and no aria-invalid.
	html = render(t, tpl, "register", samplePages(anonViewer)["register"])
	mustNotContain(t, "register/clean", html, "error-summary", `aria-invalid`, `class="field-error"`)

	p = samplePages(memberViewer)["new_thread"]
	p.Errors = map[string]string{"": "Please correct the highlighted fields.", "title": "the title is too long"}
	p.Form = map[string]string{"title": "T", "body": "some *body*"}
	html = render(t, tpl, "new_thread", p)
	mustContain(t, "new_thread", html, `<form method="post" action="/f/general/new"`, `maxlength="120"`,
		`value="T" aria-invalid="true" aria-describedby="title-error"`, "some *body*</textarea>",
		`>Start thread</button>`, `data-target="body"`, `<div class="preview" hidden aria-live="polite">`)

	p = samplePages(adminViewer)["admin_forums"]
	p.Errors = map[string]string{"": "Please correct the highlighted fields.", "slug": "the slug is taken"}
	p.Form = map[string]string{"name": "News", "slug": "general", "visibility": "staff", "position": "3"}
	html = render(t, tpl, "admin_forums", p)
	mustContain(t, "admin_forums", html, `<form method="post" action="/admin/forums"`,
		`<option value="staff" selected>Staff only</option>`, `<option value="public">Everyone</option>`,
		`<option value="members">Members only</option>`, `name="position" step="1" value="3"`,
		`<p class="field-error" id="slug-error">the slug is taken</p>`, `<code>general</code>`, `>Private</td>`)
}

func TestTemplateOtherPages(t *testing.T) {
	tpl := loadTestTemplates(t)
	pages := samplePages(adminViewer)

	html := render(t, tpl, "edit_post", pages["edit_post"])
	mustContain(t, "edit_post", html, `<form method="post" action="/p/101/edit"`, ">Hello **world**</textarea>",
		`<a class="button button-ghost" href="/p/101">Cancel</a>`, `>Save</button>`, "js-preview")

	html = render(t, tpl, "history", pages["history"])
	mustContain(t, "history", html, `<pre class="revision">Hello **world**</pre>`,
		`<pre class="revision">Hello &lt;b&gt;world&lt;/b&gt;</pre>`, "Version 2", "Version 1", "10 minutes ago")

	html = render(t, tpl, "profile", pages["profile"])
	mustContain(t, "profile", html, "<h1>root", ">Community manager</span>", "Joined", "Feb 4, 2024",
		"<dd>12</dd>", "Line one\n&lt;i&gt;not italic&lt;/i&gt;")

	p := pages["account"]
	html = render(t, tpl, "account", p)
	mustContain(t, "account", html, "API tokens", `<form method="post" action="/account/tokens"`, `name="name"`)
	mustNotContain(t, "account", html, "Copy it now")
	p.Data = AccountData{NewToken: "plt_secret<&>"}
	html = render(t, tpl, "account", p)
	mustContain(t, "account/token", html, `<code class="token">plt_secret&lt;&amp;&gt;</code>`,
		"Copy it now: it will not be shown again.", "Authorization: Bearer …")

	p = pages["admin_settings"]
	p.Site.Logo = "logo-abc.png"
	html = render(t, tpl, "admin_settings", p)
	mustContain(t, "admin_settings", html, `<form method="post" action="/admin/settings" enctype="multipart/form-data"`,
		`name="name"`, `value="Parley"`, `name="tagline"`, `<input type="color" id="color" name="color" value="#2f6f4e"`,
		`<input type="file" id="logo" name="logo" accept="image/png,image/jpeg,image/gif,image/webp"`,
		`name="remove_logo"`, `href="/admin/forums"`)
	p.Site.Logo = ""
	p.Errors = map[string]string{"": "Please correct the highlighted fields.", "color": "the colour is a hex value like #2f6f4e"}
	p.Form = map[string]string{"name": "X", "tagline": "", "color": "#123456"}
	html = render(t, tpl, "admin_settings", p)
	mustContain(t, "admin_settings/error", html, `value="#123456"`, `value="X"`, `id="color-error"`)
	mustNotContain(t, "admin_settings/error", html, "remove_logo")

	html = render(t, tpl, "error", pages["error"])
	mustContain(t, "error", html, `<span class="error-status">404</span> Not Found`, "thread not found", `href="/"`)
}

func TestTemplateFuncs(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "just now", 59 * time.Second: "just now", time.Minute: "1 minute ago", 5 * time.Minute: "5 minutes ago",
		time.Hour: "1 hour ago", 3 * time.Hour: "3 hours ago", 24 * time.Hour: "1 day ago", 2 * 24 * time.Hour: "2 days ago",
		8 * 24 * time.Hour: "Mar 2, 2025", -time.Hour: "just now",
	} {
		if got := timeAgo(tplTestNow, ago(d)); got != want {
			t.Errorf("timeAgo(-%v) = %q, want %q", d, got, want)
		}
	}
	if got := timeAgoPtr(tplTestNow, nil); got != "never" {
		t.Errorf("timeAgoPtr(tplTestNow, nil) = %q", got)
	}
	if got := isoTime(time.Date(2025, 1, 2, 3, 4, 5, 0, time.FixedZone("X", 3600))); got != "2025-01-02T02:04:05Z" {
		t.Errorf("isoTime = %q", got)
	}
	for r, want := range map[auth.Role]string{auth.RoleMember: "", auth.RoleModerator: "Moderator",
		auth.RoleManager: "Community manager", auth.RoleAdmin: "Admin"} {
		if got := roleLabel(r); got != want {
			t.Errorf("roleLabel(%q) = %q", r, got)
		}
	}
	for _, k := range forum.ReactionKinds() {
		if reactionLabel(k) == k || reactionIcon(k) == "" {
			t.Errorf("reaction %q has no label or icon", k)
		}
	}
	for in, want := range map[string]string{"#2F6F4E": "#2f6f4e", "#123abc": "#123abc", "red": "#2f6f4e",
		"#123;}body{x:y": "#2f6f4e", "": "#2f6f4e"} {
		if got := string(cssColor(in)); got != want {
			t.Errorf("cssColor(%q) = %q, want %q", in, got, want)
		}
	}
	if deref(nil) != 0 || deref(intPtr(4)) != 4 {
		t.Error("deref")
	}
	for _, c := range []struct {
		cur, total int
		want       []int
	}{
		{1, 1, []int{1}},
		{1, 3, []int{1, 2, 3}},
		{1, 10, []int{1, 2, 3, 0, 10}},
		{5, 10, []int{1, 2, 3, 4, 5, 6, 7, 0, 10}},
		{6, 20, []int{1, 0, 4, 5, 6, 7, 8, 0, 20}},
		{20, 20, []int{1, 0, 18, 19, 20}},
		{99, 5, []int{1, 2, 3, 4, 5}},
		{1, 0, nil},
	} {
		if got := pageRange(c.cur, c.total); !slices.Equal(got, c.want) {
			t.Errorf("pageRange(%d, %d) = %v, want %v", c.cur, c.total, got, c.want)
		}
	}
}

// minimal theme files for the failure tests
func themeFS(page string) fstest.MapFS {
	return fstest.MapFS{
		"default/layout.html":        {Data: []byte(`{{define "layout"}}<html>{{block "content" .}}{{end}}</html>{{end}}`)},
		"default/partials/x.html":    {Data: []byte(`{{define "x"}}<p>x</p>{{end}}`)},
		"default/pages/home.html":    {Data: []byte(`{{define "content"}}{{template "x" .}}{{end}}{{template "layout" .}}`)},
		"default/pages/special.html": {Data: []byte(page)},
	}
}

func TestTemplatesLoadFailsClearly(t *testing.T) {
	tpl, err := LoadTemplates(themeFS(`{{define "content"}}ok{{end}}{{template "layout" .}}`), time.Now)
	if err != nil {
		t.Fatalf("minimal theme: %v", err)
	}
	if !tpl.Has("home") || !tpl.Has("special") {
		t.Fatal("minimal theme: pages missing")
	}

	for _, c := range []struct {
		name, page string
		want       []string
	}{
		{"missing template", `{{define "content"}}{{template "sidebar" .}}{{end}}{{template "layout" .}}`,
			[]string{`page "special"`, `"sidebar"`}},
		{"missing template in a branch", `{{define "content"}}{{if .Flash}}{{template "nope"}}{{end}}{{end}}{{template "layout" .}}`,
			[]string{`page "special"`, `"nope"`}},
		{"syntax error", `{{define "content"}}{{if .Flash}}{{end}}{{template "layout" .}}`,
			[]string{`page "special"`}},
		{"unknown function", `{{define "content"}}{{shout .Title}}{{end}}{{template "layout" .}}`,
			[]string{`page "special"`, "shout"}},
		{"ambiguous HTML context", `{{define "content"}}<a {{if .Flash}}href="{{end}}x">{{end}}{{template "layout" .}}`,
			[]string{`page "special"`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := LoadTemplates(themeFS(c.page), time.Now)
			if err == nil {
				t.Fatal("LoadTemplates succeeded")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}

	fsys := themeFS("")
	delete(fsys, "default/layout.html")
	if _, err := LoadTemplates(fsys, time.Now); err == nil || !strings.Contains(err.Error(), "layout.html") {
		t.Errorf("without a layout: %v", err)
	}
	if _, err := LoadTemplates(fstest.MapFS{"default/layout.html": {Data: []byte(`x`)}}, time.Now); err == nil {
		t.Error("a theme without pages loaded")
	}
}

// A template error at run time sends nothing: Render buffers the page.
func TestTemplateRenderErrorWritesNothing(t *testing.T) {
	tpl, err := LoadTemplates(themeFS(`{{define "content"}}<p>start</p>{{.Data.Missing.Field}}{{end}}{{template "layout" .}}`), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	err = tpl.Render(&buf, "special", &Page{Data: struct{ Other int }{}})
	if err == nil {
		t.Fatal("Render succeeded")
	}
	if buf.Len() != 0 {
		t.Errorf("Render wrote %q before failing", buf.String())
	}
}
