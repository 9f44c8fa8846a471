package guidelines

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"parley/app/errs"
	"parley/app/render"
)

// Limits on a guidelines document.
const (
	MaxBytes    = 100 << 10 // the markdown, in bytes
	MaxSections = 100
	MaxTitle    = 200 // runes of a section title
	MaxSummary  = 300 // runes of the summary of a change
)

// Section is one numbered section: a level-2 heading of the markdown and
// everything up to the next one.
type Section struct {
	Number int    `json:"number"`
	Title  string `json:"title"`  // plain text
	Anchor string `json:"anchor"` // "section-N", the id in the page
}

// Anchor is the id of section n in the guidelines page.
func Anchor(n int) string { return "section-" + strconv.Itoa(n) }

// part is a stretch of the source: the intro (Title "") or a section.
type part struct {
	title string // the heading's markdown
	body  string
}

// blockParser finds the document's structure only: no inline parsers, so
// the cost is linear whatever the text holds (the text is rendered by
// package render, section by section, with its guards).
var blockParser = sync.OnceValue(func() parser.Parser {
	return parser.NewParser(
		parser.WithBlockParsers(parser.DefaultBlockParsers()...),
		parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
	)
})

// Normalize gives the markdown the form it is stored in: LF line ends,
// valid UTF-8, no NUL, no trailing blank space, no leading blank lines.
func Normalize(src string) string {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	src = strings.ReplaceAll(src, "\r", "\n")
	src = strings.ToValidUTF8(src, "\uFFFD")
	src = strings.ReplaceAll(src, "\x00", "")
	src = strings.TrimRight(src, " \t\n")
	for strings.HasPrefix(src, "\n") || strings.HasPrefix(strings.TrimLeft(src, " \t"), "\n") {
		_, src, _ = strings.Cut(src, "\n")
	}
	return src
}

// split cuts normalised markdown at its top-level level-2 headings (ATX
// "## Title" or setext "Title\n---"; headings inside lists, quotes or code
// do not count). An empty "##" heading is an error.
func split(src string) (intro string, parts []part, err error) {
	source := []byte(src)
	doc := blockParser().Parse(text.NewReader(source))
	type cut struct {
		start, end int // the heading's lines
		title      string
	}
	var cuts []cut
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		if !ok || h.Level != 2 {
			continue
		}
		lines := h.Lines()
		if lines.Len() == 0 {
			return "", nil, errs.Field("body", "section %d has an empty heading: give every “##” heading a title", len(cuts)+1)
		}
		first, last := lines.At(0), lines.At(lines.Len()-1)
		start := lineStart(source, first.Start)
		end := lineEnd(source, last.Start)
		if !isATX(source[start:]) {
			end = lineEnd(source, end) // the setext underline
		}
		titles := make([]string, lines.Len())
		for i := range lines.Len() {
			seg := lines.At(i)
			titles[i] = strings.TrimSpace(string(seg.Value(source)))
		}
		cuts = append(cuts, cut{start: start, end: end, title: strings.Join(titles, " ")})
	}
	if len(cuts) == 0 {
		return src, nil, nil
	}
	intro = src[:cuts[0].start]
	for i, c := range cuts {
		stop := len(src)
		if i+1 < len(cuts) {
			stop = cuts[i+1].start
		}
		parts = append(parts, part{title: c.title, body: src[c.end:stop]})
	}
	return intro, parts, nil
}

func lineStart(b []byte, pos int) int {
	return bytes.LastIndexByte(b[:pos], '\n') + 1
}

// lineEnd is the position after the newline ending the line that holds pos.
func lineEnd(b []byte, pos int) int {
	if pos >= len(b) {
		return len(b)
	}
	if i := bytes.IndexByte(b[pos:], '\n'); i >= 0 {
		return pos + i + 1
	}
	return len(b)
}

// isATX reports a line that opens an ATX heading: up to three spaces, then #.
func isATX(line []byte) bool {
	for i := 0; i < len(line) && i < 4; i++ {
		switch line[i] {
		case ' ':
			continue
		case '#':
			return true
		}
		return false
	}
	return false
}

// built is a checked, rendered document.
type built struct {
	markdown string
	html     string
	sections []Section
}

