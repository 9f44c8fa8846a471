package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"parley/app/apptest"
	"parley/app/auth"
)

const guidelinesV1 = `Welcome to Fernwood.

## Be kind
No insults.

## Stay on topic
Keep threads about their subject.
`

const guidelinesV2 = `Welcome to Fernwood.

## Be kind
No insults, no pile-ons.

## Stay on topic
Keep threads about their subject.

## No spam
No ads.
`

// publish puts a version through the API as c and returns its number.
func publish(t *testing.T, c *apptest.Client, body, summary string) int {
	t.Helper()
	var out struct{ Version int }
	c.Must(http.StatusOK, "PUT", "/api/v1/guidelines", map[string]any{"body": body, "summary": summary}).JSON(t, &out)
	return out.Version
}

func TestGuidelinesPagesAndAPI(t *testing.T) {
	a := apptest.New(t)
	anon := a.Client()
	// Nothing published yet.
	if body := page(t, anon, "/guidelines", http.StatusOK); !strings.Contains(body, "No community guidelines have been published yet.") {
		t.Fatal("empty guidelines page")
	}
	anon.Must(http.StatusNotFound, "GET", "/api/v1/guidelines", nil)
	var list struct{ Versions []any }
	anon.Must(http.StatusOK, "GET", "/api/v1/guidelines/versions", nil).JSON(t, &list)
	if list.Versions == nil || len(list.Versions) != 0 {
		t.Fatalf("versions %v", list.Versions)
	}

	carla := a.User("carla", auth.RoleManager)
	if v := publish(t, carla, guidelinesV1, "First version"); v != 1 {
		t.Fatalf("first version is %d", v)
	}
	if v := publish(t, carla, guidelinesV2, "No spam"); v != 2 {
		t.Fatalf("second version is %d", v)
	}

	// The page: version, date, contents, numbered sections with anchors.
	body := page(t, anon, "/guidelines", http.StatusOK)
	mustHave(t, "/guidelines", body,
		"Version 2, published <time", time.Now().UTC().Format("January 2, 2006"), `<a href="/u/carla">carla</a>`,
		`<li><a href="#section-3">No spam</a></li>`,
		`<section class="guidelines-section" id="section-3"`, `<a class="section-number" href="#section-3">3.</a> No spam</h2>`,
		`href="/guidelines/diff?from=1&amp;to=2"`, `<a href="/guidelines">Community guidelines</a>`)
	if strings.Contains(body, "/admin/guidelines") {
		t.Error("visitors are offered the edit link")
	}
	if !strings.Contains(page(t, carla, "/guidelines", http.StatusOK), `href="/admin/guidelines"`) {
		t.Error("the manager is not offered the edit link")
	}
	old := page(t, anon, "/guidelines?version=1", http.StatusOK)
	mustHave(t, "version 1", old, "This is version 1, an earlier version", "Read the current version (2)")
	if strings.Contains(old, "No spam") {
		t.Error("version 1 shows a section of version 2")
	}

	// History and diff.
	hist := page(t, anon, "/guidelines/history", http.StatusOK)
	mustHave(t, "history", hist, `<a href="/guidelines?version=2">2</a>`, `<a href="/guidelines?version=1">1</a>`, "No spam", "First version")
	diff := page(t, anon, "/guidelines/diff?from=1&to=2", http.StatusOK)
	mustHave(t, "diff", diff, `<del class="diff-del">− No insults.</del>`, `<ins class="diff-add">+ No insults, no pile-ons.</ins>`,
		`<ins class="diff-add">+ ## No spam</ins>`, "4 lines added", "1 line removed")
	if def := page(t, anon, "/guidelines/diff", http.StatusOK); !strings.Contains(def, "Changes from version 1 to version 2") {
		t.Error("the diff page without versions does not compare the last two")
	}
	for q, st := range map[string]int{"?from=x&to=2": 400, "?from=1&to=9": 404, "?from=2&to=2": 400, "?from=-1&to=2": 400, "?from=99999999999&to=1": 400} {
		anon.Must(st, "GET", "/guidelines/diff"+q, nil)
	}
	anon.Must(http.StatusNotFound, "GET", "/guidelines?version=3", nil)
	anon.Must(http.StatusBadRequest, "GET", "/guidelines?version=two", nil)

	// The API: current, one version, the list, a diff.
	var cur struct {
		Version  int
		Current  bool
		HTML     string
		Markdown *string
		Sections []struct {
			Number        int
			Title, Anchor string
		}
	}
	anon.Must(http.StatusOK, "GET", "/api/v1/guidelines", nil).JSON(t, &cur)
	if cur.Version != 2 || !cur.Current || len(cur.Sections) != 3 || cur.Sections[2].Title != "No spam" || cur.Sections[2].Anchor != "section-3" ||
		!strings.Contains(cur.HTML, `id="section-3"`) || cur.Markdown != nil {
		t.Fatalf("current for a visitor: %+v", cur)
	}
	mod := a.User("moe", auth.RoleModerator)
	cur.Markdown = nil
	mod.Must(http.StatusOK, "GET", "/api/v1/guidelines", nil).JSON(t, &cur)
	if cur.Markdown == nil || !strings.Contains(*cur.Markdown, "## No spam") {
		t.Fatal("staff do not get the markdown")
	}
	anon.Must(http.StatusOK, "GET", "/api/v1/guidelines/versions/1", nil).JSON(t, &cur)
	if cur.Version != 1 || cur.Current || len(cur.Sections) != 2 {
		t.Fatalf("version 1: %+v", cur)
	}
	for _, p := range []string{"/api/v1/guidelines/versions/3", "/api/v1/guidelines/versions/x", "/api/v1/guidelines/versions/0"} {
		anon.Must(http.StatusNotFound, "GET", p, nil)
	}
	anon.Must(http.StatusOK, "GET", "/api/v1/guidelines/versions", nil).JSON(t, &list)
	if len(list.Versions) != 2 {
		t.Fatalf("versions %v", list.Versions)
	}
	var d struct {
		From, To       struct{ Version int }
		Added, Removed int
		Hunks          []struct {
			Lines []struct {
				Op   string
				Text string
			}
		}
	}
	anon.Must(http.StatusOK, "GET", "/api/v1/guidelines/diff?from=1&to=2", nil).JSON(t, &d)
	if d.From.Version != 1 || d.To.Version != 2 || d.Added != 4 || d.Removed != 1 || len(d.Hunks) == 0 {
		t.Fatalf("diff %+v", d)
	}
	found := false
	for _, h := range d.Hunks {
		for _, l := range h.Lines {
			found = found || (l.Op == "add" && l.Text == "## No spam")
		}
	}
	if !found {
		t.Fatalf("the diff lacks the added heading: %+v", d.Hunks)
	}
	anon.Must(http.StatusBadRequest, "GET", "/api/v1/guidelines/diff?from=1", nil)
}

