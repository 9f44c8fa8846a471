package render

import "testing"

func TestPlainText(t *testing.T) {
	tests := []struct {
		name string
		html string
		max  int
		want string
	}{
		{"simple", "<p>Hello <em>world</em></p>", 100, "Hello world"},
		{"blocks separate words", "<h1>Title</h1>\n<p>one</p><p>two</p><ul><li>a</li><li>b</li></ul>", 100, "Title one two a b"},
		{"inline does not separate", "<p>un<strong>believ</strong>able</p>", 100, "unbelievable"},
		{"br separates", "<p>line<br>next</p>", 100, "line next"},
		{"table cells", "<table><tr><td>a</td><td>b</td></tr></table>", 100, "a b"},
		{"whitespace collapsed", "<p>  a \n\t b\u00a0\u00a0c  </p>\n\n", 100, "a b c"},
		{"entities decoded", "<p>AT&amp;T &lt;3 &#34;q&#34;</p>", 100, `AT&T <3 "q"`},
		{"hidden text skipped", "<p>a</p><script>evil()</script><style>p{}</style><p>b</p>", 100, "a b"},
		{"exact fit", "<p>Hello</p>", 5, "Hello"},
		{"cut", "<p>Hello world</p>", 8, "Hello w…"},
		{"cut trims space", "<p>Hello world</p>", 7, "Hello…"},
		{"cut multibyte", "<p>éééé</p>", 3, "éé…"},
		{"max one", "<p>Hello</p>", 1, "…"},
		{"max zero", "<p>Hello</p>", 0, ""},
		{"negative", "<p>Hello</p>", -1, ""},
		{"empty", "", 10, ""},
		{"plain text input", "just text", 100, "just text"},
		{"images have no text", `<p><img src="/x.png" alt="x"> caption</p>`, 100, "caption"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PlainText(tt.html, tt.max); got != tt.want {
				t.Errorf("PlainText(%q, %d) = %q, want %q", tt.html, tt.max, got, tt.want)
			}
		})
	}
}

func TestPlainTextOfRender(t *testing.T) {
	out := mustRender(t, New(), benchPost, users)
	got := PlainText(out, 60)
	if want := "Upgrading to 2.4 broke my import job Hi all, after upgradin…"; got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
