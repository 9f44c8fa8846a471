// Package e2e drives Parley in a real browser (headless Chromium through the
// DevTools protocol) against a whole app built by apptest: real database,
// real HTTP server, real templates, CSP and JavaScript.
//
// A test reads like a user story:
//
//	site := e2e.Start(t)             // app + admin + forums "general" and "club"
//	anna := site.Browser(t, "anna")  // a browser session with its own cookies
//	anna.SignUp("anna")
//	anna.Visit("/f/general/new")
//	anna.Fill("#title", "Stove question")
//	anna.Submit("form.form")
//	anna.WaitText("Stove question")
//
// Every page a browser shows is watched: violations of the Content Security
// Policy, uncaught JavaScript exceptions, dialogs (alert, confirm, …) and
// navigations to javascript: URLs fail the test. When a test fails, a
// full-page screenshot and the HTML of every open browser are saved under
// $PARLEY_E2E_ARTIFACTS or <repo>/e2e-artifacts/<TestName>/.
//
// Without Chromium the tests skip, or fail when $CI is set. The browser is
// $PARLEY_CHROMIUM when set, else /usr/bin/chromium or the first of
// chromium, chromium-browser, google-chrome found on $PATH. All tests of the
// package share one browser process; every Browser is a tab in a browser
// context of its own (own cookies and storage). Pages are shown with
// prefers-reduced-motion: reduce.
package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/device"

	"parley/app/apptest"
	"parley/app/auth"
)

// Password is the password of every account the helpers make.
const Password = apptest.Password

// Timeouts are generous: the machine is shared and slow at times. No test
// asserts on how long anything takes.
const (
	actionTimeout = 30 * time.Second // one browser action (a click, a page load)
	waitTimeout   = 10 * time.Second // WaitText and WaitFor
)

// watchScript runs in every document before any page script. It records
// CSP violations, the failure this suite exists to catch.
const watchScript = `(() => {
  window.__cspViolations = window.__cspViolations || [];
  document.addEventListener('securitypolicyviolation', e => {
    window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + (e.sample ? ' sample=' + e.sample : ''));
  });
})();`

// canaryScript replaces the dialog functions that XSS vectors call with
// counters (a real dialog would block the page).
const canaryScript = `(() => {
  window.__xss = 0;
  ['alert', 'confirm', 'prompt', 'print'].forEach(f => { window[f] = () => { window.__xss++; }; });
})();`

// chromiumPath finds the browser, or skips (fails on CI) the test.
func chromiumPath(t testing.TB) string {
	t.Helper()
	// $PARLEY_CHROMIUM, when set, is the only candidate.
	candidates := []string{os.Getenv("PARLEY_CHROMIUM")}
	if candidates[0] == "" {
		candidates = []string{"/usr/bin/chromium"}
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
			if p, err := exec.LookPath(name); err == nil {
				candidates = append(candidates, p)
			}
		}
	}
	for _, p := range candidates {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium not found (CI is set, so the browser tests must run): apt-get install chromium, or set PARLEY_CHROMIUM")
	}
	t.Skip("chromium not found: apt-get install chromium")
	return ""
}

// Site is a running Parley with an admin, a public forum "general" and a
// members-only forum "club".
type Site struct {
	*apptest.App
	t          *testing.T
	Admin      *apptest.Client // signed in as AdminName (cookie session)
	AdminToken string          // the admin's API token (staff are not throttled)

	mu       sync.Mutex
	watching bool // finish is registered
	browsers []*Browser
}

// AdminName is the username of the site's admin.
const AdminName = "site_admin"

// Start builds the app and its two forums. It skips the test when there is
// no Chromium (see the package doc).
func Start(t *testing.T, opts ...apptest.Option) *Site {
	t.Helper()
	chromiumPath(t) // skip before building anything
	a := apptest.New(t, opts...)
	s := &Site{App: a, t: t, Admin: a.User(AdminName, auth.RoleAdmin)}
	s.Admin.Must(http.StatusCreated, "POST", "/api/v1/forums", map[string]any{"name": "General", "slug": "general", "description": "Talk about anything", "visibility": "public"})
	s.Admin.Must(http.StatusCreated, "POST", "/api/v1/forums", map[string]any{"name": "Club", "slug": "club", "description": "For members", "visibility": "members"})
	var tok struct{ Token string }
	s.Admin.Must(http.StatusCreated, "POST", "/api/v1/tokens", map[string]string{"name": "e2e"}).JSON(t, &tok)
	s.AdminToken = tok.Token
	return s
}

