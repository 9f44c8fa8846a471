// Package static holds the stylesheets and scripts served under /static/.
package static

import "embed"

// FS holds css/ and js/, embedded so the binary serves its own assets and
// they always match the templates that reference them.
//
//go:embed css js
var FS embed.FS
