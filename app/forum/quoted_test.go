package forum

import (
	"slices"
	"testing"
)

func TestQuotedPosts(t *testing.T) {
	for _, tc := range []struct {
		name string
		body string
		want []int64
	}{
		{"none", "just a reply, see /p/3", nil},
		{"one", "> **@anna** [wrote](/p/12):\n> hello\n\nI agree", []int64{12}},
		{"two, repeated", "> **@anna** [wrote](/p/12):\n> a\n\n> **@ben** [wrote](/p/7):\n> b\n\n> **@anna** [wrote](/p/12):\n> a", []int64{12, 7}},
		{"nested is not ours", "> **@anna** [wrote](/p/12):\n> > **@ben** [wrote](/p/7):\n> > b\n> a", []int64{12}},
		{"not at line start", "as > **@anna** [wrote](/p/12): said", nil},
		{"no blockquote", "**@anna** [wrote](/p/12):", nil},
		{"junk id", "> **@anna** [wrote](/p/0):\n> **@anna** [wrote](/p/99999999999999999999):", nil},
	} {
		if got := QuotedPosts(tc.body); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}
