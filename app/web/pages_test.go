package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"parley/app/apptest"
	"parley/app/auth"
)

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// page fetches a page and returns its body, checking the security headers
// every HTML page must carry.
func page(t *testing.T, c *apptest.Client, path string, status int) string {
	t.Helper()
	r := c.Must(status, "GET", path, nil)
	csp := r.Header.Get("Content-Security-Policy")
	m := regexp.MustCompile(`script-src 'nonce-([0-9a-f]+)'`).FindStringSubmatch(csp)
	if m == nil || !strings.Contains(csp, "object-src 'none'") || !strings.Contains(csp, "base-uri 'none'") || !strings.Contains(csp, "frame-ancestors 'self'") {
		t.Fatalf("%s: CSP %q", path, csp)
	}
	if r.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("%s: no nosniff", path)
	}
	body := string(r.Body)
	if !strings.Contains(body, `nonce="`+m[1]+`"`) {
		t.Fatalf("%s: the page's script does not carry the CSP nonce", path)
	}
	return body
}

// formToken reads the CSRF token a page's forms carry (anonymous visitors
// get a cookie-bound one).
func formToken(t *testing.T, body string) string {
	t.Helper()
	m := csrfInput.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no _csrf input on the page")
	}
	return m[1]
}

func TestBrowserFlowWithoutJavaScript(t *testing.T) {
	w := newWorld(t)
	c := w.a.Client()
	// Sign up through the form, with a mistake first.
	body := page(t, c, "/register", http.StatusOK)
	tok := formToken(t, body)
	r := c.Do("POST", "/register", url.Values{"_csrf": {tok}, "username": {"an"}, "email": {"bad"}, "password": {"password123"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), `aria-invalid="true"`) || !strings.Contains(string(r.Body), `value="an"`) {
		t.Fatalf("register errors: %d %s", r.Status, r.Body)
	}
	r = c.Do("POST", "/register", url.Values{"_csrf": {tok}, "username": {"Fern_Fan"}, "email": {"fan@example.com"}, "password": {apptest.Password}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("register: %d %s", r.Status, r.Body)
	}
	home := page(t, c, "/", http.StatusOK)
	if !strings.Contains(home, "Fern_Fan") || !strings.Contains(home, "/f/club") {
		t.Fatal("signed-in home misses the user or the members forum")
	}
	tok = formToken(t, home)
	// Start a thread: an error keeps what was typed.
	r = c.Do("POST", "/f/general/new", url.Values{"_csrf": {tok}, "title": {"Hi"}, "body": {"kept text"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), "kept text") {
		t.Fatalf("new thread error: %d", r.Status)
	}
	r = c.Do("POST", "/f/general/new", url.Values{"_csrf": {tok}, "title": {"Stove <script>alert(1)</script> question"}, "body": {"Does the **Emberline** work below freezing?"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("new thread: %d %s", r.Status, r.Body)
	}
	threadPath := r.Header.Get("Location")
	body = page(t, c, threadPath, http.StatusOK)
	if strings.Contains(body, "<script>alert(1)") || !strings.Contains(body, "&lt;script&gt;") || !strings.Contains(body, "<strong>Emberline</strong>") {
		t.Fatal("thread page escapes or renders wrongly")
	}
	// A second member quotes (no JavaScript: the composer is prefilled) and reacts.
	d := w.a.Client().Register("dora")
	id := strings.TrimPrefix(threadPath, "/t/")
	var tp struct {
		Posts []postOut `json:"posts"`
	}
	d.Must(http.StatusOK, "GET", "/api/v1/threads/"+id, nil).JSON(t, &tp)
	body = page(t, d, fmt.Sprintf("%s?quote=%d", threadPath, tp.Posts[0].ID), http.StatusOK)
	if !strings.Contains(body, "&gt; **@Fern_Fan** [wrote](/p/") {
		t.Fatalf("composer not prefilled with the quote")
	}
	dtok := formToken(t, body)
	r = d.Do("POST", threadPath+"/reply", url.Values{"_csrf": {dtok}, "body": {"> **@Fern_Fan** wrote:\n> below freezing?\n\nYes, with the winter canister. @Fern_Fan"}})
	if r.Status != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), "#p2") {
		t.Fatalf("reply: %d %s", r.Status, r.Header.Get("Location"))
	}
	r = d.Do("POST", fmt.Sprintf("/p/%d/react", tp.Posts[0].ID), url.Values{"_csrf": {dtok}, "kind": {"thanks"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("react: %d", r.Status)
	}
	body = page(t, c, threadPath, http.StatusOK)
	if !strings.Contains(body, `href="/u/Fern_Fan"`) || !strings.Contains(body, "<blockquote>") {
		t.Fatal("reply with quote and mention not rendered")
	}
	// Edit through the form; "edited" shows and history lists the old text.
	d.Must(http.StatusOK, "GET", "/api/v1/threads/"+id, nil).JSON(t, &tp)
	r = d.Do("POST", fmt.Sprintf("/p/%d/edit", tp.Posts[1].ID), url.Values{"_csrf": {dtok}, "body": {"Yes — use the winter canister."}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("edit: %d %s", r.Status, r.Body)
	}
	body = page(t, c, threadPath, http.StatusOK)
	if !strings.Contains(body, fmt.Sprintf("/p/%d/history", tp.Posts[1].ID)) {
		t.Fatal(`no "edited" link after an edit`)
	}
	hist := page(t, d, fmt.Sprintf("/p/%d/history", tp.Posts[1].ID), http.StatusOK)
	if !strings.Contains(hist, "Yes, with the winter canister.") {
		t.Fatal("history misses the old text")
	}
	// Someone else's edit form is refused; delete through the form works.
	c.Must(http.StatusForbidden, "GET", fmt.Sprintf("/p/%d/edit", tp.Posts[1].ID), nil)
	r = d.Do("POST", fmt.Sprintf("/p/%d/delete", tp.Posts[1].ID), url.Values{"_csrf": {dtok}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("delete: %d", r.Status)
	}
	body = page(t, c, threadPath, http.StatusOK)
	if strings.Contains(body, "winter canister") {
		t.Fatal("a deleted post's text is still shown")
	}
	// Log out through the form.
	r = c.Do("POST", "/logout", url.Values{"_csrf": {formToken(t, body)}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("logout: %d", r.Status)
	}
	if strings.Contains(page(t, c, "/", http.StatusOK), "Fern_Fan") {
		t.Fatal("still signed in after logout")
	}
}

func TestVisitorSeesPublicButNot404sPrivate(t *testing.T) {
	w := newWorld(t)
	m := w.a.Client().Register("mia")
	club := w.thread(m, "club", "Members meetup", "Members only")
	anon := w.a.Client()
	home := page(t, anon, "/", http.StatusOK)
	if !strings.Contains(home, "/f/general") || strings.Contains(home, "/f/club") || !strings.Contains(home, "Log in") {
		t.Fatal("anonymous home shows the wrong forums")
	}
	for _, p := range []string{"/f/club", fmt.Sprintf("/t/%d", club.Thread.ID), fmt.Sprintf("/p/%d", club.Post.ID), "/f/does-not-exist"} {
		body := page(t, anon, p, http.StatusNotFound)
		if strings.Contains(body, "Members only") {
			t.Fatalf("%s leaks", p)
		}
	}
	// Pages that need an account send visitors to the sign-in form.
	r := anon.Do("GET", "/f/general/new", nil)
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/login?next=%2Ff%2Fgeneral%2Fnew" {
		t.Fatalf("new thread page for a visitor: %d %s", r.Status, r.Header.Get("Location"))
	}
	// Sign in with the form goes back to where the visitor was.
	tok := formToken(t, page(t, anon, "/login?next=%2Ff%2Fgeneral%2Fnew", http.StatusOK))
	r = anon.Do("POST", "/login", url.Values{"_csrf": {tok}, "login": {"mia"}, "password": {"wrong-password!"}, "next": {"/f/general/new"}})
	if r.Status != http.StatusUnauthorized || !strings.Contains(string(r.Body), "wrong") {
		t.Fatalf("bad login: %d", r.Status)
	}
	r = anon.Do("POST", "/login", url.Values{"_csrf": {tok}, "login": {"mia"}, "password": {apptest.Password}, "next": {"https://evil.example/"}})
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/" {
		t.Fatalf("login with a foreign next: %d %q", r.Status, r.Header.Get("Location"))
	}
}

func TestAdminSettingsAndForums(t *testing.T) {
	w := newWorld(t)
	member := w.a.Client().Register("mia")
	member.Must(http.StatusForbidden, "GET", "/admin/settings", nil)
	body := page(t, w.admin, "/admin/settings", http.StatusOK)
	tok := formToken(t, body)
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")
	post := func(color string, logo []byte) *http.Response {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, v := range map[string]string{"_csrf": tok, "name": "Fernwood Fans", "tagline": "Outdoors together", "color": color} {
			_ = mw.WriteField(k, v)
		}
		fw, _ := mw.CreateFormFile("logo", "logo.svg")
		_, _ = fw.Write(logo)
		mw.Close()
		req, _ := http.NewRequest("POST", w.a.URL+"/admin/settings", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Origin", w.a.URL)
		resp, err := w.admin.HTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := post("#123456", []byte("<svg onload=alert(1)>")); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("an SVG logo was accepted: %d", resp.StatusCode)
	}
	if resp := post("red;}</style><script>", png); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a bad colour was accepted: %d", resp.StatusCode)
	}
	if resp := post("#AA3300", png); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("settings: %d", resp.StatusCode)
	}
	var st struct{ Name, Color, Logo string }
	member.Must(http.StatusOK, "GET", "/api/v1/site", nil).JSON(t, &st)
	if st.Name != "Fernwood Fans" || st.Color != "#aa3300" || st.Logo == "" {
		t.Fatalf("site %+v", st)
	}
	home := page(t, member, "/", http.StatusOK)
	if !strings.Contains(home, "Fernwood Fans") || !strings.Contains(home, "#aa3300") || !strings.Contains(home, "/uploads/"+st.Logo) {
		t.Fatal("home does not show the brand")
	}
	r := member.Must(http.StatusOK, "GET", "/uploads/"+st.Logo, nil)
	if r.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("logo served as %q", r.Header.Get("Content-Type"))
	}
	// Forums: create through the admin form, then a PATCH keeps what it omits.
	tok = formToken(t, page(t, w.admin, "/admin/forums", http.StatusOK))
	r = w.admin.Do("POST", "/admin/forums", url.Values{"_csrf": {tok}, "name": {"Trip Reports"}, "slug": {"trip-reports"}, "visibility": {"members"}, "description": {"Where you went"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("create forum: %d %s", r.Status, r.Body)
	}
	var f struct{ Name, Description, Visibility string }
	w.admin.Must(http.StatusOK, "PATCH", "/api/v1/forums/trip-reports", map[string]string{"visibility": "public"}).JSON(t, &f)
	if f.Name != "Trip Reports" || f.Description != "Where you went" || f.Visibility != "public" {
		t.Fatalf("patched forum %+v", f)
	}
	w.a.Client().Must(http.StatusOK, "GET", "/f/trip-reports", nil)
	_ = auth.RoleAdmin
}
