package render

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// PlainText returns the text content of rendered HTML collapsed to single
// spaces and cut to max runes (with "…"), for excerpts and meta
// descriptions. The result, ellipsis included, is at most max runes; the
// caller still has to escape it for wherever it goes.
func PlainText(s string, max int) string {
	if max <= 0 {
		return ""
	}
	var (
		b       strings.Builder
		runes   int
		space   bool // a space is owed before the next text
		skip    int  // depth inside elements whose text is not content
		z       = html.NewTokenizer(strings.NewReader(s))
		stopped bool
	)
	// Collect at most max+1 runes: one more than fits tells us to cut,
	// without reading the rest of a long document.
	for !stopped {
		switch tt := z.Next(); tt {
		case html.ErrorToken:
			stopped = true
		case html.TextToken:
			if skip > 0 {
				continue
			}
			for _, r := range string(z.Text()) {
				if unicode.IsSpace(r) {
					space = runes > 0
					continue
				}
				if space {
					b.WriteByte(' ')
					runes++
					space = false
				}
				b.WriteRune(r)
				runes++
				if runes > max {
					stopped = true
					break
				}
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			tag := string(name)
			if hiddenText[tag] {
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
				continue
			}
			// "<p>a</p><p>b</p>" reads as "a b", but "a<em>b</em>" as "ab".
			if !inlineTag[tag] && runes > 0 {
				space = true
			}
		}
	}
	out := b.String()
	if runes <= max {
		return out
	}
	// Cut to max-1 runes and add the ellipsis.
	cut := 0
	for i := 0; i < max-1; i++ {
		_, size := utf8.DecodeRuneInString(out[cut:])
		cut += size
	}
	return strings.TrimRightFunc(out[:cut], unicode.IsSpace) + "…"
}

// hiddenText lists elements whose text a reader never sees. Sanitized
// output has none of them, but PlainText accepts any HTML.
var hiddenText = map[string]bool{
	"script": true, "style": true, "template": true, "noscript": true,
	"title": true, "textarea": true, "iframe": true, "object": true,
}

// inlineTag lists phrasing elements that do not separate words.
var inlineTag = map[string]bool{
	"a": true, "abbr": true, "b": true, "bdi": true, "bdo": true,
	"cite": true, "code": true, "del": true, "dfn": true, "em": true,
	"i": true, "ins": true, "kbd": true, "mark": true, "q": true, "s": true,
	"samp": true, "small": true, "span": true, "strike": true,
	"strong": true, "sub": true, "sup": true, "time": true, "tt": true,
	"u": true, "var": true,
}
