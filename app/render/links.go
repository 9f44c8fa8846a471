package render

import (
	"net/url"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// linkRel is written on every <a> we emit. bluemonday's RequireNoFollowOnLinks
// can only add "nofollow", so we write the full value ourselves and the
// policy accepts rel on <a> only when it is exactly this string.
const linkRel = "nofollow ugc noopener"

// urlBytesKey marks, in the parser context, a document whose link and image
// URLs alone add up to more than maxHTML bytes. Render refuses such a
// document before rendering it: a 16 KB link reference definition used
// 5,000 times as "[a]" would otherwise make the renderer escape and write
// 80 MB only for the output limit to throw it away.
var urlBytesKey = parser.NewContextKey()

// linkTransformer runs once per parse, after all inline parsing, and fixes up
// links and images in the AST:
//   - links get rel=linkRel, images get loading="lazy";
//   - mentions inside link text or image alt text become plain text again,
//     since a link inside a link is invalid HTML and "[@bob](/x)" is a link,
//     not a mention (Mentions relies on this too);
//   - links whose URL scheme the policy would reject are replaced by their
//     text. goldmark would write href="" for them, which the policy keeps
//     as a link to the current page; plain text is clearer.
type linkTransformer struct{}

func (linkTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	source := reader.Source()
	var (
		depth     int // number of enclosing Link/Image nodes
		urlBytes  int
		mentions  []*mentionNode
		deadLinks []ast.Node
		deadAuto  []*ast.AutoLink
		allowed   = make(map[string]bool) // reference links repeat URLs
	)
	check := func(dest []byte) bool {
		urlBytes += len(dest)
		ok, seen := allowed[string(dest)]
		if !seen {
			ok = allowedURL(dest)
			allowed[string(dest)] = ok
		}
		return ok
	}
	_ = ast.Walk(doc, func(node ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n := node.(type) {
		case *ast.Link:
			if !entering {
				depth--
				break
			}
			depth++
			if check(n.Destination) {
				n.SetAttributeString("rel", linkRel)
			} else {
				deadLinks = append(deadLinks, n)
			}
		case *ast.Image:
			if !entering {
				depth--
				break
			}
			depth++
			urlBytes += len(n.Destination)
			n.SetAttributeString("loading", "lazy")
		case *ast.AutoLink:
			if !entering {
				break
			}
			// Linkify only makes http(s) and e-mail links, but CommonMark
			// autolinks accept any scheme: <javascript:alert(1)>.
			if n.AutoLinkType == ast.AutoLinkEmail || check(n.URL(source)) {
				n.SetAttributeString("rel", linkRel)
			} else {
				deadAuto = append(deadAuto, n)
			}
		case *mentionNode:
			if entering && depth > 0 {
				mentions = append(mentions, n)
			}
		}
		return ast.WalkContinue, nil
	})
	if urlBytes > maxHTML {
		pc.Set(urlBytesKey, urlBytes)
	}
	for _, m := range mentions {
		parent := m.Parent()
		parent.ReplaceChild(parent, m, ast.NewTextSegment(m.segment))
	}
	for _, l := range deadLinks {
		unwrap(l)
	}
	for _, a := range deadAuto {
		label := ast.NewString(a.Label(source))
		label.SetRaw(true) // escaped, but no entity or backslash processing
		parent := a.Parent()
		parent.ReplaceChild(parent, a, label)
	}
}

// unwrap replaces n by its children.
func unwrap(n ast.Node) {
	parent := n.Parent()
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		parent.InsertBefore(parent, n, c)
		c = next
	}
	parent.RemoveChild(parent, n)
}

// allowedURL mirrors the policy's URL rule for links: relative, or http,
// https or mailto. Unparseable URLs (including ones hiding control
// characters, as in "jav&#x09;ascript:") are refused, as the policy does.
// It checks the URL exactly as goldmark will write it (percent-escaped).
func allowedURL(dest []byte) bool {
	u, err := url.Parse(strings.TrimSpace(string(util.URLEscape(dest, true))))
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "", "http", "https", "mailto":
		return true
	}
	return false
}
