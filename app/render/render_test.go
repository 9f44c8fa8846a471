package render

import (
	"errors"
	"strings"
	"sync"
	"testing"
)

func TestRender(t *testing.T) {
	r := New()
	const rel = `rel="nofollow ugc noopener"`
	tests := []struct {
		name    string
		src     string
		want    []string // substrings that must appear
		notWant []string // substrings that must not appear
	}{
		{"heading", "# Title\n\n## Sub", []string{"<h1>Title</h1>", "<h2>Sub</h2>"}, nil},
		{"emphasis", "*em* and **strong** and _em_", []string{"<em>em</em>", "<strong>strong</strong>", "<em>em</em>"}, nil},
		{"hard wrap", "line one\nline two", []string{"line one<br>\nline two"}, nil},
		{"paragraphs", "one\n\ntwo", []string{"<p>one</p>", "<p>two</p>"}, nil},
		{"code span", "use `a<b && c`", []string{"<code>a&lt;b &amp;&amp; c</code>"}, nil},
		{"fenced code", "```go\nfmt.Println(\"<hi>\")\n```", []string{`<pre><code class="language-go">fmt.Println(&#34;&lt;hi&gt;&#34;)`}, nil},
		{"fenced code hostile info", "```\"><script>x\nbody\n```", []string{"<pre><code>body"}, []string{"<script", "class="}},
		{"indented code", "    x := 1", []string{"<pre><code>x := 1"}, nil},
		{"blockquote", "> quoted\n> more", []string{"<blockquote>", "quoted<br>\nmore"}, nil},
		{"lists", "- a\n- b\n\n1. one\n2. two", []string{"<ul>", "<li>a</li>", "<ol>", "<li>one</li>"}, nil},
		{"table", "| a | b |\n|:--|--:|\n| 1 | 2 |", []string{"<table>", `<th align="left">a</th>`, `<td align="right">2</td>`}, []string{"style"}},
		{"strikethrough", "~~gone~~", []string{"<del>gone</del>"}, nil},
		{"autolink url", "see https://example.com/a?b=1 now", []string{`<a href="https://example.com/a?b=1" ` + rel + `>https://example.com/a?b=1</a>`}, nil},
		{"autolink www", "www.example.com", []string{`<a href="http://www.example.com" ` + rel + `>www.example.com</a>`}, nil},
		{"autolink angle", "<https://example.com>", []string{`<a href="https://example.com" ` + rel + `>`}, nil},
		{"autolink email", "mail bob@example.com", []string{`<a href="mailto:bob@example.com" ` + rel + `>bob@example.com</a>`}, []string{"mention"}},
		{"no ftp autolink", "ftp://example.com/file", []string{"ftp://example.com/file"}, []string{"<a"}},
		{"task list", "- [x] done\n- [ ] todo", []string{`<li><input checked="" disabled="" type="checkbox"> done</li>`, `<li><input disabled="" type="checkbox"> todo</li>`}, nil},
		{"link rel", "[x](https://example.com)", []string{`<a href="https://example.com" ` + rel + `>x</a>`}, nil},
		{"relative link", "[x](/t/1#p2)", []string{`<a href="/t/1#p2" ` + rel + `>x</a>`}, nil},
		{"link title", `[x](/a "Title #1?")`, []string{`title="Title #1?"`}, nil},
		{"mailto link", "[m](mailto:a@example.com)", []string{`href="mailto:a@example.com"`}, nil},
		{"javascript link removed", "[click](javascript:alert(1))", []string{"<p>click</p>"}, []string{"javascript", "<a"}},
		{"javascript link uppercase", "[click](JaVaScRiPt:alert(1))", []string{"click"}, []string{"<a", "alert"}},
		{"javascript link entity tab", "[click](jav&#x09;ascript:alert(1))", []string{"click"}, []string{"<a"}},
		{"vbscript link", "[v](vbscript:msgbox)", nil, []string{"<a", "vbscript"}},
		{"data link", "[d](data:text/html;base64,PHNjcmlwdD4=)", nil, []string{"<a", "data:"}},
		{"javascript autolink", "<javascript:alert(1)>", []string{"javascript:alert(1)"}, []string{"<a"}},
		{"raw script escaped", "<script>alert(1)</script>", []string{"&lt;script&gt;alert(1)&lt;/script&gt;"}, []string{"<script"}},
		{"raw img onerror escaped", "hi <img src=x onerror=alert(1)> there", []string{"&lt;img src=x onerror=alert(1)&gt;"}, []string{"<img"}},
		{"raw html block escaped", "<div onclick=\"x()\">\n**not bold**\n</div>", []string{"&lt;div onclick=&#34;x()&#34;&gt;<br>\n**not bold**<br>\n&lt;/div&gt;"}, []string{"<div", "<strong>"}},
		{"raw anchor escaped", `<a href="jav&#x09;ascript:alert(1)">x</a>`, []string{"&lt;a href="}, []string{"<a "}},
		{"raw style and iframe escaped", "<style>*{}</style><iframe src=x></iframe>", nil, []string{"<style", "<iframe"}},
		{"html comment escaped", "a <!-- hidden --> b", []string{"&lt;!-- hidden --&gt;"}, nil},
		{"image", `![a cat](https://example.com/cat.png "Cat")`, []string{`<img src="https://example.com/cat.png" alt="a cat" title="Cat" loading="lazy">`}, nil},
		{"image relative", "![x](/img/x.png)", []string{`src="/img/x.png"`}, nil},
		{"image javascript", "![x](javascript:alert(1))", nil, []string{"javascript"}},
		{"image data", "![x](data:image/png;base64,AAAA)", nil, []string{"data:"}},
		{"image mailto", "![x](mailto:a@example.com)", []string{`src=""`}, []string{"mailto"}},
		{"entities", "AT&amp;T &copy; &lt;b&gt;", []string{"AT&amp;T © &lt;b&gt;"}, []string{"<b>"}},
		{"nul stripped", "a\x00b", []string{"<p>ab</p>"}, nil},
		{"invalid utf8", "a\xffb", []string{"a\uFFFDb"}, nil},
		{"mention resolved", "hi @bob!", []string{`hi <a class="mention" href="/u/Bob" ` + rel + `>@Bob</a>!`}, nil},
		{"mention case folded", "@BOB", []string{`href="/u/Bob"`}, nil},
		{"mention unresolved", "hi @nobody", []string{"<p>hi @nobody</p>"}, []string{"<a"}},
		{"mention trailing dot", "thanks @alice.", []string{`>@alice</a>.</p>`}, nil},
		{"mention escaped canonical", "@odd", []string{`href="/u/we%20ird%2F%3Cx%3E"`, ">@we ird/&lt;x&gt;</a>"}, nil},
		{"mention dot-dot canonical refused", "@dots", []string{"<p>@dots</p>"}, []string{"<a"}},
		{"mention in code span", "`@bob`", []string{"<code>@bob</code>"}, []string{"mention"}},
		{"mention in fenced code", "```\n@bob\n```", []string{"<code>@bob\n</code>"}, []string{"mention"}},
		{"mention in email", "write to bob@bob.com", nil, []string{"mention"}},
		{"mention after word", "foo@bob", []string{"foo@bob"}, []string{"<a"}},
		{"mention in link text", "[ask @bob](/help)", []string{`<a href="/help" ` + rel + `>ask @bob</a>`}, []string{"mention"}},
		{"mention in link url", "https://social.example/@bob", []string{`href="https://social.example/@bob"`}, []string{"mention"}},
		{"mention in image alt", "![@bob](/b.png)", []string{`alt="@bob"`}, []string{"mention"}},
		{"mention backslash escaped", `\@bob`, []string{"<p>@bob</p>"}, []string{"<a"}},
		{"mention in emphasis", "*@bob*", []string{`<em><a class="mention"`}, nil},
		{"mention in quote", "> @bob said", []string{`<blockquote>`, `class="mention"`}, nil},
		{"mention fediverse handle", "@bob@example.org", nil, []string{"mention"}},
		{"no id or class from attributes syntax", "# Head {#id .cls}", []string{"<h1>Head {#id .cls}</h1>"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := mustRender(t, r, tt.src, users)
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q\nsrc: %q\nout: %s", w, tt.src, out)
				}
			}
			for _, nw := range tt.notWant {
				if strings.Contains(out, nw) {
					t.Errorf("output contains %q\nsrc: %q\nout: %s", nw, tt.src, out)
				}
			}
			if n, m := strings.Count(out, "<a "), strings.Count(out, rel); n != m {
				t.Errorf("%d links but %d with %s: %s", n, m, rel, out)
			}
		})
	}
}

