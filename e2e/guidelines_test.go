package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"parley/app/auth"
)

const guidelinesFirst = `Welcome to the trail community.

## Be kind
No insults.

## Stay on topic
Keep threads about their subject.
`

const guidelinesSecond = `Welcome to the trail community.

## Be kind
No insults, no pile-ons.

## Stay on topic
Keep threads about their subject.

## No spam
No ads or affiliate links.
`

// Story: a community manager writes the guidelines and revises them; the
// history shows both versions and the diff what changed. A newcomer must
// tick the box to sign up, and the version they accepted is stored.
func TestGuidelinesEditHistoryDiffAndSignUp(t *testing.T) {
	site := Start(t)
	site.User("carla", auth.RoleManager)

	carla := site.Browser(t, "carla")
	carla.LogIn("carla")
	publish := func(body, summary string, version string) {
		t.Helper()
		carla.Visit("/admin/guidelines")
		carla.Fill("#body", body)
		carla.Fill("#summary", summary)
		if st := carla.Submit(`form[action="/admin/guidelines"]`); st != http.StatusOK {
			t.Fatalf("publish %s: status %d: %s", version, st, carla.Text(".error-summary"))
		}
		if carla.Path() != "/guidelines?flash=Version+"+version+"+published." {
			t.Fatalf("after publishing the browser is on %s", carla.Path())
		}
		carla.WaitText("Version " + version + " published.")
	}
	publish(guidelinesFirst, "First version", "1")
	if got := carla.Text(".guidelines-meta"); !strings.HasPrefix(got, "Version 1, published") {
		t.Fatalf("meta line %q", got)
	}
	// The editor shows the current text, ready for the next version.
	carla.Visit("/admin/guidelines")
	if got := carla.Value("#body"); got != strings.TrimSpace(guidelinesFirst) {
		t.Fatalf("the editor holds %q", got)
	}
	publish(guidelinesSecond, "Added a section on spam", "2")

	// The guidelines: numbered sections with anchors and a table of contents.
	if got := carla.Str(`[...document.querySelectorAll('.guidelines-toc li a')].map(a => a.textContent + '=' + a.getAttribute('href')).join('|')`); got != "Be kind=#section-1|Stay on topic=#section-2|No spam=#section-3" {
		t.Fatalf("contents %q", got)
	}
	if got := carla.Text("#section-3 h2"); got != "3. No spam" {
		t.Fatalf("section 3 heading %q", got)
	}
	carla.NoCSPViolations()

	// History: two versions, newest first, with editor and summary.
	carla.ClickAndWait(`a[href="/guidelines/history"]`)
	if n := carla.Count(".guidelines-history tbody tr"); n != 2 {
		t.Fatalf("history shows %d versions", n)
	}
	if got := carla.Text(".guidelines-history tbody tr:first-child"); !strings.Contains(got, "Added a section on spam") || !strings.Contains(got, "carla") {
		t.Fatalf("newest history row %q", got)
	}
	// The diff: what changed, line by line.
	carla.ClickAndWait(`a[href="/guidelines/diff?from=1&to=2"]`)
	if got := carla.Str(`[...document.querySelectorAll('ins.diff-add')].map(e => e.textContent).join('|')`); !strings.Contains(got, "+ No insults, no pile-ons.") || !strings.Contains(got, "+ ## No spam") {
		t.Fatalf("added lines %q", got)
	}
	if got := carla.Str(`[...document.querySelectorAll('del.diff-del')].map(e => e.textContent).join('|')`); got != "− No insults." {
		t.Fatalf("removed lines %q", got)
	}
	carla.NoCSPViolations()

	// A newcomer signs up: the box is required, in the browser and on the server.
	dora := site.Browser(t, "dora")
	dora.Visit("/register")
	if got := dora.Text(`label[for="accept_guidelines"]`); got != "I have read and accept the community guidelines (version 2)" {
		t.Fatalf("checkbox label %q", got)
	}
	if got := dora.Attr(`a[href="/guidelines"][target="_blank"]`, "rel"); got != "noopener" {
		t.Fatalf("the link to the guidelines: rel %q", got)
	}
	// The guidelines open in place, too.
	dora.Click("details.guidelines-inline summary")
	dora.WaitFor(`document.querySelector('details.guidelines-inline').open`, "the guidelines to open in place")
	if got := dora.Text("details.guidelines-inline #section-3 h2"); got != "3. No spam" {
		t.Fatalf("in-place guidelines show %q", got)
	}
	dora.Fill("#username", "dora")
	dora.Fill("#email", "dora@example.com")
	dora.Fill("#password", Password)
	if !dora.Bool(`document.querySelector('#accept_guidelines').validity.valueMissing && !document.querySelector('form[action="/register"]').checkValidity()`) {
		t.Fatal("the browser would send the form without the box ticked")
	}
	// Past the browser's check (as a script could be), the server refuses too.
	dora.Eval(`document.querySelector('#accept_guidelines').removeAttribute('required')`, nil)
	if st := dora.Submit(`form[action="/register"]`); st != http.StatusUnprocessableEntity {
		t.Fatalf("sign-up without the box: status %d", st)
	}
	if got := dora.Text("#accept_guidelines-error"); !strings.Contains(got, "version 2") {
		t.Fatalf("the error beside the box says %q", got)
	}
	if got := dora.Value("#username"); got != "dora" {
		t.Fatalf("the form lost the username: %q", got)
	}
	dora.Fill("#password", Password)
	dora.Click("#accept_guidelines")
	if st := dora.Submit(`form[action="/register"]`); st != http.StatusOK {
		t.Fatalf("sign-up: status %d: %s", st, dora.Text(".error-summary"))
	}
	dora.signedInAs("dora")
	dora.NoCSPViolations()

	u, err := site.Auth.UserByName(context.Background(), "dora")
	if err != nil {
		t.Fatal(err)
	}
	if u.GuidelinesVersion == nil || *u.GuidelinesVersion != 2 || u.GuidelinesAcceptedAt == nil {
		t.Fatalf("dora's accepted version: %v at %v", u.GuidelinesVersion, u.GuidelinesAcceptedAt)
	}
	// The footer links every page to the guidelines.
	if dora.Count(`footer a[href="/guidelines"]`) != 1 {
		t.Fatal("no footer link to the guidelines")
	}
}