// docTemplate composes the document from parts that package render made
// (bodies, already sanitised) and plain text (titles, escaped here), so no
// user text is ever concatenated into HTML.
var docTemplate = template.Must(template.New("guidelines").Parse(
	`{{with .Intro}}<div class="guidelines-intro">{{.}}</div>
{{end}}{{range .Sections}}<section class="guidelines-section" id="{{.Anchor}}" aria-labelledby="{{.Anchor}}-title">
<h2 id="{{.Anchor}}-title"><a class="section-number" href="#{{.Anchor}}">{{.Number}}.</a> {{.Title}}</h2>
{{.Body}}</section>
{{end}}`))

type composedSection struct {
	Section
	Body template.HTML
}

// build checks markdown and renders it: each section's body through
// render on its own, the numbered headings and anchors by docTemplate.
// Bad input is an errs field error on "body".
func build(r *render.Renderer, src string) (*built, error) {
	src = Normalize(src)
	switch {
	case src == "":
		return nil, errs.Field("body", "the guidelines are empty")
	case len(src) > MaxBytes:
		return nil, errs.Field("body", "the guidelines are %d KB long; the limit is %d KB", (len(src)+1023)>>10, MaxBytes>>10)
	}
	intro, parts, err := split(src)
	if err != nil {
		return nil, err
	}
	switch {
	case len(parts) == 0:
		return nil, errs.Field("body", "the guidelines have no sections: start each section with a level-2 heading, such as “## Be kind”")
	case len(parts) > MaxSections:
		return nil, errs.Field("body", "the guidelines have %d sections; the limit is %d", len(parts), MaxSections)
	}
	var data struct {
		Intro    template.HTML
		Sections []composedSection
	}
	if data.Intro, err = renderPart(r, intro); err != nil {
		return nil, errs.Field("body", "the text before the first section %s", err)
	}
	out := &built{markdown: src}
	for i, p := range parts {
		n := i + 1
		title, err := plainTitle(r, p.title)
		if err != nil {
			return nil, errs.Field("body", "the title of section %d %s", n, err)
		}
		body, err := renderPart(r, p.body)
		if err != nil {
			return nil, errs.Field("body", "section %d (“%s”) %s", n, title, err)
		}
		s := Section{Number: n, Title: title, Anchor: Anchor(n)}
		out.sections = append(out.sections, s)
		data.Sections = append(data.Sections, composedSection{Section: s, Body: body})
	}
	var buf bytes.Buffer
	if err := docTemplate.Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("guidelines: compose: %w", err)
	}
	out.html = buf.String()
	return out, nil
}

// renderPart renders one stretch of markdown; blank text is no HTML. The
// error completes a sentence ("section 3 … is too long …").
func renderPart(r *render.Renderer, md string) (template.HTML, error) {
	if strings.TrimSpace(md) == "" {
		return "", nil
	}
	h, err := r.Render(md, nil)
	switch {
	case errors.Is(err, render.ErrTooLong):
		return "", fmt.Errorf("is too long: at most %d characters per section", render.MaxBody)
	case errors.Is(err, render.ErrEmpty):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("cannot be shown: %w", err)
	}
	return template.HTML(h), nil //nolint:gosec // the output of render (sanitised by its bluemonday policy)
}

// plainTitle turns a heading's markdown into its plain text ("Be **kind**"
// reads "Be kind"), through render so that it reads as it looks.
func plainTitle(r *render.Renderer, md string) (string, error) {
	if utf8.RuneCountInString(md) > MaxTitle*4 {
		return "", fmt.Errorf("is longer than %d characters", MaxTitle)
	}
	h, err := r.Render(md, nil)
	if err != nil && !errors.Is(err, render.ErrEmpty) {
		return "", fmt.Errorf("cannot be shown: %w", err)
	}
	t := render.PlainText(h, MaxTitle+1)
	switch {
	case t == "":
		return "", errors.New("is empty")
	case utf8.RuneCountInString(t) > MaxTitle:
		return "", fmt.Errorf("is longer than %d characters", MaxTitle)
	}
	return t, nil
}

// sectionsOf reads the sections of stored markdown (already checked when
// it was published) without rendering bodies.
func sectionsOf(r *render.Renderer, src string) []Section {
	_, parts, err := split(src)
	if err != nil {
		return nil
	}
	out := make([]Section, 0, len(parts))
	for i, p := range parts {
		title, err := plainTitle(r, p.title)
		if err != nil {
			title = "Section " + strconv.Itoa(i+1)
		}
		out = append(out, Section{Number: i + 1, Title: title, Anchor: Anchor(i + 1)})
	}
	return out
}
