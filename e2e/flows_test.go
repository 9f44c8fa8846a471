package e2e

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

var threadPath = regexp.MustCompile(`^/t/\d+`)

// Story 1: Anna signs up, starts a thread in Markdown (after a preview),
// replies to it, and sees both posts rendered.
func TestSignUpStartThreadAndReply(t *testing.T) {
	site := Start(t)
	anna := site.Browser(t, "anna")

	anna.SignUp("anna")
	anna.WaitText("Welcome, anna!")
	anna.NoCSPViolations()

	// Home → General → New thread.
	anna.ClickAndWait(`a.forum-name[href="/f/general"]`)
	anna.ClickAndWait(`a.button[href="/f/general/new"]`)
	anna.Fill("#title", "Winter camping checklist")
	anna.Fill("#body", "Bring a **warm** sleeping bag and:\n\n- a stove\n- spare gas\n\nRead [the guide](https://example.com/winter-guide) first.")

	// The preview button appears with JavaScript and shows the rendered HTML.
	anna.Click(`form[action="/f/general/new"] .js-preview`)
	anna.WaitFor(`document.querySelector('.preview:not([hidden]) strong')`, "the preview")
	if got := anna.Text(".preview strong"); got != "warm" {
		t.Fatalf("preview <strong> = %q", got)
	}
	if n := anna.Count(".preview li"); n != 2 {
		t.Fatalf("preview has %d list items, want 2", n)
	}
	if got := anna.Attr(`.preview a[href="https://example.com/winter-guide"]`, "rel"); got != "nofollow ugc noopener" {
		t.Fatalf("preview link rel = %q", got)
	}
	if anna.Path() != "/f/general/new" {
		t.Fatalf("the preview navigated to %s", anna.Path())
	}

	if st := anna.Submit(`form[action="/f/general/new"]`); st != http.StatusOK {
		t.Fatalf("start thread: status %d", st)
	}
	thread := anna.Path()
	if !threadPath.MatchString(thread) {
		t.Fatalf("after starting a thread the browser is on %s", thread)
	}
	if got := anna.Text("h1"); got != "Winter camping checklist" {
		t.Fatalf("thread heading = %q", got)
	}
	checkFirstPost := func() {
		t.Helper()
		if got := anna.Text("#p1 .post-body strong"); got != "warm" {
			t.Fatalf("first post <strong> = %q", got)
		}
		if got := anna.Str(`[...document.querySelectorAll('#p1 .post-body ul > li')].map(li => li.textContent).join('|')`); got != "a stove|spare gas" {
			t.Fatalf("first post list = %q", got)
		}
		if got := anna.Attr(`#p1 .post-body a[href="https://example.com/winter-guide"]`, "rel"); got != "nofollow ugc noopener" {
			t.Fatalf("first post link rel = %q", got)
		}
	}
	checkFirstPost()
	anna.NoCSPViolations()

	// Reply with Markdown through the composer under the thread.
	anna.Fill("#composer", "Also pack:\n\n1. a *wool* hat\n2. **thick** gloves\n\nTips: https://example.org/tips")
	if st := anna.Submit("#reply"); st != http.StatusOK {
		t.Fatalf("reply: status %d", st)
	}
	if !strings.HasPrefix(anna.Path(), thread) {
		t.Fatalf("after replying the browser is on %s, want %s", anna.Path(), thread)
	}
	anna.WaitFor(`document.querySelector('#p2 .post-body')`, "the reply")
	if got := anna.Text("#p2 .post-body em"); got != "wool" {
		t.Fatalf("reply <em> = %q", got)
	}
	if got := anna.Text("#p2 .post-body strong"); got != "thick" {
		t.Fatalf("reply <strong> = %q", got)
	}
	if n := anna.Count("#p2 .post-body ol > li"); n != 2 {
		t.Fatalf("reply has %d ordered items, want 2", n)
	}
	if got := anna.Attr(`#p2 .post-body a[href="https://example.org/tips"]`, "rel"); got != "nofollow ugc noopener" {
		t.Fatalf("reply autolink rel = %q", got)
	}
	checkFirstPost()
	if got := anna.Str(`[...document.querySelectorAll('.post-author a')].map(a => a.textContent).join(',')`); got != "anna,anna" {
		t.Fatalf("post authors = %q", got)
	}
	anna.NoCSPViolations()
}

