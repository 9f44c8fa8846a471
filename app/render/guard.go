package render

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Two goldmark inline algorithms are quadratic on hostile input, each
// costing seconds for a 32,000 character post:
//
//   - every "](" makes goldmark scan the rest of the line for the end of a
//     link destination, so "[](" repeated 10,000 times scans ~50 MB;
//   - every run of '*', '_' or '~' goes onto a delimiter list that is
//     searched from each closer back to the start of the block, so
//     "_\t*" repeated is O(runs²).
//
// The guards below are inline parsers that run before goldmark's own for
// the same characters. Normally they return nil and goldmark proceeds as
// usual; past a budget they consume the character(s) as plain text, exactly
// as if the user had backslash-escaped them. The budgets are far beyond
// what real posts use, so only crafted input is affected, and it still
// renders, just with the excess markup shown literally.
const (
	// maxDestinationScan is the total number of bytes goldmark may scan
	// looking for link destinations in one document. Real posts scan about
	// the total length of their URLs.
	maxDestinationScan = 1 << 20
	// maxDelimiterRuns is how many emphasis/strikethrough delimiter runs one
	// block (paragraph, heading, table cell) may have. 500 runs is 250
	// emphasised spans in a single paragraph; processing them costs ~1 ms.
	maxDelimiterRuns = 500
)

// guardState is the per-parse budget, kept in the goldmark parser.Context
// so that concurrent parses never share it.
type guardState struct {
	block    ast.Node // block whose delimiter runs are being counted
	runs     int
	destLeft int
}

var guardKey = parser.NewContextKey()

func guardOf(pc parser.Context) *guardState {
	if g, ok := pc.Get(guardKey).(*guardState); ok {
		return g
	}
	g := &guardState{destLeft: maxDestinationScan}
	pc.Set(guardKey, g)
	return g
}

// literal consumes n bytes at the reader's position as plain text.
func literal(block text.Reader, n int) ast.Node {
	_, seg := block.PeekLine()
	block.Advance(n)
	return ast.NewTextSegment(seg.WithStop(seg.Start + n))
}

// delimiterGuard limits delimiter runs per block.
type delimiterGuard struct{}

func (delimiterGuard) Trigger() []byte { return []byte{'*', '_', '~'} }

func (delimiterGuard) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	g := guardOf(pc)
	// goldmark parses blocks one at a time and clears the delimiter list
	// after each, so the count restarts whenever the block changes.
	if g.block != parent {
		g.block, g.runs = parent, 0
	}
	if g.runs++; g.runs <= maxDelimiterRuns {
		return nil
	}
	line, _ := block.PeekLine()
	n := 1
	for n < len(line) && line[n] == line[0] {
		n++
	}
	return literal(block, n)
}

// destinationGuard limits the bytes scanned for link destinations per
// document.
type destinationGuard struct{}

func (destinationGuard) Trigger() []byte { return []byte{']'} }

func (destinationGuard) Parse(_ ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, _ := block.PeekLine()
	if len(line) < 2 || line[1] != '(' {
		return nil // not an inline link; nothing expensive follows
	}
	g := guardOf(pc)
	if g.destLeft > 0 {
		g.destLeft -= destinationScanLen(line[2:], g.destLeft)
		if g.destLeft > 0 {
			return nil
		}
	}
	return literal(block, 1)
}

// destinationScanLen returns how many bytes of s goldmark's
// parseLinkDestination examines, or limit if that is at least limit (so
// the guard's own work is bounded by the budget too).
func destinationScanLen(s []byte, limit int) int {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	if i < len(s) && s[i] == '<' {
		for i++; i < len(s) && i < limit; i++ {
			switch s[i] {
			case '\\':
				i++
			case '>':
				return i + 1
			}
		}
		return min(i, limit)
	}
	opened := 0
	for ; i < len(s) && i < limit; i++ {
		switch s[i] {
		case '\\':
			i++
		case '(':
			opened++
		case ')':
			if opened--; opened < 0 {
				return i
			}
		case ' ', '\t', '\n', '\r':
			return i
		}
	}
	return min(i, limit)
}
