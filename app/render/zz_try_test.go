package render

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestZZPath(t *testing.T) {
	r := New()
	res := func(n string) (string, bool) { return n, true }
	rep := func(s string, n int) string { return strings.Repeat(s, n) }
	cases := map[string]string{
		"quotes":      rep(">", 20000),
		"quotes-sp":   rep("> ", 16000),
		"quotes-lines": func() string { var b strings.Builder; for i := 1; i < 250; i++ { b.WriteString(rep(">", i)); b.WriteString(" a\n") }; return b.String() }(),
		"stars":       rep("*", 30000),
		"brackets":    rep("[", 30000),
		"closebr":     rep("]", 30000),
		"brpairs":     rep("[]", 15000),
		"brlinkopen":  rep("[a](", 8000),
		"imgopen":     rep("![", 15000),
		"word":        rep("a", 32000),
		"www":         "www." + rep("a", 31990),
		"http":        "http://" + rep("a", 31990),
		"email-us":    rep("a_", 16000),
		"email-star":  rep("a*", 16000),
		"email-sp":    rep("a ", 16000),
		"at":          rep("@", 32000),
		"at-a":        rep("@a", 16000),
		"sp-at":       rep(" @a", 10000),
		"emph-alt":    rep("*a_", 10000),
		"emph-a**":    rep("a**", 10000),
		"emph-**a":    rep("**a ", 8000),
		"under":       rep("_", 30000),
		"tilde":       rep("~", 30000),
		"backticks":   func() string { var b strings.Builder; for i := 1; b.Len() < 31000; i++ { b.WriteString(rep("`", i%200+1)); b.WriteString("a") }; return b.String() }(),
		"backtick1":   rep("`a", 16000),
		"lists":       rep("- ", 16000),
		"olists":      rep("1. ", 10000),
		"listindent":  func() string { var b strings.Builder; for i := 0; b.Len() < 31000; i++ { b.WriteString(rep(" ", i*2)); b.WriteString("- a\n") }; return b.String() }(),
		"table-pad":   "|" + rep("a|", 4000) + "\n|" + rep("-|", 4000) + "\n" + rep("a\n", 7900),
		"table-ok":    "|a|b|c|\n|-|-|-|\n" + rep("|1|2|3|\n", 4000),
		"refs":        "[a]: http://" + rep("x", 16000) + "\n\n" + rep("[a]", 5300),
		"lt":          rep("<", 32000),
		"ltas":        rep("<a ", 10000),
		"entities":    rep("&amp;", 6400),
		"mentions":    rep("@a ", 10600),
		"hardbr":      rep("a\n", 16000),
		"html-block":  "<div>\n" + rep("x\n", 15000),
		"links":       rep("[a](b) ", 4500),
		"autolinks":   rep("<http://a> ", 2900),
		"nested-emph": rep("*a ", 10000) + rep(" a*", 10000),
		"nested-link": rep("[", 15000) + rep("](x)", 4000),
		"quote-list":  rep("> - ", 8000),
		"setext":      rep("a\n=\n", 8000),
		"pipes":       rep("|", 32000),
		"pipes2":      "a|b\n" + rep("-|", 15000),
	}
	for name, s := range cases {
		if n := len([]rune(s)); n > MaxBody { t.Logf("%s too long %d", name, n); s = string([]rune(s)[:MaxBody]) }
		start := time.Now()
		out, err := r.Render(s, res)
		d := time.Since(start)
		start = time.Now()
		m := Mentions(s)
		d2 := time.Since(start)
		fmt.Printf("%-12s render %8.1fms out=%8d err=%v mentions %6.1fms n=%d\n", name, float64(d.Microseconds())/1000, len(out), err, float64(d2.Microseconds())/1000, len(m))
	}
}