func mustHave(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s: missing %q", what, w)
		}
	}
}

func TestGuidelinesEditPermissions(t *testing.T) {
	a := apptest.New(t)
	anon := a.Client()
	member := a.Client().Register("anna")
	mod := a.User("moe", auth.RoleModerator)
	body := map[string]any{"body": guidelinesV1, "summary": "x"}
	anon.Must(http.StatusUnauthorized, "PUT", "/api/v1/guidelines", body)
	member.Must(http.StatusForbidden, "PUT", "/api/v1/guidelines", body)
	mod.Must(http.StatusForbidden, "PUT", "/api/v1/guidelines", body)
	member.Must(http.StatusForbidden, "GET", "/admin/guidelines", nil)
	mod.Must(http.StatusForbidden, "GET", "/admin/guidelines", nil)
	if r := member.Form("/admin/guidelines", url.Values{"body": {guidelinesV1}, "summary": {"x"}}); r.Status != http.StatusForbidden {
		t.Fatalf("member form: %d", r.Status)
	}
	if r := anon.Do("GET", "/admin/guidelines", nil); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Fatalf("anonymous: %d %s", r.Status, r.Header.Get("Location"))
	}
	anon.Must(http.StatusNotFound, "GET", "/api/v1/guidelines", nil) // nothing was written
	a.User("boss", auth.RoleAdmin).Must(http.StatusOK, "PUT", "/api/v1/guidelines", body)
	anon.Must(http.StatusOK, "GET", "/api/v1/guidelines", nil)
}

