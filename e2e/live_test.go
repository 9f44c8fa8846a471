package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"parley/app/apptest"
)

// liveJS waits for the page's websocket to be subscribed (static/js/live.js
// sets data-live-state on the element that declares data-live).
const liveJS = `document.querySelector('[data-live]') && document.querySelector('[data-live]').dataset.liveState === 'live'`

func reply(t *testing.T, c *apptest.Client, th Thread, body string) {
	t.Helper()
	c.Must(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/threads/%d/posts", th.ID), map[string]string{"body": body})
}

// postCount counts the posts on the page whose body contains text.
func postCount(b *Browser, text string) int {
	b.t.Helper()
	return b.Int(fmt.Sprintf(`[...document.querySelectorAll('article.post .post-body')].filter(e => e.textContent.includes(%s)).length`, jsString(text)))
}

// postFetches counts the page's requests for single posts
// (GET /api/v1/posts/{id}; fetch calls are in the resource timing
// entries). A reply or an edit arrives with its post on the websocket, so
// a crowd watching a thread costs the server no request per reader.
func postFetches(b *Browser) int {
	b.t.Helper()
	return b.Int(`performance.getEntriesByType('resource').filter(e => /\/api\/v1\/posts\/\d+/.test(e.name)).length`)
}

// Story: Anna and Ben read one thread in two browsers. Ben's replies reach
// Anna without a reload (at once at the bottom, behind a bar when she has
// scrolled up), she sees him typing and that two people read, and a reply
// made while her network is down arrives exactly once when it is back.
func TestLiveThread(t *testing.T) {
	site := Start(t)
	annaAPI := site.Member("anna")
	benAPI := site.Member("ben")
	th := site.StartThread(annaAPI, "general", "Live: winter stove test", "Which stove works at -20 °C?")
	long := strings.Repeat("Gas canisters lose pressure in the cold, so keep them warm in your jacket. ", 12)
	for i := 2; i <= 6; i++ {
		reply(t, annaAPI, th, fmt.Sprintf("Note %d. %s", i, long))
	}

	cut := site.Cutter(t)
	anna := site.BrowserVia(t, "anna", cut.URL)
	anna.LogIn("anna")
	anna.Visit(th.Path())
	anna.WaitFor(liveJS, "anna's live connection")
	anna.Eval(`window.__samePage = true`, nil)

	ben := site.Browser(t, "ben")
	ben.LogIn("ben")
	ben.Visit(th.Path())
	ben.WaitFor(liveJS, "ben's live connection")

	// Presence: both read the thread.
	anna.WaitFor(`(() => { const p = document.querySelector('.page-head .presence'); return p && !p.hidden && p.textContent === '2 people reading'; })()`, "2 people reading")

	// Typing: Ben writes, Anna sees it under the posts.
	ben.Fill("#composer", "Thinking about the Emberline")
	anna.WaitFor(`document.querySelector('.typing[aria-live="polite"]').textContent === 'ben is typing…'`, "ben is typing…")

	// At the bottom of the thread, Ben's reply appears in place.
	anna.Eval(`window.scrollTo(0, document.documentElement.scrollHeight)`, nil)
	ben.Fill("#composer", "The **Emberline** works down to -25 °C with a winter canister.")
	if st := ben.Submit("#reply"); st != http.StatusOK {
		t.Fatalf("ben's reply: status %d", st)
	}
	anna.WaitFor(`document.querySelector('#p7 .post-body strong') && document.querySelector('#p7 .post-body strong').textContent === 'Emberline'`, "ben's reply, live")
	if got := anna.Text("#p7 .post-author a"); got != "ben" {
		t.Fatalf("the live reply's author is %q", got)
	}
	// It is a real post: members get reaction buttons and the Quote link.
	if anna.Count(`#p7 button.js-react[data-kind="like"]`) != 1 || anna.Count("#p7 a.js-quote") != 1 {
		t.Fatal("the live reply lacks its reaction buttons or Quote link")
	}
	if anna.Count(`#p7 a[href$="/edit"]`) != 0 {
		t.Fatal("anna may edit ben's live reply")
	}
	if n := postFetches(anna); n != 0 {
		t.Fatalf("the live reply cost %d post requests, want none (it comes with its event)", n)
	}
	anna.WaitFor(`document.querySelector('.typing').textContent === ''`, "the typing notice to go when ben's post arrived")
	if !anna.Bool(`window.__samePage === true`) {
		t.Fatal("anna's page reloaded")
	}

	// Scrolled up, Anna gets a bar instead of a page that moves.
	anna.Eval(`window.scrollTo(0, 0)`, nil)
	ben.WaitFor(liveJS, "ben's live connection after posting")
	ben.Fill("#composer", "Second thought: bring a windscreen.")
	if st := ben.Submit("#reply"); st != http.StatusOK {
		t.Fatalf("ben's second reply: status %d", st)
	}
	anna.WaitFor(`(() => { const b = document.querySelector('.live-bar button'); return b && !b.hidden && b.textContent === '1 new reply'; })()`, "the new-replies bar")
	if anna.Count("#p8") != 0 {
		t.Fatal("the reply was added while anna was scrolled up")
	}
	if y := anna.Int(`window.scrollY`); y != 0 {
		t.Fatalf("the page scrolled to %d", y)
	}
	anna.Click(".live-bar button")
	anna.WaitFor(`document.querySelector('#p8')`, "the held reply after the click")
	anna.WaitFor(`(() => { const r = document.querySelector('#p8').getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight; })()`, "the held reply scrolled into view")
	if !anna.Bool(`document.querySelector('.live-bar button').hidden`) {
		t.Fatal("the bar stays after the click")
	}
	if got := postCount(anna, "windscreen"); got != 1 {
		t.Fatalf("the second reply shows %d times", got)
	}
	if n := postFetches(anna); n != 0 {
		t.Fatalf("the held reply cost %d post requests", n)
	}

	// Anna's network drops; Ben replies meanwhile; it comes back.
	cut.Cut()
	anna.WaitFor(`document.querySelector('[data-live]').dataset.liveState === 'reconnecting'`, "anna noticing the drop")
	reply(t, benAPI, th, "Posted while anna was offline.")
	anna.WaitFor(`(() => { const h = document.querySelector('.live-status'); return h && !h.hidden && h.textContent === 'Reconnecting…'; })()`, "the reconnecting hint")
	cut.Restore()
	anna.WaitFor(`document.querySelector('#p9')`, "the reply made while offline")
	anna.WaitFor(liveJS, "anna's live connection again")
	if !anna.Bool(`document.querySelector('.live-status').hidden`) {
		t.Fatal("the reconnecting hint stays after reconnecting")
	}
	if got := postCount(anna, "Posted while anna was offline."); got != 1 {
		t.Fatalf("the reply made while offline shows %d times", got)
	}
	if got := anna.Count("article.post"); got != 9 {
		t.Fatalf("anna's page has %d posts, want 9", got)
	}
	if got := anna.Str(`[...document.querySelectorAll('article.post')].map(a => a.id).join(',')`); got != "p1,p2,p3,p4,p5,p6,p7,p8,p9" {
		t.Fatalf("posts in order %s", got)
	}
	if !anna.Bool(`window.__samePage === true`) {
		t.Fatal("anna's page reloaded")
	}
	anna.NoCSPViolations()
	ben.NoCSPViolations()
}

// Story: edits, reactions, deletions and a lock made elsewhere show on an
// open thread page.
func TestLiveThreadChanges(t *testing.T) {
	site := Start(t)
	annaAPI := site.Member("anna")
	benAPI := site.Member("ben")
	th := site.StartThread(annaAPI, "general", "Live: changes", "First version.")
	var p2 struct{ ID int64 }
	benAPI.Must(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/threads/%d/posts", th.ID), map[string]string{"body": "Ben was here."}).JSON(t, &p2)

	anna := site.Browser(t, "anna")
	anna.LogIn("anna")
	anna.Visit(th.Path())
	anna.WaitFor(liveJS, "anna's live connection")

	annaAPI.Must(http.StatusOK, "PATCH", fmt.Sprintf("/api/v1/posts/%d", th.PostID), map[string]string{"body": "Second *version*."})
	anna.WaitFor(`document.querySelector('#p1 .post-body em') && document.querySelector('#p1 .post-body em').textContent === 'version'`, "the edit")
	if anna.Count("#p1 a.edited") != 1 {
		t.Fatal("the edited post has no edited link")
	}
	if n := postFetches(anna); n != 0 {
		t.Fatalf("the edit cost %d post requests, want none (it comes with its event)", n)
	}

	// Anna's own reply from elsewhere (her phone, say) arrives with the
	// buttons of its author: the page knows who reads it.
	reply(t, annaAPI, th, "Anna adds a note from her phone.")
	anna.WaitFor(`document.querySelector('#p3')`, "anna's own reply, live")
	if anna.Count(`#p3 a[href$="/edit"]`) != 1 || anna.Count(`#p3 form[action$="/delete"]`) != 1 {
		t.Fatal("anna's own live reply has no Edit or Delete")
	}
	if anna.Count(`#p2 a[href$="/edit"]`) != 0 {
		t.Fatal("anna may edit ben's post")
	}

	benAPI.Must(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/posts/%d/reactions/thanks", th.PostID), nil)
	anna.WaitFor(`document.querySelector('#p1 button.js-react[data-kind="thanks"] .count').textContent === '1'`, "ben's thanks")
	if got := anna.Attr(`#p1 button.js-react[data-kind="thanks"]`, "aria-pressed"); got != "false" {
		t.Fatalf("ben's reaction shows as anna's: aria-pressed=%q", got)
	}
	if n := postFetches(anna); n != 0 {
		t.Fatalf("the reaction cost %d post requests, want none (its counts come with the event)", n)
	}
	// Anna's own reaction from elsewhere shows as hers.
	annaAPI.Must(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/posts/%d/reactions/like", p2.ID), nil)
	anna.WaitFor(`document.querySelector('#p2 button.js-react[data-kind="like"]').getAttribute('aria-pressed') === 'true'`, "anna's own like, pressed")
	if got := anna.Text(`#p2 button.js-react[data-kind="like"] .count`); got != "1" {
		t.Fatalf("anna's like counts %q", got)
	}

	benAPI.Must(http.StatusNoContent, "DELETE", fmt.Sprintf("/api/v1/posts/%d", p2.ID), nil)
	anna.WaitFor(`document.querySelector('#p2.is-deleted .deleted-note')`, "the deletion")
	if anna.Count("#p2 .post-body") != 0 {
		t.Fatal("the deleted post's body is still shown to a member")
	}
	if n := postFetches(anna); n != 0 {
		t.Fatalf("the deletion cost a member %d post requests, want none", n)
	}

	site.API().Must(http.StatusOK, "PATCH", fmt.Sprintf("/api/v1/threads/%d", th.ID), map[string]any{"locked": true})
	anna.WaitFor(`document.querySelector('#reply').hidden && document.querySelector('.reply-section .js-locked')`, "the lock")
	site.API().Must(http.StatusOK, "PATCH", fmt.Sprintf("/api/v1/threads/%d", th.ID), map[string]any{"locked": false})
	anna.WaitFor(`!document.querySelector('#reply').hidden && !document.querySelector('.reply-section .js-locked')`, "the unlock")
	anna.NoCSPViolations()
}

// Story: a forum's thread list and the home page follow new threads and
// replies, and a visitor (whose pages come from the page cache) sees
// replies live too.
func TestLiveLists(t *testing.T) {
	site := Start(t)
	mia := site.Member("mia")
	site.Member("anna")
	old := site.StartThread(mia, "general", "An older thread", "Hello")
	site.StartThread(mia, "general", "A newer thread", "Hello again")

	anna := site.Browser(t, "anna")
	anna.LogIn("anna")
	anna.Visit("/f/general")
	anna.WaitFor(liveJS, "anna's live connection")
	titles := `[...document.querySelectorAll('.thread-title > a')].map(a => a.textContent).join('|')`
	if got := anna.Str(titles); got != "A newer thread|An older thread" {
		t.Fatalf("thread list %q", got)
	}
	reply(t, mia, old, "Bumping the older one")
	anna.WaitFor(titles+` === 'An older thread|A newer thread'`, "the bumped thread on top")
	if got := anna.Text(".thread:first-child .thread-replies strong"); got != "1" {
		t.Fatalf("the bumped thread shows %q replies", got)
	}
	site.StartThread(mia, "general", "A brand new thread", "Fresh")
	anna.WaitFor(titles+` === 'A brand new thread|An older thread|A newer thread'`, "the new thread on top")
	if anna.Count(".thread:first-child .badge-new") != 1 {
		t.Fatal("the new thread has no 'new' badge")
	}
	anna.NoCSPViolations()

	anna.Visit("/")
	anna.WaitFor(liveJS, "anna's live connection on the home page")
	posts := `tr[data-forum="general"] td[data-label="Posts"]`
	if got := anna.Text(posts); got != "4" {
		t.Fatalf("General shows %s posts", got)
	}
	reply(t, mia, old, "Another one")
	anna.WaitFor(fmt.Sprintf(`document.querySelector(%s).textContent === '5'`, jsString(posts)), "General's post count")
	anna.NoCSPViolations()

	visitor := site.Browser(t, "visitor")
	visitor.Visit(old.Path())
	visitor.Visit(old.Path()) // the second answer comes from the page cache
	visitor.WaitFor(liveJS, "the visitor's live connection")
	reply(t, mia, old, "Visitors see this live.")
	visitor.WaitFor(`document.querySelector('#p4')`, "the reply, for a visitor")
	if n := postFetches(visitor); n != 0 {
		t.Fatalf("the visitor's live reply cost %d post requests", n)
	}
	if got := postCount(visitor, "Visitors see this live."); got != 1 {
		t.Fatalf("the reply shows %d times", got)
	}
	if visitor.Count("#p4 button") != 0 {
		t.Fatal("a visitor gets buttons on a live post")
	}
	visitor.NoCSPViolations()
}