// Story 2: Bert quotes Anna with the Quote link, reacts to her post without
// a reload, and Anna sees the reaction.
func TestQuoteAndReact(t *testing.T) {
	site := Start(t)
	api := site.Member("anna")
	site.Member("bert")
	th := site.StartThread(api, "general", "Best stove for winter?", "Does the *Emberline* work below freezing?")

	bert := site.Browser(t, "bert")
	bert.LogIn("bert")
	bert.Visit(th.Path())
	bert.Click("#p1 a.js-quote")
	bert.WaitFor(`document.querySelector('#composer').value.includes('wrote')`, "the quote in the composer")
	composer := bert.Value("#composer")
	want := fmt.Sprintf("> **@anna** [wrote](/p/%d):", th.PostID)
	if !strings.HasPrefix(composer, want) || !strings.Contains(composer, "> Does the *Emberline* work below freezing?") {
		t.Fatalf("composer after Quote = %q", composer)
	}
	if bert.Path() != th.Path() {
		t.Fatalf("Quote navigated to %s (JavaScript should fill the composer in place)", bert.Path())
	}
	if !bert.Bool(`document.activeElement === document.querySelector('#composer')`) {
		t.Fatal("the composer is not focused after quoting")
	}
	bert.Type("#composer", "Yes, with the winter gas canister.")
	if st := bert.Submit("#reply"); st != http.StatusOK {
		t.Fatalf("reply: status %d", st)
	}
	bert.WaitFor(`document.querySelector('#p2 .post-body blockquote')`, "the quoted reply")
	if got := bert.Text("#p2 .post-body blockquote"); !strings.Contains(got, "Does the Emberline work below freezing?") {
		t.Fatalf("blockquote = %q", got)
	}
	if got := bert.Attr(`#p2 .post-body blockquote a.mention`, "href"); got != "/u/anna" {
		t.Fatalf("the quote's mention links to %q", got)
	}
	if got := bert.Text("#p2 .post-body > p"); got != "Yes, with the winter gas canister." {
		t.Fatalf("reply text = %q", got)
	}
	bert.NoCSPViolations()

	// React: the count changes in place (no page load).
	like := `#p1 button.js-react[data-kind="like"]`
	if got := bert.Text(like + " .count"); got != "0" {
		t.Fatalf("like count before = %q", got)
	}
	bert.Eval(`window.__samePage = true`, nil)
	bert.Click(like)
	bert.WaitFor(`document.querySelector('`+like+`').getAttribute('aria-pressed') === 'true'`, "the pressed like button")
	if got := bert.Text(like + " .count"); got != "1" {
		t.Fatalf("like count after the click = %q", got)
	}
	if !bert.Bool(`window.__samePage === true`) {
		t.Fatal("reacting reloaded the page")
	}
	if got := bert.Text(`#p1 button.js-react[data-kind="thanks"] .count`); got != "0" {
		t.Fatalf("thanks count = %q", got)
	}
	bert.NoCSPViolations()

	// After a reload the pressed state and the count come from the server.
	if st := bert.Reload(); st != http.StatusOK {
		t.Fatalf("reload: %d", st)
	}
	if got := bert.Attr(like, "aria-pressed"); got != "true" {
		t.Fatalf("after reload aria-pressed = %q", got)
	}
	if got := bert.Text(like + " .count"); got != "1" {
		t.Fatalf("after reload like count = %q", got)
	}
	bert.NoCSPViolations()

	// Anna sees the like on her post, not pressed by her.
	anna := site.Browser(t, "anna")
	anna.LogIn("anna")
	anna.Visit(th.Path())
	if got := anna.Text(like + " .count"); got != "1" {
		t.Fatalf("anna sees like count %q", got)
	}
	if got := anna.Attr(like, "aria-pressed"); got != "false" {
		t.Fatalf("anna's like button aria-pressed = %q", got)
	}
	anna.NoCSPViolations()
}

