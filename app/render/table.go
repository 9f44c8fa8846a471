package render

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// maxTableCells bounds the cells one table may have, padding included.
//
// GFM pads every body row to the header's width, and goldmark does so while
// parsing. A 4,000-column header (16 KB) followed by 8,000 one-character
// lines would therefore build 32 million cells from a 32 KB post. Explicitly
// written cells cost at least one '|' each, so only padding can get near
// this limit; real forum tables are nowhere close.
const maxTableCells = 20000

// cappedTable wraps goldmark's table paragraph transformer and declines to
// turn a paragraph into a table when the result could exceed
// maxTableCells. The paragraph then renders as ordinary text.
type cappedTable struct {
	inner parser.ParagraphTransformer
}

func (t cappedTable) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	lines := node.Lines()
	source := reader.Source()
	// goldmark uses the first line that parses as a delimiter row. We check
	// every line that might, with an upper bound on its column count, so the
	// estimate can only err towards refusing.
	for i := 1; i < lines.Len(); i++ {
		seg := lines.At(i)
		line := seg.Value(source)
		if !maybeDelimiterRow(line) {
			continue
		}
		cols := bytes.Count(line, []byte{'|'}) + 1
		rows := lines.Len() - i // header plus body rows
		if cols*rows > maxTableCells {
			return
		}
	}
	t.inner.Transform(node, reader, pc)
}

// maybeDelimiterRow reports whether line could be a GFM delimiter row such
// as "| --- | :-: |": only '-', ':', '|' and white space, and not only
// dashes. This is the same test goldmark applies before parsing the row.
func maybeDelimiterRow(line []byte) bool {
	onlyDashes := true
	for _, c := range line {
		switch c {
		case '-':
		case ':', '|', ' ', '\t', '\v', '\f', '\r', '\n':
			onlyDashes = false
		default:
			return false
		}
	}
	return !onlyDashes
}