func TestRenderNilMentionFunc(t *testing.T) {
	out := mustRender(t, New(), "hi @bob", nil)
	if out != "<p>hi @bob</p>\n" {
		t.Errorf("got %q", out)
	}
}

func TestRenderMentionLookups(t *testing.T) {
	// Each distinct name is looked up once, and only the first maxMentions
	// distinct names at all; later ones stay text, as Mentions reports.
	var b strings.Builder
	for i := range 60 {
		b.WriteString("@u")
		b.WriteString(string(rune('a'+i/26)) + string(rune('a'+i%26)))
		b.WriteString(" @bob ")
	}
	var calls []string
	out := mustRender(t, New(), b.String(), func(name string) (string, bool) {
		calls = append(calls, name)
		return name, true
	})
	if len(calls) != maxMentions {
		t.Fatalf("MentionFunc called %d times, want %d: %v", len(calls), maxMentions, calls)
	}
	if want := Mentions(b.String()); strings.Join(calls, ",") != strings.Join(want, ",") {
		t.Errorf("lookups %v differ from Mentions %v", calls, want)
	}
	if n := strings.Count(out, `class="mention"`); n != 49+60 {
		// 49 distinct @u.. names plus bob every time.
		t.Errorf("%d mention links, want %d", n, 49+60)
	}
}

