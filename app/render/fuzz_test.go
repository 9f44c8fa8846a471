package render

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// Seeds live in testdata/fuzz/FuzzRender and testdata/fuzz/FuzzMentions
// (committed, so plain `go test` replays them); the few below keep the
// seed set meaningful even if that directory is pruned.
func FuzzRender(f *testing.F) {
	for _, s := range []string{
		"# hi @bob\n\n*x* `y` [z](/w)",
		"<script>alert(1)</script>",
		"[x](javascript:alert(1))",
	} {
		f.Add(s)
	}
	r := New()
	f.Fuzz(func(t *testing.T, src string) {
		out, err := r.Render(src, users)
		if utf8.RuneCountInString(src) > MaxBody {
			if !errors.Is(err, ErrTooLong) {
				t.Fatalf("over MaxBody: err = %v", err)
			}
			return
		}
		if err != nil {
			return // ErrEmpty, or ErrTooLong for URL amplification
		}
		if msg := unsafeHTML(out); msg != "" {
			t.Fatalf("unsafe output (%s)\nsrc: %q\nout: %s", msg, src, out)
		}
		if lower := strings.ToLower(out); strings.Contains(lower, "<script") {
			t.Fatalf("<script in output\nsrc: %q\nout: %s", src, out)
		}
	})
}

func FuzzMentions(f *testing.F) {
	for _, s := range []string{
		"@bob @alice @bob",
		"a@b.com `@x` [@y](/z) @" + strings.Repeat("n", 31),
		"@bob. @a-b- @日本",
	} {
		f.Add(s)
	}
	r := New()
	f.Fuzz(func(t *testing.T, src string) {
		names := Mentions(src)
		if len(names) > maxMentions {
			t.Fatalf("%d names", len(names))
		}
		seen := make(map[string]bool)
		for _, n := range names {
			if c := utf8.RuneCountInString(n); c < 1 || c > maxNameRunes {
				t.Fatalf("name %q has %d runes", n, c)
			}
			if seen[n] {
				t.Fatalf("duplicate name %q in %q", n, names)
			}
			seen[n] = true
			for _, r := range n {
				if !isNameRune(r) {
					t.Fatalf("name %q contains %q", n, r)
				}
			}
			if strings.HasSuffix(n, ".") || strings.HasSuffix(n, "-") {
				t.Fatalf("name %q ends in punctuation", n)
			}
		}
		// Render must ask about exactly these names, in this order.
		var asked []string
		if _, err := r.Render(src, func(name string) (string, bool) {
			asked = append(asked, name)
			return "", false
		}); err == nil && !slices.Equal(asked, names) {
			t.Fatalf("Mentions %q but Render asked %q", names, asked)
		}
	})
}