// API is an HTTP client that acts as the admin through the Bearer token.
func (s *Site) API() *apptest.Client {
	c := s.Client()
	c.Token, c.Origin = s.AdminToken, false
	return c
}

// Member creates a member through the service layer and returns an API
// client signed in as them, for setting the scene outside the browser.
func (s *Site) Member(name string) *apptest.Client {
	s.t.Helper()
	return s.User(name, auth.RoleMember)
}

// Thread is a thread created through the API.
type Thread struct {
	ID     int64
	PostID int64 // its first post
}

// Path is the thread's page.
func (th Thread) Path() string { return fmt.Sprintf("/t/%d", th.ID) }

// StartThread starts a thread as c through the JSON API.
func (s *Site) StartThread(c *apptest.Client, forum, title, body string) Thread {
	s.t.Helper()
	var out struct {
		Thread struct{ ID int64 } `json:"thread"`
		Post   struct{ ID int64 } `json:"post"`
	}
	c.Must(http.StatusCreated, "POST", "/api/v1/forums/"+forum+"/threads", map[string]string{"title": title, "body": body}).JSON(s.t, &out)
	return Thread{ID: out.Thread.ID, PostID: out.Post.ID}
}

// The tests of the package share one Chromium process (each user still gets
// a browser context of their own, with its own cookies and storage); it
// starts with the first browser a test asks for and stops in TestMain.
var shared struct {
	mu     sync.Mutex
	root   context.Context
	cancel func()
	dir    string
}

// sharedBrowser returns the root context of the running browser, starting
// it (again, if it died) when needed.
func sharedBrowser(t testing.TB) context.Context {
	t.Helper()
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.root != nil && shared.root.Err() == nil {
		return shared.root
	}
	if shared.cancel != nil {
		shared.cancel()
		_ = os.RemoveAll(shared.dir)
	}
	dir, err := os.MkdirTemp("", "parley-e2e-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(dir),
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("use-mock-keychain", true),
		// Only the test server is reachable: other hosts fail at once
		// instead of waiting for DNS (vectors point at outside hosts).
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	root, cancelRoot := chromedp.NewContext(alloc)
	if err := chromedp.Do(root); err != nil { // starts the browser
		cancelRoot()
		cancelAlloc()
		_ = os.RemoveAll(dir)
		t.Fatalf("e2e: start chromium: %v", err)
	}
	shared.root, shared.dir = root, dir
	shared.cancel = func() {
		cancelRoot()
		cancelAlloc()
	}
	return root
}

// CloseBrowser stops the shared browser; TestMain calls it after the tests.
func CloseBrowser() {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.cancel != nil {
		shared.cancel()
		_ = os.RemoveAll(shared.dir)
		shared.root, shared.cancel = nil, nil
	}
}

// Browser opens a browser session for a person: a new tab in its own
// browser context, so every user has their own cookies.
func (s *Site) Browser(t *testing.T, name string) *Browser {
	return s.newBrowser(t, name, false)
}

// BrowserVia is a Browser that reaches the site through base (a Cutter's
// URL) instead of directly.
func (s *Site) BrowserVia(t *testing.T, name, base string) *Browser {
	b := s.newBrowser(t, name, false)
	b.base = base
	return b
}

// XSSBrowser is a Browser whose pages also count calls of alert, confirm,
// prompt and print in window.__xss (see Browser.XSSCount).
func (s *Site) XSSBrowser(t *testing.T, name string) *Browser {
	return s.newBrowser(t, name, true)
}

func (s *Site) newBrowser(t *testing.T, name string, canary bool) *Browser {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	root := sharedBrowser(t)
	if !s.watching {
		// Cleanups run last-in first-out, so this one runs before the
		// app's server stops.
		s.watching = true
		s.t.Cleanup(s.finish)
	}
	b := &Browser{Name: name, site: s, t: t}
	b.ctx, b.cancel = chromedp.NewContext(root, chromedp.WithNewBrowserContext(), chromedp.WithListener(b.onEvent))
	if err := chromedp.Do(b.ctx); err != nil { // opens the tab
		t.Fatalf("e2e: open a tab for %s: %v", name, err)
	}
	// Reduced motion: the page's script then scrolls without animation, so
	// a click never aims at an element that is still moving.
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}},
	}); err != nil {
		t.Fatalf("e2e: emulate reduced motion: %v", err)
	}
	scripts := []string{watchScript}
	if canary {
		scripts = append(scripts, canaryScript)
	}
	for _, src := range scripts {
		if _, err := chromedp.Call(b.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: src}); err != nil {
			t.Fatalf("e2e: inject the page watcher: %v", err)
		}
	}
	s.browsers = append(s.browsers, b)
	return b
}

