package render

import (
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// newMarkdown builds the goldmark instance used by both Render and Mentions,
// so that what is linked as a mention and what is reported as one can never
// disagree.
//
// It is extension.GFM (linkify, tables, strikethrough, task lists) assembled
// by hand, because two of its parts need adjusting:
//   - linkify only turns http(s) and www. text into links; ftp:// links would
//     have their href removed by the sanitizer, leaving a dead <a>;
//   - the table paragraph transformer is wrapped by cappedTable (table.go)
//     to stop row padding from amplifying a small source into millions of
//     cells, and alignment is written as align="" (which the policy allows)
//     rather than style="" (which it strips).
func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(
			extension.NewLinkify(extension.WithLinkifyAllowedProtocols([]string{"http:", "https:"})),
			extension.Strikethrough,
			extension.TaskList,
		),
		goldmark.WithParserOptions(
			parser.WithInlineParsers(
				util.Prioritized(mentionParser{}, 500),
				// Lower value runs first: the guards (guard.go) must see
				// ']' before the link parser (200) and '*', '_', '~'
				// before emphasis and strikethrough (500).
				util.Prioritized(destinationGuard{}, 50),
				util.Prioritized(delimiterGuard{}, 50),
			),
			parser.WithParagraphTransformers(
				util.Prioritized(cappedTable{inner: extension.NewTableParagraphTransformer()}, 200),
			),
			parser.WithASTTransformers(
				util.Prioritized(extension.NewTableASTTransformer(), 0),
				util.Prioritized(linkTransformer{}, 100),
			),
		),
		goldmark.WithRendererOptions(
			// Forum users expect a single newline to be a line break.
			html.WithHardWraps(),
			// Deliberately NOT html.WithUnsafe(): raw HTML never passes
			// through. Our own renderers below escape it instead.
			renderer.WithNodeRenderers(
				util.Prioritized(extension.NewTableHTMLRenderer(
					extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute),
				), 500),
				util.Prioritized(mentionHTMLRenderer{}, 100),
				// Lower priority value wins: these override goldmark's
				// "<!-- raw HTML omitted -->" renderers (priority 1000).
				util.Prioritized(rawHTMLRenderer{}, 100),
			),
		),
	)
}

// sharedMarkdown serves Mentions, which is a plain function rather than a
// Renderer method. It is built on first use and never modified afterwards.
var sharedMarkdown = sync.OnceValue(newMarkdown)
