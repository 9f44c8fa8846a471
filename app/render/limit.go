package render

import (
	"errors"
	"io"
)

// maxHTML caps the size of the HTML goldmark may write for one source.
//
// MaxBody bounds the input, but markdown can amplify: a single long link
// reference definition can be used thousands of times with "[a]", each use
// repeating the URL. Ordinary posts expand by well under 20x (the worst
// realistic case is a page of short mentions or autolinks, ~640 KB at
// MaxBody), so 2 MiB never trips on real content yet keeps the sanitizer's
// work and the stored HTML bounded.
const maxHTML = 2 << 20

var errHTMLTooLarge = errors.New("rendered HTML too large")

// limitWriter fails every write once left bytes have been written. goldmark
// wraps it in a bufio.Writer whose error is sticky, so after the first
// failure the remaining AST walk writes nothing and Render returns the error.
type limitWriter struct {
	w    io.Writer
	left int
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if len(p) > l.left {
		l.left = 0
		return 0, errHTMLTooLarge
	}
	l.left -= len(p)
	return l.w.Write(p)
}