// Story 3: a visitor reads the public forum but the members-only forum and
// its threads answer a plain 404 that names nothing private.
func TestVisitorSeesPublicButNotMembersOnly(t *testing.T) {
	site := Start(t)
	mia := site.Member("mia")
	public := site.StartThread(mia, "general", "Trail report: Ridgeline loop", "Snow above 2000 m, bring **spikes**.")
	secret := site.StartThread(mia, "club", "Secret summit meetup plans", "Members-only meeting point.")

	visitor := site.Browser(t, "visitor")
	visitor.Visit("/")
	if visitor.Count(`a.forum-name[href="/f/general"]`) != 1 {
		t.Fatal("the home page does not list the public forum")
	}
	if visitor.Count(`a[href="/f/club"]`) != 0 || strings.Contains(visitor.BodyText(), "Club") {
		t.Fatal("the home page shows the members-only forum to a visitor")
	}
	visitor.ClickAndWait(`a.forum-name[href="/f/general"]`)
	if got := visitor.Text(".thread-title a"); got != "Trail report: Ridgeline loop" {
		t.Fatalf("forum list shows %q", got)
	}
	if visitor.Count(`a[href="/f/general/new"]`) != 0 {
		t.Fatal("a visitor is offered the new-thread form")
	}
	visitor.ClickAndWait(`.thread-title a[href="` + public.Path() + `"]`)
	if got := visitor.Text("#p1 .post-body strong"); got != "spikes" {
		t.Fatalf("public thread body: <strong> = %q", got)
	}
	if visitor.Count("#composer") != 0 || visitor.Count(`.reply-section a[href^="/login"]`) != 1 {
		t.Fatal("a visitor should get a log-in link instead of the composer")
	}
	visitor.NoCSPViolations()

	for _, path := range []string{secret.Path(), "/f/club", fmt.Sprintf("/p/%d", secret.PostID)} {
		if st := visitor.VisitStatus(path); st != http.StatusNotFound {
			t.Fatalf("%s: status %d, want 404", path, st)
		}
		if got := visitor.Text(".error-page .error-status"); got != "404" {
			t.Fatalf("%s: error page shows status %q", path, got)
		}
		html := visitor.HTML()
		for _, leak := range []string{"Secret summit", "Members-only meeting", "Club"} {
			if strings.Contains(html, leak) {
				t.Fatalf("%s: the 404 page contains %q", path, leak)
			}
		}
		if visitor.Count(`a.button[href="/"]`) != 1 {
			t.Fatalf("%s: the 404 page has no way back home", path)
		}
		visitor.NoCSPViolations()
	}

	// Mia, a member, does see the club thread.
	member := site.Browser(t, "mia")
	member.LogIn("mia")
	member.Visit(secret.Path())
	member.WaitText("Secret summit meetup plans")
	member.NoCSPViolations()
}

// Story 4: mistakes in forms are explained next to the fields, and what
// was typed is kept.
func TestFormErrorsKeepInput(t *testing.T) {
	site := Start(t)
	newbie := site.Browser(t, "newbie")

	newbie.Visit("/register")
	newbie.Fill("#username", "an")
	newbie.Fill("#email", "an@example.com")
	newbie.Fill("#password", "password123")
	if st := newbie.Submit(`form[action="/register"]`); st != http.StatusUnprocessableEntity {
		t.Fatalf("sign-up with a short name and a common password: status %d, want 422", st)
	}
	if newbie.Attr("#username", "aria-invalid") != "true" || newbie.Attr("#password", "aria-invalid") != "true" {
		t.Fatal("the bad fields are not marked aria-invalid")
	}
	if newbie.Attr("#email", "aria-invalid") != "" {
		t.Fatal("the valid e-mail is marked invalid")
	}
	// The message sits in the field's own wrapper and the field points at it.
	if got := newbie.Text("#username-field .field-error"); !strings.Contains(got, "3") {
		t.Fatalf("username message = %q", got)
	}
	if !strings.Contains(newbie.Attr("#username", "aria-describedby"), "username-error") {
		t.Fatal("the username field is not described by its error")
	}
	if got := newbie.Text("#password-field .field-error"); !strings.Contains(got, "common") {
		t.Fatalf("password message = %q", got)
	}
	if newbie.Value("#username") != "an" || newbie.Value("#email") != "an@example.com" {
		t.Fatalf("typed values lost: username %q, e-mail %q", newbie.Value("#username"), newbie.Value("#email"))
	}
	if newbie.Value("#password") != "" {
		t.Fatal("the password is sent back into the page")
	}
	if newbie.Count(`.error-summary a[href="#username-field"]`) != 1 {
		t.Fatal("the error summary does not link to the username field")
	}
	newbie.NoCSPViolations()

	// Fixing the fields signs the user up.
	newbie.Fill("#username", "newbie")
	newbie.Fill("#email", "newbie@example.com")
	newbie.Fill("#password", Password)
	if st := newbie.Submit(`form[action="/register"]`); st != http.StatusOK {
		t.Fatalf("corrected sign-up: status %d", st)
	}
	newbie.signedInAs("newbie")

	// A 2-character title: the browser's own check (minlength) stops it…
	newbie.Visit("/f/general/new")
	body := "This text must survive the error.\n\nWith a second paragraph."
	newbie.Fill("#title", "Hi")
	newbie.Fill("#body", body)
	if !newbie.Bool(`document.querySelector('#title').validity.tooShort`) {
		t.Fatal("the browser accepts a 2-character title")
	}
	// …and padded with spaces it passes the browser, but the server counts
	// the 2 characters that are left and answers with the form again.
	newbie.Fill("#title", "  Hi  ")
	if st := newbie.Submit(`form[action="/f/general/new"]`); st != http.StatusUnprocessableEntity {
		t.Fatalf("2-character title: status %d, want 422", st)
	}
	if newbie.Attr("#title", "aria-invalid") != "true" {
		t.Fatal("the title is not marked aria-invalid")
	}
	if got := newbie.Text("#title-field .field-error"); !strings.Contains(got, "5 to 120") {
		t.Fatalf("title message = %q", got)
	}
	if got := newbie.Value("#body"); got != body {
		t.Fatalf("the body was not kept: %q", got)
	}
	newbie.NoCSPViolations()

	// Fixing the title starts the thread with the kept body.
	newbie.Fill("#title", "Hi everyone, new here")
	if st := newbie.Submit(`form[action="/f/general/new"]`); st != http.StatusOK {
		t.Fatalf("corrected thread: status %d", st)
	}
	newbie.WaitText("This text must survive the error.")
	newbie.NoCSPViolations()
}

