// Package themes holds the HTML templates of the site's themes.
package themes

import "embed"

// FS holds every theme, rooted so that "default/layout.html" exists.
//
// The templates are embedded in the binary rather than read from disk so that
// a deployed server is one self-contained file whose pages always match its
// code: the page data types and the templates that use them are versioned
// and shipped together, and LoadTemplates can check them all at start-up.
//
//go:embed default
var FS embed.FS
