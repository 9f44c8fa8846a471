package e2e

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"

	"parley/app/apptest"
)

// searchReady waits until the search index has applied every event so far:
// it follows the event log in the background, so a post is searchable a
// moment after its 201.
func searchReady(t *testing.T, site *Site) {
	t.Helper()
	last, err := site.Store.LastEventID(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	apptest.Eventually(t, fmt.Sprintf("the search index to reach event %d", last), waitTimeout, func() bool {
		return site.Search.Position() >= last && !site.Search.Rebuilding()
	})
}

// The header box's suggestion list (static/js/search.js).
const (
	suggestOpenJS = `(() => { const l = document.getElementById('site-search-list'); return l && !l.hidden && l.querySelectorAll('[role="option"]').length > 0; })()`
	suggestTitles = `[...document.querySelectorAll('#site-search-list [role="option"] .site-search-title')].map(e => e.textContent)`
)

func suggestions(b *Browser) []string {
	b.t.Helper()
	var out []string
	b.Eval(suggestTitles, &out)
	return out
}

// Story: Ines types in the header's search box; thread titles are
// suggested as she types, she picks one with the keyboard and lands on the
// thread. The box is a proper combobox for screen readers, Escape closes
// it, a click works too, and an answer that arrives late is ignored.
func TestSearchSuggestionsKeyboard(t *testing.T) {
	site := Start(t)
	mia := site.Member("mia")
	stove := site.StartThread(mia, "general", "Emberline stove at minus twenty", "Does the Emberline light in deep cold?")
	lantern := site.StartThread(mia, "general", "Lantern hinge repair", "The lantern hinge snapped.")
	searchReady(t, site)

	ines := site.Browser(t, "ines")
	ines.Visit("/")
	if got := ines.Attr("#site-search-q", "role"); got != "combobox" {
		t.Fatalf("the search box's role is %q, want combobox", got)
	}
	ines.Type("#site-search-q", "e") // one character suggests nothing
	ines.Type("#site-search-q", "mberl")
	ines.WaitFor(suggestOpenJS, "suggestions for 'emberl'")
	if got := suggestions(ines); len(got) != 1 || got[0] != "Emberline stove at minus twenty" {
		t.Fatalf("suggestions %q", got)
	}
	if ines.Attr("#site-search-q", "aria-expanded") != "true" || ines.Attr("#site-search-q", "aria-controls") != "site-search-list" {
		t.Fatal("the open list is not announced (aria-expanded, aria-controls)")
	}
	if ines.Attr("#site-search-list", "role") != "listbox" {
		t.Fatal("the list is not a listbox")
	}

	// Escape closes; ArrowDown opens again and highlights the first.
	ines.Type("#site-search-q", kb.Escape)
	ines.WaitFor(`document.getElementById('site-search-list').hidden`, "the list to close on Escape")
	if ines.Attr("#site-search-q", "aria-expanded") != "false" {
		t.Fatal("aria-expanded stays true after Escape")
	}
	ines.Type("#site-search-q", kb.ArrowDown)
	ines.WaitFor(suggestOpenJS, "the list to open on ArrowDown")
	active := ines.Attr("#site-search-q", "aria-activedescendant")
	if active == "" || ines.Attr("#"+active, "aria-selected") != "true" || ines.Text("#"+active+" .site-search-title") != "Emberline stove at minus twenty" {
		t.Fatalf("ArrowDown highlights %q", active)
	}
	ines.NoCSPViolations() // the next page load is the script's, not the harness's
	ines.Type("#site-search-q", kb.Enter)
	ines.WaitFor(fmt.Sprintf(`location.pathname === %s && document.readyState === 'complete'`, jsString(stove.Path())), "the chosen thread")
	ines.WaitText("Does the Emberline light in deep cold?")

	// A click picks a suggestion too.
	ines.Visit("/")
	ines.Type("#site-search-q", "lant")
	ines.WaitFor(suggestOpenJS, "suggestions for 'lant'")
	ines.NoCSPViolations()
	ines.Click(`#site-search-list [role="option"]`)
	ines.WaitFor(fmt.Sprintf(`location.pathname === %s`, jsString(lantern.Path())), "the clicked thread")

	// Out of order: the answer for "lan" is held back until "emberline"
	// has been answered and shown; when it finally comes, it is ignored.
	ines.Visit("/")
	ines.Eval(`(() => {
	  const real = window.fetch.bind(window);
	  let release;
	  const gate = new Promise(r => { release = r; });
	  window.__asked = [];
	  window.__releaseFirst = release;
	  window.__lateSeen = false;
	  window.fetch = (url, opts) => {
	    window.__asked.push(String(url));
	    if (window.__asked.length > 1) return real(url, opts);
	    // Held back, and deaf to the box's abort, like an answer already
	    // on its way: only the box's own check can keep it out.
	    return gate.then(() => real(url, Object.assign({}, opts, {signal: undefined}))).then(resp => ({
	      ok: resp.ok, status: resp.status,
	      json: () => resp.json().then(body => { setTimeout(() => { window.__lateSeen = true; }, 0); return body; }),
	    }));
	  };
	  return true;
	})()`, nil)
	ines.Type("#site-search-q", "lan")
	ines.WaitFor(`window.__asked.length === 1 && window.__asked[0].endsWith('q=lan')`, "the request for 'lan'")
	ines.Fill("#site-search-q", "emberline")
	ines.WaitFor(suggestOpenJS+` && document.querySelector('#site-search-list .site-search-title').textContent.startsWith('Emberline')`, "suggestions for 'emberline'")
	ines.Eval(`window.__releaseFirst()`, nil)
	ines.WaitFor(`window.__lateSeen`, "the late answer for 'lan'")
	if got := suggestions(ines); len(got) != 1 || got[0] != "Emberline stove at minus twenty" {
		t.Fatalf("after the late answer the list shows %q", got)
	}
	ines.NoCSPViolations()
}

// Story: Otto searches from the header box without touching the
// suggestions: the results page shows the highlighted snippet, and a
// result opens the post. On a phone the box fits the screen.
func TestSearchResultsPage(t *testing.T) {
	site := Start(t)
	mia := site.Member("mia")
	th := site.StartThread(mia, "general", "Winter canisters", "Keep the canister in your jacket.")
	reply(t, mia, th, "Filler reply about boots.")
	reply(t, mia, th, "A warm canister lights at once, even when the ptarmigan are frozen.")
	searchReady(t, site)

	otto := site.Browser(t, "otto")
	otto.Visit("/")
	otto.Fill("#site-search-q", "ptarmigan")
	if st := otto.Submit("form.site-search"); st != http.StatusOK {
		t.Fatalf("search: status %d", st)
	}
	if !strings.HasPrefix(otto.Path(), "/search?q=ptarmigan") {
		t.Fatalf("the box went to %s", otto.Path())
	}
	if got := otto.Text(".search-count"); !strings.HasPrefix(got, "1 result") {
		t.Fatalf("count %q", got)
	}
	if got := otto.Text(".search-result .search-snippet mark"); got != "ptarmigan" {
		t.Fatalf("highlighted %q, want ptarmigan", got)
	}
	if got := otto.Value("#search-q"); got != "ptarmigan" {
		t.Fatalf("the page's box holds %q", got)
	}
	if otto.Text(".search-result-title a") != "Winter canisters" || !strings.Contains(otto.Text(".search-result-meta"), "General") {
		t.Fatal("the result lacks its thread title or forum")
	}
	otto.NoCSPViolations()
	if st := otto.ClickAndWait(".search-result-title a"); st != http.StatusOK {
		t.Fatalf("open the result: status %d", st)
	}
	if !strings.HasPrefix(otto.Path(), th.Path()) {
		t.Fatalf("the result opened %s, want the thread %s", otto.Path(), th.Path())
	}
	otto.WaitFor(`location.hash === '#p3'`, "the permalink's anchor")
	if !strings.Contains(otto.Text("#p3 .post-body"), "ptarmigan") {
		t.Fatal("the post the result named is not at its anchor")
	}

	// Sort and bad input on the page, in the browser.
	if st := otto.VisitStatus("/search?q=canister&sort=oldest"); st != http.StatusBadRequest {
		t.Fatalf("a bad sort answered %d", st)
	}
	if !strings.Contains(otto.Text("#search-error"), `sort is "relevance" or "newest"`) {
		t.Fatalf("the error reads %q", otto.Text("#search-error"))
	}
	otto.Visit("/search?q=canister")
	if got := otto.Count(".search-result"); got != 2 {
		t.Fatalf("canister: %d results", got)
	}
	otto.ClickAndWait(`.search-sort a[href*="sort=newest"]`)
	if otto.Attr(`.search-sort a[href*="sort=newest"]`, "aria-current") != "true" || !strings.Contains(otto.Text(".search-result .search-snippet"), "warm canister") {
		t.Fatal("newest first does not start with the newest post")
	}
	otto.NoCSPViolations()

	// On a phone: no sideways scrolling, suggestions included.
	pia := site.Browser(t, "pia")
	pia.Phone()
	pia.Visit("/")
	pia.NoHorizontalScroll()
	pia.Type("#site-search-q", "winter")
	pia.WaitFor(suggestOpenJS, "suggestions on a phone")
	pia.NoHorizontalScroll()
	var box struct{ Left, Right float64 }
	pia.Eval(`(() => { const r = document.getElementById('site-search-list').getBoundingClientRect(); return {left: r.left, right: r.right}; })()`, &box)
	if box.Left < 0 || box.Right > float64(pia.Int(`window.innerWidth`)) {
		t.Fatalf("the suggestion list %+v is wider than the phone", box)
	}
	pia.Visit("/search?q=canister")
	pia.NoHorizontalScroll()
	pia.NoCSPViolations()
}

// Story: a members-only forum's posts are not found by a visitor: not in
// the results, not in the count, not in the suggestions. A member finds
// them.
func TestSearchHidesPrivateForums(t *testing.T) {
	site := Start(t)
	mia := site.Member("mia")
	site.StartThread(mia, "general", "Quokka sighting on the ridge", "A quokka by the trail.")
	site.StartThread(mia, "club", "Quokka club outing", "Members-only quokka walk on Sunday.")
	searchReady(t, site)

	vic := site.Browser(t, "vic")
	vic.Visit("/search?q=quokka")
	if got := vic.Count(".search-result"); got != 1 {
		t.Fatalf("a visitor sees %d results", got)
	}
	if got := vic.Text(".search-count"); !strings.HasPrefix(got, "1 result") {
		t.Fatalf("a visitor's count reads %q", got)
	}
	if strings.Contains(vic.BodyText(), "Quokka club outing") || strings.Contains(vic.BodyText(), "Members-only") {
		t.Fatal("the members-only thread shows to a visitor")
	}
	vic.Visit("/")
	vic.Type("#site-search-q", "quokka")
	vic.WaitFor(suggestOpenJS, "a visitor's suggestions")
	if got := suggestions(vic); len(got) != 1 || got[0] != "Quokka sighting on the ridge" {
		t.Fatalf("a visitor is suggested %q", got)
	}
	vic.NoCSPViolations()

	site.Member("ben")
	ben := site.Browser(t, "ben")
	ben.LogIn("ben")
	ben.Visit("/search?q=quokka")
	if got := ben.Count(".search-result"); got != 2 || !strings.Contains(ben.Text(".search-results"), "Quokka club outing") {
		t.Fatalf("a member sees %d results", got)
	}
	ben.Visit("/")
	ben.Type("#site-search-q", "quokka")
	ben.WaitFor(suggestOpenJS+` && document.querySelectorAll('#site-search-list [role="option"]').length === 2`, "a member's two suggestions")
	ben.NoCSPViolations()

	// The visitor's page was not shared with the member or kept from him.
	vic.Visit("/search?q=quokka")
	if got := vic.Count(".search-result"); got != 1 {
		t.Fatalf("after the member searched, a visitor sees %d results", got)
	}
}

// Story: a post and a title carrying XSS vectors are found; the results
// page and the suggestions show them as text: no element, no dialog, no
// CSP violation.
func TestSearchShowsVectorsAsText(t *testing.T) {
	site := Start(t)
	mia := site.Member("mia")
	body := "Wombat notes: <img src=x onerror=alert(1)> and \"><script>alert(1)</script> and <svg onload=alert(3)> end."
	title := `"><img src=x onerror=alert(2)> wombat <script>alert(4)</script>`
	site.StartThread(mia, "general", title, body)
	searchReady(t, site)

	eve := site.XSSBrowser(t, "eve")
	eve.Visit("/search?q=wombat")
	if got := eve.Count(".search-result"); got != 1 {
		t.Fatalf("wombat: %d results", got)
	}
	if got := eve.Text(".search-result-title a"); got != title {
		t.Fatalf("the title reads %q", got)
	}
	snippet := eve.Text(".search-snippet")
	for _, want := range []string{"<img src=x onerror=alert(1)>", `"><script>alert(1)</script>`, "<svg onload=alert(3)>"} {
		if !strings.Contains(snippet, want) {
			t.Errorf("the snippet %q does not show %q as text", snippet, want)
		}
	}
	if n := eve.Count(".search-results img, .search-results script, .search-results svg, .search-results [onerror], .search-results [onload]"); n != 0 {
		t.Fatalf("%d elements made from the vectors", n)
	}
	if got := eve.Count(".search-snippet mark"); got < 1 {
		t.Fatal("no highlighted match")
	}
	if n := eve.XSSCount(); n != 0 {
		t.Fatalf("%d dialogs", n)
	}
	eve.NoCSPViolations()

	eve.Visit("/")
	eve.Type("#site-search-q", "wombat")
	eve.WaitFor(suggestOpenJS, "suggestions for wombat")
	if got := suggestions(eve); len(got) != 1 || got[0] != title {
		t.Fatalf("suggested %q", got)
	}
	if n := eve.Count("#site-search-list img, #site-search-list script"); n != 0 {
		t.Fatalf("%d elements made from the title in the list", n)
	}
	if n := eve.XSSCount(); n != 0 {
		t.Fatalf("%d dialogs", n)
	}
	eve.NoCSPViolations()
}
