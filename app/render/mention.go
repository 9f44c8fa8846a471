package render

import (
	"html"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// MentionFunc resolves a name written after '@' (without the '@') to the
// canonical username to display and link; ok=false leaves the text as is.
type MentionFunc func(name string) (canonical string, ok bool)

const (
	// maxNameRunes is the longest name recognised after '@'.
	maxNameRunes = 30
	// maxMentions bounds both Mentions' result and the number of distinct
	// names Render asks MentionFunc about, so a post cannot turn into
	// thousands of user lookups or notifications, and the two agree on
	// which names count.
	maxMentions = 50
)

// kindMention is registered once at package initialisation, as goldmark
// requires for custom node kinds.
var kindMention = ast.NewNodeKind("Mention")

// mentionNode is an @name found by mentionParser. Render fills in canonical
// and resolved from the caller's MentionFunc just before rendering, so the
// parsed tree never depends on the database.
type mentionNode struct {
	ast.BaseInline
	name      string       // as written, without '@'
	segment   text.Segment // source of "@name", used to turn it back into text
	canonical string
	resolved  bool
}

func (n *mentionNode) Kind() ast.NodeKind { return kindMention }

func (n *mentionNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Name": n.name}, nil)
}

// mentionParser is a goldmark inline parser triggered by '@'. Being an inline
// parser is what keeps mentions out of code spans and code blocks: goldmark
// never runs inline parsers there. Mentions inside link text are turned back
// into text by linkTransformer, because whether "[" starts a link is only
// known after the mention has been parsed.
type mentionParser struct{}

func (mentionParser) Trigger() []byte { return []byte{'@'} }

func (mentionParser) Parse(_ ast.Node, block text.Reader, _ parser.Context) ast.Node {
	// "foo@bar" and "a@b.com" are not mentions: the '@' must start a word.
	if !mentionBoundary(block.PrecendingCharacter()) {
		return nil
	}
	line, seg := block.PeekLine()
	n := scanMention(line)
	if n == 0 {
		return nil
	}
	block.Advance(1 + n)
	return &mentionNode{name: string(line[1 : 1+n]), segment: seg.WithStop(seg.Start + 1 + n)}
}

// mentionBoundary reports whether r may directly precede a mention's '@'.
// Word characters, '.', '-', '+' and '/' are excluded so that e-mail
// addresses, "foo@bar" and paths like "example.com/@x" are not mentions.
// Combining marks count as word characters so "é@x" behaves the same whether
// the é is precomposed or not.
func mentionBoundary(r rune) bool {
	if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r) {
		return false
	}
	return !strings.ContainsRune("_.-+/@", r)
}

func isNameRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-' || r == '.'
}

// scanMention looks at b, which starts with '@', and returns the byte length
// of the mentioned name after the '@', or 0 if there is no mention.
//
// The name is the longest run of name characters, minus any trailing '.' or
// '-' (so "@bob." at the end of a sentence mentions bob). A run whose name
// exceeds maxNameRunes is not a mention at all rather than a truncated one,
// and neither is a run followed by another '@' ("@bob@example.org" is an
// address, not a mention of bob).
func scanMention(b []byte) int {
	end := 1     // byte offset just after the run
	nameEnd := 0 // byte offset just after the last rune that may end a name
	runes, nameRunes := 0, 0
	for end < len(b) {
		r, size := utf8.DecodeRune(b[end:])
		if !isNameRune(r) {
			break
		}
		end += size
		runes++
		if r != '.' && r != '-' {
			nameEnd, nameRunes = end, runes
			if nameRunes > maxNameRunes {
				return 0
			}
		}
	}
	if nameRunes == 0 || (end < len(b) && b[end] == '@') {
		return 0
	}
	return nameEnd - 1
}

// resolveMentions asks mention about each distinct name, at most maxMentions
// of them in order of first appearance, and records the answers in the
// tree. Later names stay plain text, matching what Mentions reports.
func resolveMentions(doc ast.Node, mention MentionFunc) {
	if mention == nil {
		return
	}
	type answer struct {
		canonical string
		ok        bool
	}
	seen := make(map[string]answer)
	_ = ast.Walk(doc, func(node ast.Node, entering bool) (ast.WalkStatus, error) {
		m, ok := node.(*mentionNode)
		if !ok || !entering {
			return ast.WalkContinue, nil
		}
		a, known := seen[m.name]
		if !known {
			if len(seen) >= maxMentions {
				return ast.WalkContinue, nil
			}
			a.canonical, a.ok = mention(m.name)
			// "/u/." and "/u/.." would resolve to other pages; an empty
			// name links nowhere. Treat all three as unknown users.
			if a.canonical == "" || a.canonical == "." || a.canonical == ".." {
				a.ok = false
			}
			seen[m.name] = a
		}
		m.canonical, m.resolved = a.canonical, a.ok
		return ast.WalkContinue, nil
	})
}

// mentionHTMLRenderer writes resolved mentions as profile links and leaves
// unresolved ones exactly as the user typed them.
type mentionHTMLRenderer struct{}

func (mentionHTMLRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindMention, renderMention)
}

func renderMention(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	m := node.(*mentionNode)
	if !m.resolved {
		_, _ = w.WriteString(html.EscapeString("@" + m.name))
		return ast.WalkContinue, nil
	}
	// rel is the same on every link we emit; the policy only accepts that
	// exact value (see policy.go).
	_, _ = w.WriteString(`<a class="mention" href="/u/`)
	_, _ = w.WriteString(html.EscapeString(url.PathEscape(m.canonical)))
	_, _ = w.WriteString(`" rel="` + linkRel + `">@`)
	_, _ = w.WriteString(html.EscapeString(m.canonical))
	_, _ = w.WriteString(`</a>`)
	return ast.WalkContinue, nil
}

// Mentions returns the distinct names written as @name in src, in order of
// first appearance, at most 50, ignoring code spans, fenced/indented code blocks
// and e-mail addresses (a@b.com is not a mention), and link text/URLs.
//
// It parses src with the same parser as Render, so a name is reported here
// exactly when Render would ask MentionFunc about it. Sources Render would
// refuse (too long, empty) have no mentions.
func Mentions(src string) []string {
	clean, err := prepare(src)
	if err != nil {
		return nil
	}
	doc := sharedMarkdown().Parser().Parse(text.NewReader([]byte(clean)))
	var names []string
	seen := make(map[string]bool)
	_ = ast.Walk(doc, func(node ast.Node, entering bool) (ast.WalkStatus, error) {
		m, ok := node.(*mentionNode)
		if !ok || !entering || seen[m.name] {
			return ast.WalkContinue, nil
		}
		seen[m.name] = true
		names = append(names, m.name)
		if len(names) == maxMentions {
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	return names
}
