package render

import "strings"

// maxLineNesting caps how many block containers (">" quotes and list
// items) a single line may open.
//
// goldmark recomputes a line's column from the start of the line for every
// container it opens, so a line of 20,000 ">" costs O(n²) — about 150 ms on
// its own, and the resulting 20,000-deep HTML is useless to readers anyway.
// Nobody quotes or nests lists 32 deep on purpose.
const maxLineNesting = 32

// capNesting makes the container marker that would open level
// maxLineNesting+1 on any line literal text by escaping it with a
// backslash, so the rest of that line is read as plain text inside the
// deepest allowed level.
//
// It is a line-based approximation of CommonMark's container rules. It
// errs towards counting too many markers, which only matters for lines
// that already have more than maxLineNesting of them.
func capNesting(src string) string {
	var b strings.Builder
	start := 0
	for start < len(src) {
		end := strings.IndexByte(src[start:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += start + 1
		}
		line := src[start:end]
		if at := overNesting(line); at >= 0 {
			if b.Len() == 0 {
				b.Grow(len(src) + 64)
				b.WriteString(src[:start])
			}
			b.WriteString(line[:at])
			b.WriteByte('\\')
			b.WriteString(line[at:])
		} else if b.Len() > 0 {
			b.WriteString(line)
		}
		start = end
	}
	if b.Len() == 0 {
		return src
	}
	return b.String()
}

// overNesting returns the byte offset of the container marker that would
// open level maxLineNesting+1 on line, or -1 if there is none.
func overNesting(line string) int {
	depth := 0
	i := 0
	for i < len(line) {
		// White space between markers is skipped whatever its width: more
		// than four columns can end container parsing (indented code), but
		// tab stops make the exact rule column-dependent, and counting a
		// marker too many is the safe direction.
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i == len(line) {
			return -1
		}
		n := markerLen(line[i:])
		if n == 0 {
			return -1
		}
		if depth++; depth > maxLineNesting {
			if isThematicBreak(line[i:]) {
				return -1 // "- - - - …" is a horizontal rule, not lists
			}
			return i + n - 1 // the marker's last byte: ">", "-" or the "." of "1."
		}
		i += n
	}
	return -1
}

// markerLen returns the length of the block quote or list marker that s
// starts with, or 0.
func markerLen(s string) int {
	switch s[0] {
	case '>':
		return 1
	case '-', '*', '+':
		if len(s) == 1 || s[1] == ' ' || s[1] == '\t' || s[1] == '\n' || s[1] == '\r' {
			return 1
		}
		return 0
	}
	// Ordered list: 1-9 digits, then '.' or ')', then space or end of line.
	d := 0
	for d < len(s) && d < 10 && s[d] >= '0' && s[d] <= '9' {
		d++
	}
	if d == 0 || d > 9 || d == len(s) || (s[d] != '.' && s[d] != ')') {
		return 0
	}
	if d+1 == len(s) || strings.IndexByte(" \t\r\n", s[d+1]) >= 0 {
		return d + 1
	}
	return 0
}

// isThematicBreak reports whether s consists only of one of '-', '*', '_'
// and white space, as a thematic break does.
func isThematicBreak(s string) bool {
	c := s[0]
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case c, ' ', '\t', '\r', '\n':
		default:
			return false
		}
	}
	return c == '-' || c == '*' || c == '_'
}