func TestRenderErrors(t *testing.T) {
	r := New()
	tests := []struct {
		name string
		src  string
		want error
	}{
		{"empty", "", ErrEmpty},
		{"spaces", " \t\r\n  \n", ErrEmpty},
		{"unicode space", "\u00a0\u2003\n", ErrEmpty},
		{"only NUL", "\x00\x00", ErrEmpty},
		{"MaxBody+1 runes", strings.Repeat("a", MaxBody+1), ErrTooLong},
		{"MaxBody+1 multibyte runes", strings.Repeat("é", MaxBody+1), ErrTooLong},
		{"huge", strings.Repeat("a ", 1<<20), ErrTooLong},
		{"exactly MaxBody", strings.Repeat("a", MaxBody), nil},
		{"exactly MaxBody multibyte", strings.Repeat("界", MaxBody), nil},
		{"exactly MaxBody with spaces", strings.Repeat("ab ", MaxBody/3) + strings.Repeat("c", MaxBody%3), nil},
		// A 16 KB reference URL used thousands of times: refused rather than
		// written out thousands of times.
		{"reference amplification", "[a]: http://e.com/" + strings.Repeat("x", 16000) + "\n\n" + strings.Repeat("[a]", 5000), ErrTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := r.Render(tt.src, users)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if tt.want != nil && out != "" {
				t.Errorf("output %q with error", out)
			}
			if tt.want == nil && out == "" {
				t.Errorf("empty output")
			}
		})
	}
}

func TestRenderCapsTables(t *testing.T) {
	r := New()
	// 4,000 columns padded over 7,000 rows would be 28 million cells.
	padded := "|" + strings.Repeat("a|", 4000) + "\n|" + strings.Repeat("-|", 4000) + "\n" + strings.Repeat("a\n", 7000)
	out := mustRender(t, r, padded, nil)
	if strings.Contains(out, "<table>") || len(out) > 200_000 {
		t.Errorf("padded table was built (%d bytes)", len(out))
	}
	// An ordinary big table is still a table.
	normal := "| a | b | c |\n|---|---|---|\n" + strings.Repeat("| 1 | 2 | 3 |\n", 1000)
	out = mustRender(t, r, normal, nil)
	if strings.Count(out, "<tr>") != 1001 {
		t.Errorf("got %d rows, want 1001", strings.Count(out, "<tr>"))
	}
}

func TestRenderCapsNesting(t *testing.T) {
	r := New()
	tests := []struct {
		name, src, tag string
		want           int
	}{
		{"quotes", strings.Repeat(">", 100) + " deep", "<blockquote>", maxLineNesting},
		{"spaced quotes", strings.Repeat("> ", 100) + "deep", "<blockquote>", maxLineNesting},
		{"lists", strings.Repeat("- ", 100) + "deep", "<ul>", maxLineNesting},
		{"ordered lists", strings.Repeat("1. ", 100) + "deep", "<ol>", maxLineNesting},
		{"mixed", strings.Repeat("> * ", 50) + "deep", "<blockquote>", maxLineNesting / 2},
		{"shallow untouched", ">>> three", "<blockquote>", 3},
		{"thematic break untouched", strings.Repeat("- ", 100), "<hr>", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := mustRender(t, r, tt.src, nil)
			if got := strings.Count(out, tt.tag); got != tt.want {
				t.Errorf("%d × %s, want %d\n%s", got, tt.tag, tt.want, out)
			}
			if strings.Contains(out, `\`) {
				t.Errorf("escape backslash visible: %s", out)
			}
		})
	}
}

func TestRenderConcurrent(t *testing.T) {
	r := New()
	want := mustRender(t, r, benchPost, users)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				got, err := r.Render(benchPost, users)
				if err != nil || got != want {
					t.Errorf("concurrent render differs: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
}
