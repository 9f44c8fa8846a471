package web_test

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"parley/app/apptest"
	"parley/app/config"
)

// searchIndexed waits until the search index has applied every event
// written so far (it follows the event log in the background).
func searchIndexed(t *testing.T, a *apptest.App) {
	t.Helper()
	last, err := a.Store.LastEventID(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	apptest.Eventually(t, fmt.Sprintf("the index to reach event %d", last), 10*time.Second, func() bool {
		return a.Search.Position() >= last && !a.Search.Rebuilding()
	})
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func searchPath(q string, extra ...string) string {
	p := "/search?q=" + url.QueryEscape(q)
	for _, e := range extra {
		p += "&" + e
	}
	return p
}

var resultRE = regexp.MustCompile(`<li class="search-result" data-post-id="(\d+)">`)

// resultIDs lists the post ids of a results page in order.
func resultIDs(body string) []string {
	var out []string
	for _, m := range resultRE.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestSearchPageResultsAndPermissions(t *testing.T) {
	w := newWorld(t)
	anna := w.a.Client().Register("anna")
	pub := w.thread(anna, "general", "Lantern <b>repair</b>", "The lantern hinge broke. <img src=x onerror=alert(1)> and \"><script>alert(2)</script> fixed it.")
	club := w.thread(anna, "club", "Members lantern swap", "Bring a lantern to the swap.")
	searchIndexed(t, w.a)

	anon := w.a.Client()
	body := page(t, anon, searchPath("lantern"), http.StatusOK)
	if got := resultIDs(body); len(got) != 1 || got[0] != fmt.Sprint(pub.Post.ID) {
		t.Fatalf("anonymous results %v, want only the public post %d", got, pub.Post.ID)
	}
	if !strings.Contains(body, "1 result") || strings.Contains(body, "Members lantern swap") {
		t.Error("an anonymous visitor's count or results include the members-only forum")
	}
	for _, want := range []string{
		fmt.Sprintf(`<a href="/p/%d">Lantern &lt;b&gt;repair&lt;/b&gt;</a>`, pub.Post.ID), // the title, escaped, to the permalink
		`<a href="/f/general">General</a>`,
		`<a href="/u/anna">anna</a>`,
		`<time datetime="`,
		`The <mark>lantern</mark> hinge broke.`, // the snippet, highlighted
		`&lt;img src=x onerror=alert(1)&gt;`,    // user markup stays text
		`&lt;script&gt;alert(2)&lt;/script&gt;`,
		`value="lantern"`, // the box keeps the query
	} {
		if !strings.Contains(body, want) {
			t.Errorf("anonymous results page lacks %s", want)
		}
	}
	if strings.Contains(body, "<img src=x") || strings.Contains(body, "<script>alert") || strings.Contains(body, "<b>repair") {
		t.Error("user markup reached the page unescaped")
	}

	// A member sees the members-only forum too; the page is not shared.
	member := w.a.Client().Register("ben")
	body = page(t, member, searchPath("lantern"), http.StatusOK)
	if got := resultIDs(body); len(got) != 2 || !strings.Contains(body, "2 results") {
		t.Errorf("member results %v, want 2", got)
	}
	if !strings.Contains(body, fmt.Sprintf(`<a href="/p/%d">Members lantern swap</a>`, club.Post.ID)) {
		t.Error("member results lack the members-only thread")
	}
	r := anon.Must(http.StatusOK, "GET", searchPath("lantern"), nil)
	if strings.Contains(string(r.Body), "Members lantern swap") {
		t.Error("after a member searched, the anonymous page shows the members-only thread")
	}
	if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}

	// Typos: the fuzzy retry says what it matched.
	body = page(t, anon, searchPath("lantren"), http.StatusOK) //nolint:misspell // a typo on purpose
	if !strings.Contains(body, `Showing results for <q class="search-corrected">lantern</q>`) || len(resultIDs(body)) != 1 {
		t.Error("no fuzzy retry for a typo")
	}

	// Nothing found: the empty state, and the help.
	body = page(t, anon, searchPath("zeppelin"), http.StatusOK)
	if len(resultIDs(body)) != 0 || !strings.Contains(body, "No results") || !strings.Contains(body, `class="empty search-empty"`) {
		t.Error("no empty state for a search without results")
	}

	// Without a query: the form and the syntax, open.
	body = page(t, anon, "/search", http.StatusOK)
	if !strings.Contains(body, `<details class="search-help" open>`) || !strings.Contains(body, "author:name") || strings.Contains(body, "search-count") {
		t.Error("the empty search page lacks the open help or shows a count")
	}

	// Every page has the header's search box, a plain GET form.
	home := page(t, anon, "/", http.StatusOK)
	if !strings.Contains(home, `<form class="site-search" method="get" action="/search" role="search">`) ||
		!strings.Contains(home, `<script type="module" src="/static/js/search.js" nonce="`) {
		t.Error("the home page lacks the header's search box or its script")
	}
	js := anon.Must(http.StatusOK, "GET", "/static/js/search.js", nil)
	if !strings.Contains(string(js.Body), "/api/v1/search/suggest") {
		t.Error("static/js/search.js is not served")
	}
}

func TestSearchPageBadInput(t *testing.T) {
	w := newWorld(t)
	anon := w.a.Client()
	for _, tc := range []struct {
		path   string
		status int
		msg    string
	}{
		{searchPath("lantern", "sort=oldest"), http.StatusBadRequest, `sort is &#34;relevance&#34; or &#34;newest&#34;`},
		{searchPath("lantern", "page=0"), http.StatusBadRequest, "page must be a whole number from 1"},
		{searchPath("lantern", "page=two"), http.StatusBadRequest, "page must be a whole number from 1"},
		{searchPath("lantern", "page=51"), http.StatusBadRequest, "page is between 1 and 50"},
		{searchPath("-tent"), http.StatusBadRequest, "say what to search for, not only what to leave out"},
		{searchPath("before:yesterday"), http.StatusBadRequest, "before: wants a date like before:2026-01-01"},
		{searchPath("after:2026-02-01 before:2026-01-01"), http.StatusBadRequest, "after: must be earlier than before:"},
		{searchPath("in:body lantern"), http.StatusBadRequest, "in: takes only title"},
		{searchPath("author:a author:b"), http.StatusBadRequest, "author: may appear only once"},
		{searchPath(strings.Repeat("a", 201)), http.StatusBadRequest, "a search has at most 200 characters"},
		{searchPath("   "), http.StatusOK, ""}, // blank: the empty form, no error
		{"/search?page=2", http.StatusBadRequest, "type something to search for"},
		{"/search?q=%ff%fe", http.StatusBadRequest, "the search is not valid text"},
	} {
		body := page(t, anon, tc.path, tc.status)
		if tc.msg == "" {
			if strings.Contains(body, `id="search-error"`) {
				t.Errorf("%s: shows an error", tc.path)
			}
			continue
		}
		if !strings.Contains(body, tc.msg) || !strings.Contains(body, `<div class="error-summary search-error" id="search-error" role="alert">`) {
			t.Errorf("%s: no message %q on the page", tc.path, tc.msg)
		}
		if !strings.Contains(body, `<form class="search-form" method="get" action="/search" role="search">`) || !strings.Contains(body, `aria-invalid="true"`) {
			t.Errorf("%s: the form is not shown again, marked invalid", tc.path)
		}
		if strings.Contains(body, `name="sort" value="oldest"`) {
			t.Errorf("%s: the form carries the bad sort on", tc.path)
		}
	}
}

func TestSearchPagePagingAndSort(t *testing.T) {
	w := newWorld(t)
	anna := w.a.Client().Register("anna")
	th := w.thread(anna, "general", "Otter log", "First otter of the year.")
	for i := 2; i <= 23; i++ {
		anna.Must(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/threads/%d/posts", th.Thread.ID), map[string]string{"body": fmt.Sprintf("Otter number %d by the weir.", i)})
	}
	searchIndexed(t, w.a)
	anon := w.a.Client()

	body := page(t, anon, searchPath("otter", "sort=newest"), http.StatusOK)
	ids := resultIDs(body)
	if len(ids) != 20 || !strings.Contains(body, "Results 1–20 of 23") {
		t.Fatalf("page 1: %d results", len(ids))
	}
	if !strings.Contains(body, "<mark>Otter</mark> number 23 by the weir.") || strings.Contains(body, "First <mark>otter</mark>") {
		t.Error("newest first: page 1 should hold the latest reply and leave out the first post")
	}
	if !slices.IsSortedFunc(ids, func(a, b string) int { return cmp.Compare(atoi(t, b), atoi(t, a)) }) {
		t.Errorf("newest first: post ids %v are not descending", ids)
	}
	// Links keep the query and the sort; the current sort is marked.
	for _, want := range []string{
		`href="/search?page=2&amp;q=otter&amp;sort=newest" rel="next"`,
		`href="/search?page=2&amp;q=otter&amp;sort=newest"><span class="visually-hidden">Page </span>2</a>`,
		`<a href="/search?q=otter&amp;sort=newest" aria-current="true">Newest</a>`,
		`<a href="/search?q=otter">Best match</a>`,
		`<input type="hidden" name="sort" value="newest">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page 1 lacks %s", want)
		}
	}
	body = page(t, anon, searchPath("otter", "sort=newest", "page=2"), http.StatusOK)
	if got := resultIDs(body); len(got) != 3 || !strings.Contains(body, "Results 21–23 of 23") || !strings.Contains(body, "First <mark>otter</mark>") {
		t.Errorf("page 2: %v", got)
	}
	if !strings.Contains(body, `<ol class="search-results" start="21">`) || !strings.Contains(body, `rel="prev"`) {
		t.Error("page 2 does not number from 21 or has no link back")
	}
	// A page past the end is empty and says so (as the API answers 200).
	body = page(t, anon, searchPath("otter", "page=4"), http.StatusOK)
	if len(resultIDs(body)) != 0 || !strings.Contains(body, "There is no page 4 of these results") {
		t.Error("a page past the end does not say so")
	}
}

// Another process holding the index (as during a rebuild): the page says
// results may be incomplete instead of failing.
func TestSearchPageRebuildBanner(t *testing.T) {
	w := newWorld(t)
	anna := w.a.Client().Register("anna")
	w.thread(anna, "general", "Heron", "A heron on the pier.")
	searchIndexed(t, w.a)
	if body := page(t, w.a.Client(), searchPath("heron"), http.StatusOK); strings.Contains(body, "search-rebuilding") {
		t.Fatal("the banner shows while the index is ready")
	}

	b := apptest.New(t, func(c *config.Config) { c.DataDir, c.DatabaseURL = w.a.Config.DataDir, w.a.Config.DatabaseURL })
	if !b.Search.Rebuilding() {
		t.Fatal("a second process on the same data folder got the index")
	}
	body := page(t, b.Client(), searchPath("heron"), http.StatusOK)
	if !strings.Contains(body, "The search index is being rebuilt; results may be incomplete.") {
		t.Error("no rebuild banner")
	}
	if !strings.Contains(body, "Nothing found yet") {
		t.Error("the empty state does not say results may come")
	}
}
