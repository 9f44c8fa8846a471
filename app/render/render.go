// Package render turns forum markdown into sanitized HTML.
//
// It is the only place in Parley where HTML derived from user input is
// produced, so every HTML string it returns has passed through the single
// bluemonday policy built in New. The package is pure: no I/O, no database,
// and no package state that changes after first use. Anything that depends on
// the outside world (such as whether a mentioned user exists) is passed in by
// the caller.
package render

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// MaxBody is the longest accepted source, in characters (runes). Longer
// sources are refused before parsing so that parse cost stays bounded.
const MaxBody = 32000

var (
	// ErrTooLong is returned by Render for sources over MaxBody runes, and
	// (wrapped) for the rare source whose HTML would be unreasonably large.
	ErrTooLong = errors.New("render: text is too long")
	// ErrEmpty is returned by Render when the source is empty or only
	// whitespace.
	ErrEmpty = errors.New("render: text is empty")
)

// Renderer is safe for concurrent use; build once with New.
//
// goldmark parsers and renderers keep per-call state in a parser.Context and
// bluemonday policies are read-only after construction, so one Renderer can
// serve every request.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// New builds a Renderer. It is relatively expensive (regexps, option
// sorting), so build one at start-up and share it.
func New() *Renderer {
	return &Renderer{md: newMarkdown(), policy: newPolicy()}
}

// Render turns markdown into sanitized HTML. mention may be nil, in which
// case every @name stays plain text.
func (r *Renderer) Render(src string, mention MentionFunc) (string, error) {
	clean, err := prepare(src)
	if err != nil {
		return "", err
	}
	source := []byte(clean)
	pc := parser.NewContext()
	doc := r.md.Parser().Parse(text.NewReader(source), parser.WithContext(pc))
	if pc.Get(urlBytesKey) != nil {
		return "", fmt.Errorf("%w: links would repeat more than %d bytes of URLs", ErrTooLong, maxHTML)
	}
	resolveMentions(doc, mention)

	var buf bytes.Buffer
	if err := r.md.Renderer().Render(&limitWriter{w: &buf, left: maxHTML}, source, doc); err != nil {
		if errors.Is(err, errHTMLTooLarge) {
			return "", fmt.Errorf("%w: rendered HTML would exceed %d bytes", ErrTooLong, maxHTML)
		}
		return "", fmt.Errorf("render: %w", err)
	}
	// The goldmark output is built only from our own renderers (raw HTML is
	// escaped, see rawhtml.go), but the policy is the security boundary: it
	// is applied unconditionally so a bug above cannot reach a browser.
	return r.policy.Sanitize(buf.String()), nil
}

// prepare enforces the size limit and normalises the source. It is shared by
// Render and Mentions so that both see exactly the same text.
func prepare(src string) (string, error) {
	// Counting runes is linear and allocation-free, so it is safe to do on
	// arbitrarily large input before anything else.
	if utf8.RuneCountInString(src) > MaxBody {
		return "", ErrTooLong
	}
	// Invalid UTF-8 would otherwise flow into attribute values and text;
	// NUL bytes are meaningless in a post and some databases reject them.
	src = strings.ToValidUTF8(src, "\uFFFD")
	src = strings.ReplaceAll(src, "\x00", "")
	if strings.TrimSpace(src) == "" {
		return "", ErrEmpty
	}
	return capNesting(src), nil
}