// Story 5: on a phone the pages fit the screen and a reply can be posted.
func TestPhoneReading(t *testing.T) {
	site := Start(t)
	mia := site.Member("mia")
	site.Member("pia")
	long := "Route notes: https://example.com/trails/ridgeline-loop/a-rather-long-path/that/keeps/going/and-going/on-and-on?with=query&and=more-parameters\n\n" +
		"| Day | Distance | Ascent | Notes |\n|---|---|---|---|\n| 1 | 14 km | 900 m | Ridgeline to the hut, windy |\n| 2 | 18 km | 1200 m | Summit push and long descent |\n\n" +
		"```\n$ gpx-split --from ridgeline-trailhead --to upper-hut --format geojson --output day1.geojson\n```\n\n" +
		"Averyveryveryverylongwordwithoutanyspacesthatcouldbreakthelayoutofthepageonphones."
	th := site.StartThread(mia, "general", "Ridgeline loop in two days: a long report with many details", long)

	pia := site.Browser(t, "pia")
	pia.Phone()
	pia.LogIn("pia")
	if got := pia.Int(`window.innerWidth`); got != 390 {
		t.Fatalf("phone viewport is %d px wide, want 390", got)
	}
	pia.Visit("/")
	pia.NoHorizontalScroll()
	pia.ClickAndWait(`a.forum-name[href="/f/general"]`)
	pia.NoHorizontalScroll()
	pia.ClickAndWait(`.thread-title a[href="` + th.Path() + `"]`)
	pia.NoHorizontalScroll()
	if pia.Count("#p1 .post-body table") != 1 {
		t.Fatal("the table is missing")
	}
	pia.NoCSPViolations()

	// The composer fits the screen and posting works at this size.
	var box struct{ Left, Right, Width float64 }
	pia.Eval(`(() => { const r = document.querySelector('#composer').getBoundingClientRect(); return {left: r.left, right: r.right, width: r.width}; })()`, &box)
	if box.Left < 0 || box.Right > 390 || box.Width < 250 {
		t.Fatalf("composer box %+v does not fit a 390 px screen", box)
	}
	pia.Fill("#composer", "Thanks! Did the **hut** take reservations?")
	if st := pia.Submit("#reply"); st != http.StatusOK {
		t.Fatalf("reply on a phone: status %d", st)
	}
	pia.WaitFor(`document.querySelector('#p2 .post-body strong')`, "the reply")
	if got := pia.Text("#p2 .post-body strong"); got != "hut" {
		t.Fatalf("reply <strong> = %q", got)
	}
	pia.NoHorizontalScroll()

	// The new-thread form too.
	pia.Visit("/f/general/new")
	pia.NoHorizontalScroll()
	pia.NoCSPViolations()
}
