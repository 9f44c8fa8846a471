package guidelines

import (
	"fmt"
	"strings"
	"testing"

	"parley/app/errs"
	"parley/app/render"
)

func titles(b *built) string {
	var out []string
	for _, s := range b.sections {
		out = append(out, fmt.Sprintf("%d:%s", s.Number, s.Title))
	}
	return strings.Join(out, "|")
}

func TestBuildSections(t *testing.T) {
	r := render.New()
	cases := []struct {
		name, src, want string
	}{
		{"atx", "## Be kind\nNo insults.\n\n## Stay on topic\nKeep to the thread.", "1:Be kind|2:Stay on topic"},
		{"closing hashes and emphasis", "##   Be **kind** ##\ntext", "1:Be kind"},
		{"setext", "Be kind\n-------\ntext\n\nStay on topic\n---\nmore", "1:Be kind|2:Stay on topic"},
		{"intro and other levels", "# Our rules\nWelcome.\n\n## One\n### Detail\ntext\n#### Deeper\n## Two", "1:One|2:Two"},
		{"fenced code", "## Real\n```\n## not a section\n```\n~~~md\n## nor this\n~~~\n## Second", "1:Real|2:Second"},
		{"lists and quotes", "## Real\n- ## in a list\n> ## in a quote\n\n    ## indented code\n\n## Second", "1:Real|2:Second"},
		{"no space is no heading", "##Not a heading\n## Real", "1:Real"},
		{"crlf", "## One\r\ntext\r\n## Two\r\n", "1:One|2:Two"},
		{"html in a title", "## <b>Bold</b> & <script>x</script>\ntext", "1:<b>Bold</b> & <script>x</script>"},
	}
	for _, c := range cases {
		b, err := build(r, c.src)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := titles(b); got != c.want {
			t.Errorf("%s: sections %q, want %q", c.name, got, c.want)
		}
		for _, s := range b.sections {
			if !strings.Contains(b.html, fmt.Sprintf(`<section class="guidelines-section" id="section-%d"`, s.Number)) ||
				!strings.Contains(b.html, fmt.Sprintf(`<a class="section-number" href="#section-%d">%d.</a>`, s.Number, s.Number)) {
				t.Errorf("%s: section %d has no anchor or number in %s", c.name, s.Number, b.html)
			}
		}
		if n := strings.Count(b.html, "<section "); n != len(b.sections) {
			t.Errorf("%s: %d <section>s for %d sections", c.name, n, len(b.sections))
		}
	}
}

func TestBuildComposesSafely(t *testing.T) {
	src := "Intro with <img src=x onerror=alert(1)>.\n\n## Be <script>alert(1)</script> kind\nBody with [a link](javascript:alert(1)) and <iframe src=x></iframe>.\n\n```\n## code\n```\n"
	b, err := build(render.New(), src)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script", "<img", "<iframe", "javascript:"} {
		if strings.Contains(b.html, bad) {
			t.Errorf("HTML contains %q:\n%s", bad, b.html)
		}
	}
	if !strings.Contains(b.html, `<div class="guidelines-intro">`) || !strings.Contains(b.html, "Be &lt;script&gt;alert(1)&lt;/script&gt; kind</h2>") {
		t.Errorf("intro or escaped title missing:\n%s", b.html)
	}
	if !strings.Contains(b.html, "<pre><code>## code") {
		t.Errorf("the code block did not stay in its section:\n%s", b.html)
	}
}

func TestBuildRefusesBadInput(t *testing.T) {
	r := render.New()
	long := "## One\n" + strings.Repeat("word ", render.MaxBody/5+10)
	many := strings.Repeat("## S\ntext\n", MaxSections+1)
	cases := map[string]struct{ src, want string }{
		"empty":                 {"", "empty"},
		"blank":                 {" \n\t\n ", "empty"},
		"too big":               {strings.Repeat("## A\n"+strings.Repeat("x", 1000)+"\n", 103), "limit is 100 KB"},
		"no sections":           {"# Title\nJust text.\n### Small", "no sections"},
		"empty heading":         {"## One\ntext\n##\nmore", "section 2 has an empty heading"},
		"long section":          {long, "section 1 (“One”) is too long"},
		"too many":              {many, "the limit is 100"},
		"long title":            {"## " + strings.Repeat("t", MaxTitle+1) + "\ntext", "title of section 1 is longer"},
		"title markup":          {"## ![](x.png)\ntext", "title of section 1 is empty"},
		"long intro":            {strings.Repeat("intro ", render.MaxBody/6+10) + "\n## One\ntext", "before the first section is too long"},
		"heading in fence only": {"```\n## nope\n```", "no sections"},
	}
	for name, c := range cases {
		_, err := build(r, c.src)
		e, ok := errs.As(err)
		if !ok || e.Kind != errs.KindInvalid || !strings.Contains(e.Fields["body"], c.want) {
			t.Errorf("%s: err = %v, want a body field error containing %q", name, err, c.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"\n\n  \n## A\r\ntext \r\n\n": "## A\ntext",
		"    code first\n":            "    code first",
		"a\x00b\xff":                  "ab\uFFFD",
		"## A\rold mac line ends\r":   "## A\nold mac line ends",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}
