package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"parley/app/apptest"
	"parley/app/auth"
)

// xssVector is one entry of testdata/xss/vectors.json (see its README).
type xssVector struct {
	Source string `json:"source"`
	Vector string `json:"vector"`
}

// derived reports whether the vector is one of the generator's Markdown
// forms rather than a published vector.
func (v xssVector) derived() bool { return strings.HasPrefix(v.Source, "derived:") }

func loadVectors(t *testing.T) []xssVector {
	t.Helper()
	data, err := os.ReadFile("testdata/xss/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []xssVector
	if err := json.Unmarshal(data, &vs); err != nil {
		t.Fatal(err)
	}
	published := 0
	for _, v := range vs {
		if !v.derived() {
			published++
		}
	}
	if published < 300 {
		t.Fatalf("the corpus has %d published vectors, want at least 300", published)
	}
	return vs
}

// pageCheckJS loads in the page after it rendered and returns what the test
// asserts on. It waits a moment first so that late sinks (image errors,
// timers, meta refreshes) have fired.
//
// audit lists what must never come out of user content: elements that run
// or embed code, event-handler and style attributes, and URLs with a scheme
// other than http, https or mailto. It runs on the whole body (the layout
// has none of these either) and, stricter, on each post body, where forms
// and controls are not allowed (task-list checkboxes aside).
const pageCheckJS = `(async () => {
  await new Promise(r => setTimeout(r, 50));
  const bad = [];
  const never = new Set(['script','iframe','frame','frameset','object','embed','applet','base','meta','link','style','svg','math','template','portal','noscript','video','audio','source','track','marquee','bgsound','xml','isindex']);
  const noControls = new Set(['form','input','button','textarea','select','option','keygen','dialog']);
  const urlAttrs = new Set(['href','src','action','formaction','xlink:href','srcdoc','data','poster','background','lowsrc','dynsrc','srcset','ping','codebase','archive','longdesc','usemap','manifest','cite']);
  const okScheme = new Set(['http:','https:','mailto:']);
  const audit = (root, label, strict) => {
    if (!root) return;
    for (const el of root.querySelectorAll('*')) {
      const tag = el.tagName.toLowerCase();
      if (never.has(tag) && !(tag === 'script' && ourScripts.includes(el))) bad.push(label + ': <' + tag + '> element');
      if (strict && noControls.has(tag) && !(tag === 'input' && el.type === 'checkbox' && el.disabled)) bad.push(label + ': <' + tag + '> element');
      for (const a of el.attributes) {
        const n = a.name.toLowerCase();
        if (n.startsWith('on')) bad.push(label + ': <' + tag + ' ' + n + '=' + JSON.stringify(a.value) + '>');
        if (n === 'style') bad.push(label + ': <' + tag + ' style=' + JSON.stringify(a.value) + '>');
        if (urlAttrs.has(n) && a.value.trim() !== '') {
          let scheme;
          try { scheme = new URL(a.value, location.href).protocol; } catch (e) { scheme = 'unparsable'; }
          if (!okScheme.has(scheme)) bad.push(label + ': <' + tag + ' ' + n + '=' + JSON.stringify(a.value) + '> (' + scheme + ')');
        }
      }
    }
  };
  const scripts = [...document.scripts];
  const ours = ['/static/js/parley.js', '/static/js/live.js', '/static/js/search.js'];
  const ourScripts = scripts.filter(s => ours.includes(new URL(s.src || 'about:blank', location.href).pathname));
  if (scripts.length !== ours.length || ourScripts.length !== ours.length) bad.push('page: ' + scripts.length + ' <script> elements (want only parley.js, live.js and search.js)');
  audit(document.body, 'page', false);
  const posts = {};
  for (const art of document.querySelectorAll('article.post')) {
    const body = art.querySelector('.post-body');
    audit(body, 'post ' + art.dataset.postId, true);
    posts[art.dataset.postId] = {
      author: (art.querySelector('.post-author a') || {}).textContent || '',
      authorKids: art.querySelector('.post-author a') ? art.querySelector('.post-author a').children.length : -1,
    };
  }
  const text = sel => { const el = document.querySelector(sel); return el ? {text: el.textContent, kids: el.children.length} : null; };
  return {
    xss: window.__xss,
    bad,
    posts,
    titles: [...document.querySelectorAll('.thread-title a[href^="/t/"]')].map(a => ({text: a.textContent, kids: a.children.length})),
    h1: text('main h1'),
    docTitle: document.title,
    bio: text('.profile .bio'),
  };
})()`

type pageCheck struct {
	XSS   int      `json:"xss"`
	Bad   []string `json:"bad"`
	Posts map[string]struct {
		Author     string `json:"author"`
		AuthorKids int    `json:"authorKids"`
	} `json:"posts"`
	Titles []struct {
		Text string `json:"text"`
		Kids int    `json:"kids"`
	} `json:"titles"`
	H1       *textNode `json:"h1"`
	DocTitle string    `json:"docTitle"`
	Bio      *textNode `json:"bio"`
}

type textNode struct {
	Text string `json:"text"`
	Kids int    `json:"kids"`
}

// xssRun collects the outcome per place and the failures, naming the
// vectors involved.
type xssRun struct {
	t        *testing.T
	b        *Browser
	pages    int
	failures []string
	accepted map[string]int
	refused  map[string]int
}

func (r *xssRun) fail(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

// visit opens a page and runs the checks every page gets: no canary call,
// no CSP violation, no exception, dialog or javascript: navigation, and a
// clean DOM audit. blame names the vectors on the page.
func (r *xssRun) visit(path, blame string) pageCheck {
	r.t.Helper()
	r.pages++
	if st := r.b.VisitStatus(path); st != http.StatusOK {
		r.fail("%s: status %d (%s)", path, st, blame)
	}
	return r.check(path, blame)
}

// check runs the page checks on the current page.
func (r *xssRun) check(path, blame string) pageCheck {
	r.t.Helper()
	var c pageCheck
	r.b.Eval(pageCheckJS, &c)
	if c.XSS != 0 {
		r.fail("%s: a page script called alert/confirm/prompt/print %d time(s) (%s)", path, c.XSS, blame)
	}
	for _, p := range r.b.problems(true) {
		r.fail("%s: %s (%s)", path, p, blame)
	}
	for _, bad := range c.Bad {
		r.fail("%s: %s (%s)", path, bad, blame)
	}
	return c
}

// TestXSSCorpus stores every vector of the corpus where users put text —
// post bodies (Markdown), thread titles, usernames and profile bios — and
// opens every page that shows them in a real browser with a canary in place
// of the dialog functions. Nothing may run: no canary call, no CSP
// violation (that would mean markup got through and CSP caught it), no
// uncaught exception, no dialog, no navigation to a javascript: URL, and no
// dangerous element, attribute or URL in the DOM.
func TestXSSCorpus(t *testing.T) {
	started := time.Now()
	lap := func(what string) {
		t.Logf("%s: %v", what, time.Since(started).Round(time.Millisecond))
		started = time.Now()
	}
	site := Start(t)
	vectors := loadVectors(t)
	var published []xssVector
	for _, v := range vectors {
		if !v.derived() {
			published = append(published, v)
		}
	}
	api := site.API()
	api.Must(http.StatusCreated, "POST", "/api/v1/forums", map[string]any{"name": "Titles", "slug": "titles", "visibility": "public"})

	lap("app started")
	r := &xssRun{t: t, b: site.XSSBrowser(t, "xss"), accepted: map[string]int{}, refused: map[string]int{}}
	lap("browser started")

	// outcome records one write: 201 accepted, 422 refused; anything else
	// is a failure (a vector must never break the server).
	outcome := func(place string, v xssVector, resp *apptest.Response, created int) bool {
		switch resp.Status {
		case created:
			r.accepted[place]++
			return true
		case http.StatusUnprocessableEntity:
			r.refused[place]++
			return false
		}
		r.fail("%s: status %d for %s %q: %s", place, resp.Status, v.Source, v.Vector, truncate(string(resp.Body), 200))
		return false
	}

	// 1. Thread titles, listed 20 to a page in the forum "titles".
	want := map[string]string{} // accepted title → source
	var titles []string
	for _, v := range published {
		resp := api.Do("POST", "/api/v1/forums/titles/threads", map[string]string{"title": v.Vector, "body": "Title vector from " + v.Source})
		if outcome("title", v, resp, http.StatusCreated) {
			var out struct {
				Thread struct{ Title string } `json:"thread"`
			}
			resp.JSON(t, &out)
			if norm := strings.Join(strings.Fields(v.Vector), " "); out.Thread.Title != norm {
				r.fail("title: stored as %q, want %q (%s)", out.Thread.Title, norm, v.Source)
			}
			if _, dup := want[asParsed(out.Thread.Title)]; !dup {
				titles = append(titles, asParsed(out.Thread.Title))
			}
			want[asParsed(out.Thread.Title)] = v.Source
		}
	}
	lap("titles stored")
	seen := map[string]int{}
	for page := 1; page <= (r.accepted["title"]+19)/20; page++ {
		c := r.visit(fmt.Sprintf("/f/titles?page=%d", page), fmt.Sprintf("thread titles on page %d", page))
		for _, ti := range c.Titles {
			seen[ti.Text]++
			if ti.Kids != 0 {
				r.fail("/f/titles?page=%d: the title link %q holds %d elements (%s)", page, ti.Text, ti.Kids, want[ti.Text])
			}
		}
	}
	for title, src := range want {
		if seen[title] == 0 {
			r.fail("/f/titles: the title %q is not shown as text (%s)", title, src)
		}
	}

	// 2. Post bodies: every vector (the Markdown forms too), 20 to a
	// thread page. The threads are titled with accepted title vectors, so
	// each page also shows one in its heading, breadcrumb and <title>.
	lap("titles checked")
	blame := map[string]xssVector{} // post id → vector
	type batch struct {
		path, title string
		posts       []string
	}
	var batches []batch
	for i := 0; i < len(vectors); i += 20 {
		end := min(i+20, len(vectors))
		title := fmt.Sprintf("XSS corpus, vectors %d to %d", i+1, end)
		if k := len(batches); k < len(titles) {
			title = titles[k]
		}
		var th Thread
		var posts []string
		for j, v := range vectors[i:end] {
			var resp *apptest.Response
			if j == 0 {
				resp = api.Do("POST", "/api/v1/forums/general/threads", map[string]string{"title": title, "body": v.Vector})
				if resp.Status == http.StatusUnprocessableEntity { // keep the batch: open it with plain text
					outcome("post", v, resp, http.StatusCreated)
					resp = api.Do("POST", "/api/v1/forums/general/threads", map[string]string{"title": title, "body": "Opening post"})
					v = xssVector{Source: "none", Vector: "Opening post"}
				}
				var out struct {
					Thread struct{ ID int64 } `json:"thread"`
					Post   struct{ ID int64 } `json:"post"`
				}
				if !outcome("post", v, resp, http.StatusCreated) {
					r.fail("could not start the thread for vectors %d to %d", i+1, end)
					break
				}
				resp.JSON(t, &out)
				th = Thread{ID: out.Thread.ID, PostID: out.Post.ID}
				id := fmt.Sprint(out.Post.ID)
				blame[id] = v
				posts = append(posts, id)
				continue
			}
			resp = api.Do("POST", fmt.Sprintf("/api/v1/threads/%d/posts", th.ID), map[string]string{"body": v.Vector})
			if outcome("post", v, resp, http.StatusCreated) {
				var out struct{ ID int64 }
				resp.JSON(t, &out)
				id := fmt.Sprint(out.ID)
				blame[id] = v
				posts = append(posts, id)
			}
		}
		if th.ID != 0 {
			batches = append(batches, batch{path: th.Path(), title: title, posts: posts})
		}
	}
	lap("posts stored")
	for _, bt := range batches {
		names := make([]string, 0, len(bt.posts))
		for _, id := range bt.posts {
			names = append(names, blame[id].Source)
		}
		c := r.visit(bt.path, "posts from "+strings.Join(dedupe(names), ", "))
		for _, id := range bt.posts {
			if _, ok := c.Posts[id]; !ok {
				r.fail("%s: post %s is not on the page (%s %q)", bt.path, id, blame[id].Source, blame[id].Vector)
			}
		}
		for _, bad := range c.Bad { // name the very vector behind a finding in a post
			if rest, ok := strings.CutPrefix(bad, "post "); ok {
				id, _, _ := strings.Cut(rest, ":")
				if v, ok := blame[id]; ok {
					r.fail("    ↳ post %s was %s: %q", id, v.Source, v.Vector)
				}
			}
		}
		if c.H1 == nil || c.H1.Text != bt.title || c.H1.Kids != 0 {
			r.fail("%s: heading %+v, want the text %q (%s)", bt.path, c.H1, bt.title, want[bt.title])
		}
		if !strings.HasPrefix(c.DocTitle, bt.title+" · ") {
			r.fail("%s: document title %q, want %q first (%s)", bt.path, c.DocTitle, bt.title, want[bt.title])
		}
	}

	lap("posts checked")
	// 3. Usernames: most vectors are not valid usernames and must be
	// refused; those accepted must show as text on their profile and as
	// the author of a post.
	// A valid control name keeps the accepted-name path exercised even
	// when the corpus has no valid username.
	control := "x_s-s.control"
	site.Client().Must(http.StatusCreated, "POST", "/api/v1/users", map[string]string{"username": control, "email": "control@example.com", "password": Password})
	names := []string{control}
	for i, v := range published {
		resp := site.Client().Do("POST", "/api/v1/users", map[string]string{"username": v.Vector, "email": fmt.Sprintf("xss%d@example.com", i), "password": Password})
		if outcome("username", v, resp, http.StatusCreated) {
			var u struct{ Username string }
			resp.JSON(t, &u)
			names = append(names, u.Username)
		}
	}
	{
		th := site.StartThread(api, "general", "Posts by accepted usernames", "Each reply below is by an account whose name came from the corpus.")
		for _, name := range names {
			c := site.Client().Login(name)
			c.Must(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/threads/%d/posts", th.ID), map[string]string{"body": "Hello"})
		}
		for page := 1; page <= (len(names)+1+19)/20; page++ {
			c := r.visit(fmt.Sprintf("%s?page=%d", th.Path(), page), "accepted usernames")
			for id, p := range c.Posts {
				if p.AuthorKids != 0 {
					r.fail("post %s: the author link %q holds elements", id, p.Author)
				}
			}
		}
		for _, name := range names {
			c := r.visit("/u/"+url.PathEscape(name), "username "+name)
			if c.H1 == nil || !strings.HasPrefix(c.H1.Text, name) {
				r.fail("/u/%s: heading %+v", name, c.H1)
			}
		}
	}

	lap("usernames")
	// 4. Profile bios (plain text). A profile shows one bio, so the vectors
	// are packed into bios of at most auth.MaxBio characters, one vector a
	// line, and each bio must come back as exactly its text: any markup
	// that took effect would change the text, so packing hides nothing.
	type bio struct {
		user, text string
		sources    []string
	}
	var bios []bio
	var cur []xssVector
	flush := func() {
		if len(cur) == 0 {
			return
		}
		name := fmt.Sprintf("bio_%02d", len(bios)+1)
		c := site.User(name, auth.RoleMember)
		parts, srcs := make([]string, 0, len(cur)), make([]string, 0, len(cur))
		for _, v := range cur {
			parts = append(parts, v.Vector)
			srcs = append(srcs, v.Source)
		}
		text := strings.Join(parts, "\n")
		resp := c.Do("PATCH", "/api/v1/users/me", map[string]string{"bio": text})
		if resp.Status == http.StatusOK {
			var u struct{ Bio string }
			resp.JSON(t, &u)
			bios = append(bios, bio{user: name, text: u.Bio, sources: srcs})
			r.accepted["bio"] += len(cur)
		} else {
			r.fail("bio of %d vectors (%d characters): status %d: %s", len(cur), utf8.RuneCountInString(text), resp.Status, truncate(string(resp.Body), 200))
		}
		cur = nil
	}
	size, alone := 0, 0
	for _, v := range published {
		n := utf8.RuneCountInString(v.Vector)
		if strings.ContainsRune(v.Vector, 0) {
			// A bio refuses NUL: such a vector goes on its own.
			alone++
			resp := site.Member(fmt.Sprintf("bio_nul_%d", alone)).Do("PATCH", "/api/v1/users/me", map[string]string{"bio": v.Vector})
			outcome("bio", v, resp, http.StatusOK)
			continue
		}
		if size+n+1 > auth.MaxBio {
			flush()
			size = 0
		}
		cur = append(cur, v)
		size += n + 1
	}
	flush()
	lap("bios stored")
	for _, bi := range bios {
		c := r.visit("/u/"+bi.user, "bio of "+strings.Join(dedupe(bi.sources), ", "))
		if c.Bio == nil {
			r.fail("/u/%s: no bio shown (%s)", bi.user, strings.Join(dedupe(bi.sources), ", "))
			continue
		}
		if got, want := strings.TrimSpace(c.Bio.Text), strings.TrimSpace(asParsed(bi.text)); c.Bio.Kids != 0 || got != want {
			r.fail("/u/%s: the bio is not shown as its text (%d elements): %s", bi.user, c.Bio.Kids, firstDiff(got, want))
		}
	}

	lap("bios checked")
	places := []string{"post", "title", "username", "bio"}
	var summary []string
	for _, p := range places {
		summary = append(summary, fmt.Sprintf("%s: %d accepted, %d refused", p, r.accepted[p], r.refused[p]))
	}
	t.Logf("corpus: %d vectors (%d published, %d derived Markdown forms); %s; %d pages checked in the browser",
		len(vectors), len(published), len(vectors)-len(published), strings.Join(summary, "; "), r.pages)
	if r.accepted["post"] == 0 || r.accepted["title"] == 0 || len(bios) == 0 {
		t.Fatalf("nothing was stored: %s", strings.Join(summary, "; "))
	}
	if len(r.failures) > 0 {
		shown := r.failures
		if len(shown) > 60 {
			shown = shown[:60]
		}
		t.Errorf("%d XSS finding(s):\n  %s", len(r.failures), strings.Join(shown, "\n  "))
	}
}

// asParsed is text as a browser reads it back from escaped HTML: the
// parser turns CR and CRLF into LF, and html/template writes NUL as U+FFFD.
func asParsed(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.ReplaceAll(s, "\x00", "\uFFFD")
}

// firstDiff shows where got and want part.
func firstDiff(got, want string) string {
	g, w := []rune(got), []rune(want)
	i := 0
	for i < len(g) && i < len(w) && g[i] == w[i] {
		i++
	}
	from := max(0, i-40)
	return fmt.Sprintf("at character %d: got …%q…, want …%q…", i, string(g[from:min(len(g), i+40)]), string(w[from:min(len(w), i+40)]))
}

func dedupe(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// The checks must see a sanitizer failure: markup that a broken renderer
// could let into a post is put into a real thread page, and a script that
// got past CSP is simulated by calling alert from the DevTools side.
func TestXSSChecksSeeInjectedMarkup(t *testing.T) {
	site := Start(t)
	th := site.StartThread(site.API(), "general", "Checker self-test", "A harmless post.")
	r := &xssRun{t: t, b: site.XSSBrowser(t, "xss-probe")}
	if c := r.visit(th.Path(), "clean page"); len(r.failures) != 0 || c.XSS != 0 {
		t.Fatalf("a clean page fails the checks: %q", r.failures)
	}
	r.b.Eval(`document.querySelector('.post-body').insertAdjacentHTML('beforeend',
		'<img src="/static/none.png" onerror="alert(1)"><a href="javascript:alert(2)">x</a><form action="/logout"><button>go</button></form>')`, nil)
	r.b.Eval(`alert('reached')`, nil)
	r.check(th.Path(), "injected markup")
	got := strings.Join(r.failures, "\n")
	for _, want := range []string{
		"called alert/confirm/prompt/print 1 time(s)",
		"CSP violation: script-src-attr inline",
		`onerror="alert(1)"`,
		`href="javascript:alert(2)"> (javascript:)`,
		"<form> element",
		"<button> element",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the checks missed %q; they reported:\n%s", want, got)
		}
	}
}