func TestGuidelinesEditForm(t *testing.T) {
	a := apptest.New(t)
	carla := a.User("carla", auth.RoleManager)
	form := page(t, carla, "/admin/guidelines", http.StatusOK)
	mustHave(t, "empty form", form, `enctype="multipart/form-data"`, `name="body"`, `name="summary"`, "Publish the guidelines")
	r := carla.Form("/admin/guidelines", url.Values{"body": {guidelinesV1}, "summary": {"First version"}})
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/guidelines?flash=Version+1+published." {
		t.Fatalf("publish: %d %s", r.Status, r.Header.Get("Location"))
	}
	form = page(t, carla, "/admin/guidelines", http.StatusOK)
	mustHave(t, "form with version 1", form, `<input type="hidden" name="base_version" value="1">`, "Welcome to Fernwood.", "Publish version 2")

	// Bad input: the page again with the text kept, nothing written.
	r = carla.Form("/admin/guidelines", url.Values{"body": {"Just be nice <b>please</b>."}, "summary": {""}, "base_version": {"1"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad form: %d", r.Status)
	}
	mustHave(t, "bad form", string(r.Body), "no sections", "say in a few words what changed", "Just be nice &lt;b&gt;please&lt;/b&gt;.", `aria-invalid="true"`)

	// Someone else published meanwhile: 409, the text kept, the base moved on.
	publish(t, a.User("boss", auth.RoleAdmin), guidelinesV2, "No spam")
	r = carla.Form("/admin/guidelines", url.Values{"body": {guidelinesV1 + "\n## Extra\ntext"}, "summary": {"Extra"}, "base_version": {"1"}})
	if r.Status != http.StatusConflict {
		t.Fatalf("stale form: %d", r.Status)
	}
	mustHave(t, "stale form", string(r.Body), "version 2 was published while you were editing version 1", `name="base_version" value="2"`, "## Extra")
	r = carla.Form("/admin/guidelines", url.Values{"body": {guidelinesV2 + "\n## Extra\ntext"}, "summary": {"Extra"}, "base_version": {"2"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("publish after the conflict: %d", r.Status)
	}
	var n int
	a.Store.R.Raw("SELECT COUNT(*) FROM guidelines_versions").Scan(&n)
	if n != 3 {
		t.Fatalf("%d versions", n)
	}
}

// Bad input is a clear 4xx, never a 500, and writes nothing.
func TestGuidelinesBadInput(t *testing.T) {
	a := apptest.New(t)
	carla := a.User("carla", auth.RoleManager)
	publish(t, carla, guidelinesV1, "First")
	cases := []struct {
		body any
		want int
	}{
		{`{"body": "", "summary": "x"}`, 422},
		{`{"body": "no sections here", "summary": "x"}`, 422},
		{map[string]any{"body": "## A\n" + strings.Repeat("all work and no play ", 5300), "summary": "x"}, 422}, // ~110 KB
		{map[string]any{"body": "## A\n" + strings.Repeat("x", 300<<10), "summary": "x"}, 413},
		{`{"body": 5, "summary": "x"}`, 422},
		{`{"body": "## A\ntext"`, 400},
		{`[]`, 400},
		{``, 400},
		{`{"body": "## A\ntext", "summary": "x", "base_version": "one"}`, 422},
		{`{"body": "## A\n\u0000\u0000", "summary": "x\u0000"}`, 200}, // NULs dropped; still a valid document
		{`{"body": "##\ntext", "summary": "x"}`, 422},
	}
	for i, c := range cases {
		r := carla.Do("PUT", "/api/v1/guidelines", c.body)
		if r.Status != c.want {
			t.Errorf("case %d: %d, want %d: %.200s", i, r.Status, c.want, r.Body)
		}
		if r.Status == 422 && !strings.Contains(r.Header.Get("Content-Type"), "application/problem+json") {
			t.Errorf("case %d: content type %s", i, r.Header.Get("Content-Type"))
		}
	}
	var n int
	a.Store.R.Raw("SELECT COUNT(*) FROM guidelines_versions").Scan(&n)
	if n != 2 {
		t.Fatalf("%d versions after the bad input (one good case)", n)
	}
}

func TestSignUpAcceptsGuidelines(t *testing.T) {
	a := apptest.New(t)
	// Without guidelines the sign-up is as before.
	a.Client().Register("early")
	if body := page(t, a.Client(), "/register", http.StatusOK); strings.Contains(body, "accept_guidelines") {
		t.Fatal("a checkbox without guidelines")
	}
	carla := a.User("carla", auth.RoleManager)
	publish(t, carla, guidelinesV1, "First")

	// The API: the current version or a 422 that names it.
	reg := func(name string, accept any) *apptest.Response {
		m := map[string]any{"username": name, "email": name + "@example.com", "password": apptest.Password}
		if accept != nil {
			m["accept_guidelines"] = accept
		}
		return a.Client().Do("POST", "/api/v1/users", m)
	}
	for _, acc := range []any{nil, 0, 2, "1"} {
		r := reg("ben", acc)
		if r.Status != http.StatusUnprocessableEntity || (acc != "1" && !strings.Contains(string(r.Body), "version 1")) {
			t.Errorf("accept %v: %d %s", acc, r.Status, r.Body)
		}
	}
	if r := reg("ben", 1); r.Status != http.StatusCreated {
		t.Fatalf("accepting version 1: %d %s", r.Status, r.Body)
	}
	accepted := func(name string) (v *int, at *time.Time) {
		t.Helper()
		u, err := a.Auth.UserByName(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		return u.GuidelinesVersion, u.GuidelinesAcceptedAt
	}
	if v, at := accepted("ben"); v == nil || *v != 1 || at == nil || time.Since(*at) > time.Minute {
		t.Fatalf("ben accepted %v at %v", v, at)
	}
	if v, _ := accepted("early"); v != nil {
		t.Fatalf("early accepted %v", *v)
	}

	// A new version: sign-ups must accept it; existing members go on.
	publish(t, carla, guidelinesV2, "No spam")
	if r := reg("cleo", 1); r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), "version 2") {
		t.Fatalf("stale acceptance: %d %s", r.Status, r.Body)
	}
	if r := reg("cleo", 2); r.Status != http.StatusCreated {
		t.Fatalf("accepting version 2: %d", r.Status)
	}
	a.Client().Login("ben").Must(http.StatusOK, "GET", "/api/v1/session", nil)

	// The form: a link, the text in place, a required box.
	c := a.Client()
	body := page(t, c, "/register", http.StatusOK)
	mustHave(t, "register", body, `<a href="/guidelines" target="_blank" rel="noopener">`,
		`<input type="checkbox" id="accept_guidelines" name="accept_guidelines" value="2" required>`,
		"I have read and accept the community guidelines (version 2)", `id="section-3"`)
	tok := formToken(t, body)
	form := url.Values{"_csrf": {tok}, "username": {"dora"}, "email": {"dora@example.com"}, "password": {apptest.Password}}
	r := c.Do("POST", "/register", form)
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("no box ticked: %d", r.Status)
	}
	mustHave(t, "register without the box", string(r.Body), `id="accept_guidelines-error"`, "version 2", `value="dora"`)
	if strings.Contains(string(r.Body), "required checked") {
		t.Error("the box shows ticked")
	}
	form.Set("accept_guidelines", "2")
	if r := c.Do("POST", "/register", form); r.Status != http.StatusSeeOther {
		t.Fatalf("box ticked: %d %s", r.Status, r.Body)
	}
	if v, _ := accepted("dora"); v == nil || *v != 2 {
		t.Fatalf("dora accepted %v", v)
	}
}
