package search

import (
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"parley/app/errs"
	"parley/app/forum"
)

func day(s string) time.Time {
	d, _ := time.Parse(dateLayout, s)
	return d
}

func TestParseQuery(t *testing.T) {
	tests := []struct {
		in   string
		want Query
		err  string // part of the 400 message
	}{
		{in: "tent stove", want: Query{Words: []string{"tent", "stove"}}},
		{in: `  "dry bag"  tent `, want: Query{Words: []string{"tent"}, Phrases: []string{"dry bag"}}},
		{in: `tent -stove -"gas can"`, want: Query{Words: []string{"tent"}, Excluded: []string{"stove", "gas can"}}},
		{in: "author:Anna forum:Gear-Talk tent", want: Query{Words: []string{"tent"}, Author: "Anna", Forum: "gear-talk"}},
		{in: "in:title tent", want: Query{Words: []string{"tent"}, InTitle: true}},
		{in: "has:reactions", want: Query{HasReactions: true}},
		{in: "before:2026-01-01 after:2025-06-30 x", want: Query{Words: []string{"x"}, Before: day("2026-01-01"), After: day("2025-06-30")}},
		{in: "error:404 tent,", want: Query{Words: []string{"error:404", "tent"}}},
		{in: `"unclosed phrase`, want: Query{Phrases: []string{"unclosed phrase"}}},
		{in: "a - b", want: Query{Words: []string{"a", "b"}}},
		{in: "", err: "type something"},
		{in: `  "" `, err: "type something"},
		{in: "-tent", err: "not only what to leave out"},
		{in: "before:soon tent", err: "before: wants a date like before:2026-01-01"},
		{in: "after:2026-13-01", err: "after: wants a date"},
		{in: "after:2026-02-01 before:2026-01-01", err: "must be earlier"},
		{in: "in:body tent", err: "in: takes only title"},
		{in: "has:pictures", err: "has: takes only reactions"},
		{in: "author: tent", err: "author: needs a value"},
		{in: "author:a author:b", err: "only once"},
		{in: strings.Repeat("x", 201), err: "at most 200 characters"},
		{in: strings.Repeat("w ", 13), err: "at most 12 terms"},
		{in: "\xff\xfe", err: "not valid text"},
	}
	for _, tt := range tests {
		got, err := ParseQuery(tt.in)
		if tt.err != "" {
			if !errs.Is(err, errs.KindBadRequest) || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseQuery(%q) error = %v, want a 400 containing %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseQuery(%q): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseQuery(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

// FuzzParseQuery: any input gives a query within the limits or a 400,
// never a panic.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"tent stove", `"dry bag" -"gas can"`, "author:anna forum:gear in:title has:reactions",
		"before:2026-01-01 after:2025-01-01 x", `"`, `-"`, "-", "a:b:c", "before:", "\xff", "ä ö ü ß", strings.Repeat("-x ", 20)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuery(s)
		if err != nil {
			if !errs.Is(err, errs.KindBadRequest) {
				t.Fatalf("ParseQuery(%q): error %v is not a 400", s, err)
			}
			return
		}
		if q.Empty() {
			t.Fatalf("ParseQuery(%q) accepted an empty query", s)
		}
		if n := len(q.Words) + len(q.Phrases) + len(q.Excluded); n > MaxTerms {
			t.Fatalf("ParseQuery(%q): %d terms", s, n)
		}
		for _, w := range append(append(q.Words, q.Phrases...), q.Excluded...) {
			if w == "" || !utf8.ValidString(w) {
				t.Fatalf("ParseQuery(%q): bad term %q", s, w)
			}
		}
	})
}

func TestAnalyzersCoverForumLanguages(t *testing.T) {
	m, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range forum.Languages() {
		name, ok := analyzers()[l]
		if !ok || m.AnalyzerNamed(name) == nil {
			t.Errorf("forum language %q has no analyzer", l)
		}
	}
}

func TestSnippet(t *testing.T) {
	text := `<script>alert(1)</script> and a "lantern" & more`
	i := strings.Index(text, "lantern")
	got := snippet(text, []termAt{{term: "lantern", start: i, end: i + 7}, {start: -1, end: 3}, {start: 40, end: 400}})
	want := `&lt;script&gt;alert(1)&lt;/script&gt; and a &#34;<mark>lantern</mark>&#34; &amp; more`
	if got != want {
		t.Errorf("snippet = %q\nwant      %q", got, want)
	}
	long := strings.Repeat("word ", 100) + "needle " + strings.Repeat("tail ", 100)
	i = strings.Index(long, "needle")
	got = snippet(long, []termAt{{start: i, end: i + 6}})
	if !strings.HasPrefix(got, "…word") || !strings.Contains(got, "<mark>needle</mark>") || !strings.HasSuffix(got, "…") || len(got) > snippetBytes+20 {
		t.Errorf("long snippet = %q", got)
	}
	// Offsets inside a multi-byte rune are not trusted.
	if got := snippet("ääää", []termAt{{start: 1, end: 3}}); got != "ääää" {
		t.Errorf("snippet with a split rune = %q", got)
	}
}

func TestLevenshtein(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{
		{"lantern", "lantern", 0},
		{"lantren", "lantern", 2}, //nolint:misspell // a typo on purpose
		{"latern", "lantern", 1}, {"", "ab", 2}, {"über", "uber", 1},
	} {
		if got := levenshtein(c.a, c.b); got != c.d {
			t.Errorf("levenshtein(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
}
