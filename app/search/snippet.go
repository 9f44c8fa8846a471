package search

import (
	"html"
	"sort"
	"strings"
	"unicode/utf8"
)

// termAt is where a matched term sits in a field's text (byte offsets).
type termAt struct {
	term       string
	start, end int
}

// fieldTerms are a hit's term locations by field.
type fieldTerms map[string][]termAt

// Snippet sizes in bytes of plain text: the window starts a little before
// the first match so it reads as a sentence.
const (
	snippetBytes  = 240
	snippetBefore = 60
)

// snippet cuts a window of text around the first match and marks every
// match in it. The result is HTML: the user's text is escaped, and the
// only markup is <mark> (and an ellipsis where the text was cut). text is
// the post's plain text as it was indexed (same function), so the
// offsets fit; any that do not (an edit the index has not seen yet) are
// dropped rather than trusted.
func snippet(text string, locs []termAt) string {
	valid := make([]termAt, 0, len(locs))
	for _, l := range locs {
		if l.start >= 0 && l.start < l.end && l.end <= len(text) && onRune(text, l.start) && onRune(text, l.end) {
			valid = append(valid, l)
		}
	}
	sort.Slice(valid, func(i, j int) bool { return valid[i].start < valid[j].start })
	from := 0
	if len(valid) > 0 && valid[0].start > snippetBefore {
		from = valid[0].start - snippetBefore
		// Start at a word: after the next space, if one is near.
		if i := strings.IndexByte(text[from:valid[0].start], ' '); i >= 0 {
			from += i + 1
		}
		for !onRune(text, from) {
			from++
		}
	}
	to := min(len(text), from+snippetBytes)
	if to < len(text) {
		if i := strings.LastIndexByte(text[from:to], ' '); i > snippetBytes/2 {
			to = from + i
		}
		for !onRune(text, to) {
			to--
		}
	}
	var b strings.Builder
	if from > 0 {
		b.WriteString("…")
	}
	cur := from
	for _, l := range valid {
		if l.start < cur || l.end > to {
			continue // overlaps the previous mark, or outside the window
		}
		b.WriteString(html.EscapeString(text[cur:l.start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[l.start:l.end]))
		b.WriteString("</mark>")
		cur = l.end
	}
	b.WriteString(html.EscapeString(text[cur:to]))
	if to < len(text) {
		b.WriteString("…")
	}
	return b.String()
}

func onRune(s string, i int) bool {
	return i == len(s) || (i >= 0 && i < len(s) && utf8.RuneStart(s[i]))
}

// corrected rewrites the query with each plain word replaced by the
// closest word that the fuzzy retry actually matched in the results shown,
// for "showing results for …".
func corrected(q *Query, raw string, results []Result) string {
	seen := map[string]bool{}
	for _, r := range results {
		if r.doc == nil {
			continue
		}
		body := plain(r.doc.HTML)
		for field, locs := range r.locations {
			text := body
			if strings.HasPrefix(field, "title_") {
				text = r.doc.Title
			}
			for _, l := range locs {
				if l.start >= 0 && l.start < l.end && l.end <= len(text) {
					seen[strings.ToLower(text[l.start:l.end])] = true
				}
			}
		}
	}
	fix := map[string]string{}
	for _, w := range q.Words {
		lw := strings.ToLower(w)
		best, bestD := "", 3
		for cand := range seen {
			if d := levenshtein(lw, cand); d < bestD || (d == bestD && cand < best) {
				best, bestD = cand, d
			}
		}
		if best != "" && best != lw {
			fix[lw] = best
		}
	}
	parts := strings.Fields(raw)
	for i, p := range parts {
		if c, ok := fix[strings.ToLower(p)]; ok {
			parts[i] = c
		}
	}
	return strings.Join(parts, " ")
}

// levenshtein is the edit distance of two short words, in runes.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
