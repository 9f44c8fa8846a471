package render

import (
	"net/url"
	"regexp"

	"github.com/microcosm-cc/bluemonday"
)

// newPolicy builds the one sanitizer every rendered post passes through.
//
// It starts from bluemonday's UGC policy, which already allows only
// relative, http, https and mailto URLs, has no style/script/iframe/form
// elements and no on* attributes, and then allows exactly the extra markup
// our goldmark configuration emits. bluemonday attribute rules are
// additive, so each addition below is narrow on purpose.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()

	// Links: our renderers write rel="nofollow ugc noopener" on every <a>.
	// RequireNoFollowOnLinks (on in UGC) leaves a rel containing "nofollow"
	// alone, and still adds rel="nofollow" to any <a> that somehow lacks
	// ours, so it stays on as a safety net.
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^nofollow ugc noopener$`)).OnElements("a")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^mention$`)).OnElements("a")

	// Titles and alt text: UGC only allows a restricted character set, which
	// would drop e.g. a title containing '#' or '?'. Attribute values are
	// escaped on output, so any text is safe here.
	p.AllowAttrs("title").OnElements("a", "img")
	p.AllowAttrs("alt").OnElements("img")

	// Fenced code: goldmark writes class="language-<info word>".
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^language-[\w.+#-]{1,40}$`)).OnElements("code")

	// Task lists: goldmark writes <input checked="" disabled="" type="checkbox">
	// (no classes, so none are allowed). Nothing else about <input> is.
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked").Matching(regexp.MustCompile(`^(|checked)$`)).OnElements("input")
	p.AllowAttrs("disabled").Matching(regexp.MustCompile(`^(|disabled)$`)).OnElements("input")

	// Images: UGC allows <img src>; we add loading="lazy" ourselves.
	p.AllowAttrs("loading").Matching(regexp.MustCompile(`^lazy$`)).OnElements("img")
	// UGC's URL schemes include mailto, which makes no sense as an image
	// source. RewriteSrc runs only on src attributes after the scheme check,
	// so it can narrow images to http, https and relative URLs; an empty
	// src makes browsers show the alt text without any request.
	p.RewriteSrc(func(u *url.URL) {
		switch u.Scheme {
		case "", "http", "https":
		default:
			*u = url.URL{}
		}
	})
	return p
}