// finish runs when the test ends, before the tabs close: it reports what
// the watchers saw since the last check and, if the test failed, saves a
// screenshot and the HTML of every open browser.
func (s *Site) finish() {
	s.mu.Lock()
	browsers := append([]*Browser(nil), s.browsers...)
	s.mu.Unlock()
	for _, b := range browsers {
		if problems := b.problems(true); len(problems) > 0 {
			s.t.Errorf("e2e: %s's browser:\n  %s", b.Name, strings.Join(problems, "\n  "))
		}
	}
	if s.t.Failed() {
		dir := artifactsDir(s.t)
		for _, b := range browsers {
			b.saveArtifacts(dir)
		}
	}
	for _, b := range browsers {
		b.cancel()
	}
}

// artifactsDir is $PARLEY_E2E_ARTIFACTS or <repo root>/e2e-artifacts, plus
// the test's name.
func artifactsDir(t testing.TB) string {
	base := os.Getenv("PARLEY_E2E_ARTIFACTS")
	if base == "" {
		base = filepath.Join(repoRoot(), "e2e-artifacts")
	}
	name := regexp.MustCompile(`[^A-Za-z0-9_.-]+`).ReplaceAllString(t.Name(), "_")
	dir, err := filepath.Abs(filepath.Join(base, name))
	if err != nil {
		return filepath.Join(base, name)
	}
	return dir
}

// repoRoot is the folder holding go.mod, found upwards from the working
// directory (go test runs in the package folder).
func repoRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return "."
	}
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}

// Browser is one person's browser session (tab).
type Browser struct {
	Name string
	site *Site
	base string // the site's address for this browser; "" is site.URL
	t    *testing.T
	ctx  context.Context
	// cancel closes the tab and its browser context.
	cancel context.CancelFunc

	mu         sync.Mutex
	exceptions []string // uncaught exceptions
	consoleCSP []string // CSP messages of the browser log
	dialogs    []string // dialogs the page opened (dismissed at once)
	scriptNavs []string // navigations to javascript: URLs or in a child frame
	csp        []string // window.__cspViolations of pages already left
	status     int      // HTTP status of the last navigation
}

// onEvent runs on the tab's event loop: it must return fast and send no
// command (a dialog is closed from a goroutine).
func (b *Browser) onEvent(ev any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		b.exceptions = append(b.exceptions, fmt.Sprintf("uncaught exception at %s:%d: %s", d.URL, d.LineNumber+1, msg))
	case *cdplog.EventEntryAdded:
		if e := ev.Entry; e != nil && strings.Contains(e.Text, "Content Security Policy") {
			b.consoleCSP = append(b.consoleCSP, "console: "+e.Text)
		}
	case *page.EventJavascriptDialogOpening:
		b.dialogs = append(b.dialogs, fmt.Sprintf("%s dialog %q on %s", ev.Type, ev.Message, ev.URL))
		go func() {
			ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
			defer cancel()
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}()
	case *page.EventFrameRequestedNavigation:
		if isScriptURL(ev.URL) {
			b.scriptNavs = append(b.scriptNavs, "navigation requested to "+ev.URL)
		}
	case *page.EventFrameNavigated:
		if f := ev.Frame; f != nil && (isScriptURL(f.URL) || (f.ParentID != "" && f.URL != "about:blank")) {
			b.scriptNavs = append(b.scriptNavs, fmt.Sprintf("frame navigated to %s (parent %q)", f.URL, f.ParentID))
		}
	}
}

