package render

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestMentions(t *testing.T) {
	thirty := strings.Repeat("x", 30)
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"none", "hello world", nil},
		{"single", "@bob", []string{"bob"}},
		{"order and dedup", "@carol hi @bob and @carol again, @Bob", []string{"carol", "bob", "Bob"}},
		{"punctuation around", "(@bob), @alice: @eve! @dan? \"@fay\"", []string{"bob", "alice", "eve", "dan", "fay"}},
		{"trailing dot and dash", "@bob. @a.b- @c-d.", []string{"bob", "a.b", "c-d"}},
		{"only dots", "@... @-", nil},
		{"allowed characters", "@a_b-c.d9", []string{"a_b-c.d9"}},
		{"unicode letters", "@José @日本語 @Ωmega", []string{"José", "日本語", "Ωmega"}},
		{"30 runes", "@" + thirty, []string{thirty}},
		{"31 runes is not a mention", "@" + thirty + "y", nil},
		{"30 runes plus trailing dots", "@" + thirty + "...", []string{thirty}},
		{"30 multibyte runes", "@" + strings.Repeat("é", 30), []string{strings.Repeat("é", 30)}},
		{"preceded by word", "foo@bar a.@b a_@c a-@d 1@e", nil},
		{"email", "mail bob@example.com or <bob@example.com>", nil},
		{"fediverse address", "@bob@example.org", nil},
		{"code span", "`@bob` and ``@alice``", nil},
		{"fenced code", "```\n@bob\n```\n~~~\n@alice\n~~~", nil},
		{"indented code", "para\n\n    @bob", nil},
		{"link text", "[@bob](/x) and [hi @alice][ref]\n\n[ref]: /y", nil},
		{"link url", "[x](https://example.com/@bob) https://example.com/@alice <https://example.com/@eve>", nil},
		{"image alt", "![@bob](/x.png)", nil},
		{"escaped", `\@bob`, nil},
		{"bracket without link", "[@bob] said", []string{"bob"}},
		{"quote, list, table, heading", "> @a\n\n- @b\n\n| @c |\n|---|\n| @d |\n\n# @e", []string{"a", "b", "c", "d", "e"}},
		{"emphasis", "*@a* **@b** ~~@c~~", []string{"a", "b", "c"}},
		{"raw html", "<span>@bob</span>", []string{"bob"}},
		{"line start after break", "hi\n@bob", []string{"bob"}},
		{"empty", "", nil},
		{"too long source", strings.Repeat("@bob ", MaxBody/5+1), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Mentions(tt.src); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Mentions(%q) = %q, want %q", tt.src, got, tt.want)
			}
		})
	}
}

func TestMentionsLimit(t *testing.T) {
	var b strings.Builder
	var want []string
	for i := range 80 {
		name := fmt.Sprintf("user%d", i)
		fmt.Fprintf(&b, "@%s @user0 ", name)
		if len(want) < maxMentions {
			want = append(want, name)
		}
	}
	got := Mentions(b.String())
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %d names %q\nwant %d names %q", len(got), got, len(want), want)
	}
}

// TestMentionsAgreeWithRender checks that Render asks MentionFunc about
// exactly the names Mentions reports, in the same order.
func TestMentionsAgreeWithRender(t *testing.T) {
	r := New()
	for _, src := range []string{
		benchPost,
		"@a `@b` [@c](/x) @d@e.f g@h @i. @a",
		"> @q\n\n    @code\n\n- [ ] @task\n\n| @t |\n|--|\n",
	} {
		var asked []string
		if _, err := r.Render(src, func(name string) (string, bool) {
			asked = append(asked, name)
			return "", false
		}); err != nil {
			t.Fatal(err)
		}
		if got := Mentions(src); !reflect.DeepEqual(got, asked) {
			t.Errorf("src %q: Mentions %q, Render asked %q", src, got, asked)
		}
	}
}
