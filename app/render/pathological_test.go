package render

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestPathological renders inputs known to be slow or explosive in markdown
// implementations. It does not assert on time (CI machines vary); it logs
// each duration so `go test -run Pathological -v` shows them, and the test
// only finishes quickly if every case does.
func TestPathological(t *testing.T) {
	rep := strings.Repeat
	lines := func(n int, f func(i int) string) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(f(i))
		}
		return b.String()
	}
	tests := []struct {
		name string
		src  string
		err  error // nil or the error Render must return
	}{
		{"20000 nested quotes", rep(">", 20000), nil},
		{"16000 spaced nested quotes", rep("> ", 16000), nil},
		{"quotes growing per line", lines(240, func(i int) string { return rep(">", i+1) + " a\n" }), nil},
		{"8000 quote and list levels", rep("> - ", 8000), nil},
		{"10000 nested ordered lists", rep("1. ", 10000), nil},
		{"lists nested by indentation", lines(170, func(i int) string { return rep("  ", i) + "- a\n" }), nil},
		{"30000 stars", rep("*", 30000), nil},
		{"30000 open brackets", rep("[", 30000), nil},
		{"30000 close brackets", rep("]", 30000), nil},
		{"15000 bracket pairs", rep("[]", 15000), nil},
		{"8000 unclosed links", rep("[a](", 8000), nil},
		{"15000 unclosed images", rep("![", 15000), nil},
		{"nested brackets then links", rep("[", 15000) + rep("](x)", 4000), nil},
		{"32000-char word", rep("a", 32000), nil},
		{"32000-char www", "www." + rep("a", 31996), nil},
		{"32000-char url", "https://" + rep("a", 31992), nil},
		{"emphasis alternating", rep("*a_", 10000), nil},
		{"emphasis runs", rep("a**", 10000), nil},
		{"nested emphasis", rep("*a ", 5000) + rep(" a*", 5000), nil},
		{"underscore word", rep("a_", 16000), nil},
		{"backtick runs", lines(250, func(i int) string { return rep("`", i%60+1) + "a" }), nil},
		{"backtick pairs", rep("`a", 16000), nil},
		{"32000 at signs", rep("@", 32000), nil},
		{"10000 mentions", rep(" @a", 10000), nil},
		{"32000 less-than", rep("<", 32000), nil},
		{"unclosed tags", rep("<a ", 10000), nil},
		{"html block", "<div>\n" + rep("x\n", 15000), nil},
		{"32000 pipes", rep("|", 32000), nil},
		{"wide delimiter row", "a|b\n" + rep("-|", 15000), nil},
		{"padded table", "|" + rep("a|", 4000) + "\n|" + rep("-|", 4000) + "\n" + rep("a\n", 7900), nil},
		{"link reference amplification", "[a]: http://e.com/" + rep("x", 16000) + "\n\n" + rep("[a]", 5300), ErrTooLong},
		{"many links", rep("[a](b) ", 4500), nil},
		{"many autolinks", rep("<http://a> ", 2900), nil},
		{"hard breaks", rep("a\n", 16000), nil},
		{"setext headings", rep("a\n=\n", 8000), nil},
		{"entities", rep("&amp;", 6400), nil},
	}
	r := New()
	mention := func(name string) (string, bool) { return name, true }
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if n := len([]rune(tt.src)); n > MaxBody {
				t.Fatalf("test input has %d runes, over MaxBody", n)
			}
			start := time.Now()
			out, err := r.Render(tt.src, mention)
			renderTime := time.Since(start)
			start = time.Now()
			Mentions(tt.src)
			mentionsTime := time.Since(start)
			t.Logf("Render %v (%d bytes out), Mentions %v", renderTime.Round(100*time.Microsecond), len(out), mentionsTime.Round(100*time.Microsecond))
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if msg := unsafeHTML(out); msg != "" {
				t.Fatalf("unsafe output: %s", msg)
			}
		})
	}
}