func isScriptURL(u string) bool {
	u = strings.ToLower(strings.TrimSpace(u))
	return strings.HasPrefix(u, "javascript:") || strings.HasPrefix(u, "vbscript:")
}

// problems returns (and forgets) what the watchers saw. collect first reads
// the CSP list of the current page.
func (b *Browser) problems(collect bool) []string {
	if collect {
		b.collectCSP()
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, v := range b.csp {
		out = append(out, "CSP violation: "+v)
	}
	out = append(out, b.consoleCSP...)
	out = append(out, b.exceptions...)
	for _, d := range b.dialogs {
		out = append(out, "unexpected "+d)
	}
	out = append(out, b.scriptNavs...)
	b.csp, b.consoleCSP, b.exceptions, b.dialogs, b.scriptNavs = nil, nil, nil, nil, nil
	return out
}

// collectCSP moves the current page's window.__cspViolations into b.csp
// (the list lives in the document, so it is read before every navigation).
// The events are dispatched in a task of their own, so it lets one turn of
// the event loop pass first.
func (b *Browser) collectCSP() {
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`new Promise(r => setTimeout(() => { const v = window.__cspViolations || []; window.__cspViolations = []; r(v); }, 20))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		return // no page yet, or it is going away
	}
	if len(v) > 0 {
		url := b.url()
		b.mu.Lock()
		for _, s := range v {
			b.csp = append(b.csp, s+" (on "+url+")")
		}
		b.mu.Unlock()
	}
}

// NoCSPViolations fails the test if any page this browser showed since the
// last check (the current one included) violated the Content Security
// Policy, threw an uncaught exception, opened a dialog or navigated to a
// javascript: URL.
func (b *Browser) NoCSPViolations() {
	b.t.Helper()
	if p := b.problems(true); len(p) > 0 {
		b.t.Fatalf("%s's browser on %s:\n  %s", b.Name, b.url(), strings.Join(p, "\n  "))
	}
}

func (b *Browser) fatalf(format string, args ...any) {
	b.t.Helper()
	b.t.Fatalf("%s's browser on %s: %s", b.Name, b.url(), fmt.Sprintf(format, args...))
}

// run runs one action with a timeout.
func run[T any](b *Browser, a chromedp.Action[T]) (T, error) {
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	return chromedp.Run(ctx, a)
}

func (b *Browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.fatalf("%s: %v", what, err)
	}
}

func (b *Browser) baseURL() string {
	if b.base != "" {
		return b.base
	}
	return b.site.URL
}

// url is the address of the current page.
func (b *Browser) url() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "(unknown page)"
	}
	return u
}

// Path is the path (and query) of the current page.
func (b *Browser) Path() string {
	return strings.TrimPrefix(b.url(), b.baseURL())
}

// navigate runs steps that load a new page and returns its HTTP status.
func (b *Browser) navigate(what string, steps ...chromedp.Action[chromedp.Void]) int {
	b.t.Helper()
	b.collectCSP()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, steps...)
	if err != nil {
		b.fatalf("%s: %v", what, err)
	}
	b.status = 0
	if resp != nil {
		b.status = int(resp.Status)
	}
	return b.status
}

// VisitStatus opens path (relative to the site) and returns the HTTP status.
func (b *Browser) VisitStatus(path string) int {
	b.t.Helper()
	return b.navigate("visit "+path, chromedp.Navigate(b.baseURL()+path))
}

// Visit opens path and fails unless it answers 200.
func (b *Browser) Visit(path string) {
	b.t.Helper()
	if st := b.VisitStatus(path); st != http.StatusOK {
		b.fatalf("visit %s: status %d, want 200", path, st)
	}
}

// Reload reloads the current page and returns the status.
func (b *Browser) Reload() int {
	b.t.Helper()
	return b.navigate("reload", chromedp.Reload())
}

// Status is the HTTP status of the last page load.
func (b *Browser) Status() int { return b.status }

// Fill replaces the value of the field sel with text as typing would
// (input events fire; newlines go into a textarea).
func (b *Browser) Fill(sel, text string) {
	b.t.Helper()
	b.do("fill "+sel,
		chromedp.WaitVisible(chromedp.CSS(sel)),
		chromedp.Focus(chromedp.CSS(sel)),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%s).select()`, jsString(sel))),
	)
	if text == "" {
		b.do("clear "+sel, chromedp.KeyEvent("\b"))
		return
	}
	if _, err := run(b, func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, input.InsertText, input.InsertTextParams{Text: text})
		return chromedp.Void{}, err
	}); err != nil {
		b.fatalf("type into %s: %v", sel, err)
	}
}

