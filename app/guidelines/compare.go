package guidelines

import (
	"context"

	"parley/app/errs"
)

// Context is how many unchanged lines a hunk shows around its changes.
const Context = 3

// Comparison is the line diff of the markdown of two versions.
type Comparison struct {
	From    *Document `json:"from"`
	To      *Document `json:"to"`
	Added   int       `json:"added"`
	Removed int       `json:"removed"`
	Hunks   []Hunk    `json:"hunks"`
}

// Compare diffs version from against version to (either order; from may
// be newer). A missing version is a not-found error; comparing a version
// with itself is a 400.
func (s *Service) Compare(ctx context.Context, from, to int) (*Comparison, error) {
	if from == to {
		return nil, errs.BadRequest("choose two different versions to compare")
	}
	a, err := s.Version(ctx, from)
	if err != nil {
		return nil, err
	}
	b, err := s.Version(ctx, to)
	if err != nil {
		return nil, err
	}
	lines := Diff(SplitLines(a.Markdown), SplitLines(b.Markdown))
	c := &Comparison{From: a, To: b, Hunks: Hunks(lines, Context)}
	for _, l := range lines {
		switch l.Op {
		case Add:
			c.Added++
		case Del:
			c.Removed++
		}
	}
	return c, nil
}
