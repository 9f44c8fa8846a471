package forum

import (
	"context"
	"fmt"
	"strings"

	"parley/app/auth"
	"parley/app/errs"
)

// Quote returns markdown that quotes a post v may see, attributed and linked
// to it. The same text serves the no-JavaScript composer and the quote button.
func (s *Service) Quote(ctx context.Context, v *auth.Viewer, postID int64) (string, error) {
	p, _, err := s.PostByID(ctx, v, postID)
	if err != nil {
		return "", err
	}
	// A hidden post is not quoted, not even by staff or its author who
	// still read it: a quote would publish what is waiting for review.
	if p.Deleted || p.Hidden {
		return "", errs.NotFound("post")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "> **@%s** [wrote](/p/%d):\n", p.Author.Username, p.ID)
	for _, line := range strings.Split(p.Body, "\n") {
		b.WriteString(">")
		if line != "" {
			b.WriteString(" " + line)
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
	return b.String(), nil
}
