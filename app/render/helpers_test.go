package render

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// unsafeHTML returns a description of the first thing in out that must never
// reach a browser, or "" if out is safe. It looks at out both as a token
// stream (every tag and attribute as written) and, when x/net/html accepts
// the nesting depth, as the tree a browser would build.
func unsafeHTML(out string) string {
	lower := strings.ToLower(out)
	if strings.Contains(lower, "<script") {
		return "contains <script"
	}
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken && tt != html.EndTagToken {
			continue
		}
		tok := z.Token()
		if msg := unsafeElement(tok.Data, tok.Attr); msg != "" {
			return msg
		}
	}
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		return "" // too deep for x/net/html's tree builder; tokens were checked
	}
	var walk func(*html.Node) string
	walk = func(n *html.Node) string {
		if n.Type == html.ElementNode {
			if msg := unsafeElement(n.Data, n.Attr); msg != "" {
				return msg
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if msg := walk(c); msg != "" {
				return msg
			}
		}
		return ""
	}
	return walk(doc)
}

var forbiddenElements = map[string]bool{
	"script": true, "style": true, "iframe": true, "form": true, "select": true,
	"option": true, "object": true, "embed": true, "svg": true, "math": true,
	"base": true, "link": true, "meta": true, "textarea": true, "button": true,
	"frame": true, "frameset": true,
}

func unsafeElement(name string, attrs []html.Attribute) string {
	name = strings.ToLower(name)
	if forbiddenElements[name] {
		return "element <" + name + ">"
	}
	for _, a := range attrs {
		key := strings.ToLower(a.Key)
		val := strings.ToLower(strings.TrimSpace(a.Val))
		switch {
		case strings.HasPrefix(key, "on"):
			return "event handler attribute " + key
		case key == "style":
			return "style attribute"
		case key == "href" || key == "src" || key == "action" || key == "formaction" || key == "xlink:href":
			// Browsers ignore tabs and newlines inside URLs.
			val = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(val)
			for _, bad := range []string{"javascript:", "vbscript:", "data:"} {
				if strings.HasPrefix(val, bad) {
					return key + "=" + a.Val
				}
			}
		case key == "rel" && name == "a" && a.Val != linkRel:
			return "rel=" + a.Val
		}
	}
	return ""
}

func mustRender(t testing.TB, r *Renderer, src string, mention MentionFunc) string {
	t.Helper()
	out, err := r.Render(src, mention)
	if err != nil {
		t.Fatalf("Render(%q): %v", src, err)
	}
	if msg := unsafeHTML(out); msg != "" {
		t.Fatalf("Render(%q) produced unsafe HTML (%s): %s", src, msg, out)
	}
	return out
}

// users is the MentionFunc used by the tests: it resolves case-insensitively
// to a canonical spelling, as the real user store is expected to.
func users(name string) (string, bool) {
	switch strings.ToLower(name) {
	case "bob":
		return "Bob", true
	case "alice":
		return "alice", true
	case "odd":
		return "we ird/<x>", true
	case "dots":
		return "..", true
	}
	return "", false
}
