package render

import (
	"bytes"
	"html"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// rawHTMLRenderer shows raw HTML written in markdown as literal text.
//
// goldmark's safe mode replaces it with "<!-- raw HTML omitted -->", which
// silently eats what the user typed: a post saying "use <br> here" would lose
// the tag, and a pasted HTML snippet would vanish entirely. Escaping keeps
// the text visible while still never letting markup through.
type rawHTMLRenderer struct{}

func (rawHTMLRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, renderRawHTML)
	reg.Register(ast.KindHTMLBlock, renderHTMLBlock)
}

func renderRawHTML(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	segs := node.(*ast.RawHTML).Segments
	for i := range segs.Len() {
		seg := segs.At(i)
		value := seg.Value(source)
		// An inline tag may span lines; keep the hard-wrap behaviour.
		for len(value) > 0 {
			line, rest, found := bytes.Cut(value, []byte{'\n'})
			writeEscaped(w, line)
			if found {
				_, _ = w.WriteString("<br>\n")
			}
			value = rest
		}
	}
	return ast.WalkSkipChildren, nil
}

// renderHTMLBlock writes an HTML block as a paragraph of its escaped lines.
func renderHTMLBlock(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.HTMLBlock)
	lines := n.Lines()
	if entering {
		_, _ = w.WriteString("<p>")
		for i := range lines.Len() {
			if i > 0 {
				_, _ = w.WriteString("<br>\n")
			}
			line := lines.At(i)
			writeEscaped(w, line.Value(source))
		}
		return ast.WalkContinue, nil
	}
	if n.HasClosure() {
		if lines.Len() > 0 {
			_, _ = w.WriteString("<br>\n")
		}
		writeEscaped(w, n.ClosureLine.Value(source))
	}
	_, _ = w.WriteString("</p>\n")
	return ast.WalkContinue, nil
}

// writeEscaped writes one line of source as HTML text, without its line
// ending.
func writeEscaped(w util.BufWriter, line []byte) {
	line = bytes.TrimRight(line, "\r\n")
	_, _ = w.WriteString(html.EscapeString(string(line)))
}