// Type types text key by key at the end of the field sel.
func (b *Browser) Type(sel, text string) {
	b.t.Helper()
	b.do("type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), text))
}

// Click clicks the element sel and does not wait for a page load (for
// buttons that JavaScript handles).
func (b *Browser) Click(sel string) {
	b.t.Helper()
	b.do("click "+sel, chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.Click(chromedp.CSS(sel)))
}

// ClickAndWait clicks sel, waits for the page it leads to and returns its
// HTTP status.
func (b *Browser) ClickAndWait(sel string) int {
	b.t.Helper()
	b.do("find "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
	return b.navigate("click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// Submit clicks the submit button of the form sel (as a person would),
// waits for the answer page and returns its HTTP status.
func (b *Browser) Submit(form string) int {
	b.t.Helper()
	return b.ClickAndWait(form + ` [type="submit"]`)
}

// WaitText waits until the page's visible text contains text.
func (b *Browser) WaitText(text string) {
	b.t.Helper()
	b.WaitFor(fmt.Sprintf(`document.body && document.body.innerText.includes(%s)`, jsString(text)), "text "+text)
}

// WaitFor waits until the JavaScript expression cond is true.
func (b *Browser) WaitFor(cond, what string) {
	b.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		ok, err := run(b, chromedp.Evaluate[bool](`!!(`+cond+`)`))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			b.fatalf("waited %s for %s (last error: %v)", waitTimeout, what, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Eval evaluates a JavaScript expression (promises are awaited) and
// decodes its JSON value into out (nil ignores it).
func (b *Browser) Eval(expr string, out any) {
	b.t.Helper()
	raw, err := run(b, chromedp.Evaluate[[]byte](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.fatalf("eval %q: %v", expr, err)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			b.fatalf("eval %q: decode %s: %v", expr, raw, err)
		}
	}
}

// Bool evaluates a JavaScript expression as a boolean.
func (b *Browser) Bool(expr string) bool {
	b.t.Helper()
	var v bool
	b.Eval(`!!(`+expr+`)`, &v)
	return v
}

// Int evaluates a JavaScript expression as a number.
func (b *Browser) Int(expr string) int {
	b.t.Helper()
	var v int
	b.Eval(`Number(`+expr+`)`, &v)
	return v
}

// Str evaluates a JavaScript expression as a string.
func (b *Browser) Str(expr string) string {
	b.t.Helper()
	var v string
	b.Eval(`String(`+expr+`)`, &v)
	return v
}

// Count is the number of elements matching sel.
func (b *Browser) Count(sel string) int {
	b.t.Helper()
	return b.Int(fmt.Sprintf(`document.querySelectorAll(%s).length`, jsString(sel)))
}

// Text is the visible text of the first element matching sel ("" if none).
func (b *Browser) Text(sel string) string {
	b.t.Helper()
	return b.Str(fmt.Sprintf(`(document.querySelector(%s) || {innerText: ''}).innerText`, jsString(sel)))
}

// Value is the value of the form field sel.
func (b *Browser) Value(sel string) string {
	b.t.Helper()
	return b.Str(fmt.Sprintf(`(document.querySelector(%s) || {value: ''}).value`, jsString(sel)))
}

// Attr is the attribute name of the first element matching sel ("" if
// the element or the attribute is missing).
func (b *Browser) Attr(sel, name string) string {
	b.t.Helper()
	return b.Str(fmt.Sprintf(`((document.querySelector(%s) || {getAttribute() { return null; }}).getAttribute(%s)) || ''`, jsString(sel), jsString(name)))
}

// HTML is the serialized DOM of the current page.
func (b *Browser) HTML() string {
	b.t.Helper()
	return b.Str(`document.documentElement.outerHTML`)
}

// BodyText is the visible text of the page.
func (b *Browser) BodyText() string {
	b.t.Helper()
	return b.Str(`document.body.innerText`)
}

// SetViewport resizes the page's viewport (desktop emulation).
func (b *Browser) SetViewport(w, h int) {
	b.t.Helper()
	b.do("set viewport", chromedp.EmulateViewport(int64(w), int64(h)))
}

// Phone emulates an iPhone 12: a 390×844 viewport, a mobile user agent,
// touch and a device scale factor of 3.
func (b *Browser) Phone() {
	b.t.Helper()
	b.do("emulate a phone", chromedp.Emulate(device.IPhone12))
}

// NoHorizontalScroll fails if the page is wider than the viewport.
func (b *Browser) NoHorizontalScroll() {
	b.t.Helper()
	var m struct{ Scroll, Inner int }
	b.Eval(`({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})`, &m)
	if m.Scroll > m.Inner {
		var wide []string
		b.Eval(`Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5).slice(0, 8).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '') + ' right=' + Math.round(e.getBoundingClientRect().right))`, &wide)
		b.fatalf("horizontal scroll: scrollWidth %d > innerWidth %d; too wide: %s", m.Scroll, m.Inner, strings.Join(wide, ", "))
	}
}

// XSSCount is window.__xss of the current page (XSSBrowser only): how many
// times a page script called alert, confirm, prompt or print.
func (b *Browser) XSSCount() int {
	b.t.Helper()
	return b.Int(`window.__xss`)
}

// SignUp creates an account through the sign-up form (e-mail
// <name>@example.com, password Password) and checks the user is signed in.
func (b *Browser) SignUp(username string) {
	b.t.Helper()
	b.Visit("/register")
	b.Fill("#username", username)
	b.Fill("#email", strings.ToLower(username)+"@example.com")
	b.Fill("#password", Password)
	if st := b.Submit(`form[action="/register"]`); st != http.StatusOK {
		b.fatalf("sign up %s: status %d: %s", username, st, b.Text(".error-summary"))
	}
	b.signedInAs(username)
}

// LogIn signs in through the log-in form.
func (b *Browser) LogIn(username string) {
	b.t.Helper()
	b.Visit("/login")
	b.Fill("#login", username)
	b.Fill("#password", Password)
	if st := b.Submit(`form[action="/login"]`); st != http.StatusOK {
		b.fatalf("log in %s: status %d: %s", username, st, b.Text(".error-summary"))
	}
	b.signedInAs(username)
}

func (b *Browser) signedInAs(username string) {
	b.t.Helper()
	if got := b.Text(`.account-nav a[href^="/u/"]`); got != username {
		b.fatalf("not signed in as %s (account menu shows %q)", username, got)
	}
}

// saveArtifacts writes <dir>/<name>.png and <name>.html.
func (b *Browser) saveArtifacts(dir string) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		b.site.t.Logf("e2e: artifacts: %v", err)
		return
	}
	base := filepath.Join(dir, regexp.MustCompile(`[^A-Za-z0-9_.-]+`).ReplaceAllString(b.Name, "_"))
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		if err := os.WriteFile(base+".png", png, 0o600); err == nil {
			b.site.t.Logf("e2e: %s's screenshot: %s", b.Name, base+".png")
		}
	} else {
		b.site.t.Logf("e2e: %s's screenshot: %v", b.Name, err)
	}
	if html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`)); err == nil {
		if err := os.WriteFile(base+".html", []byte(html), 0o600); err == nil {
			b.site.t.Logf("e2e: %s's page HTML (%s): %s", b.Name, b.url(), base+".html")
		}
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}
