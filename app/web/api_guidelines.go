package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"parley/app/errs"
	"parley/app/guidelines"
)

// guidelinesView is a version as the API shows it.
type guidelinesView struct {
	*guidelines.Document
	Current  bool   `json:"current"`
	HTML     string `json:"html"`
	Markdown string `json:"markdown,omitempty"` // staff only
}

func (s *Server) guidelinesView(c echo.Context, d *guidelines.Document, current int) guidelinesView {
	out := guidelinesView{Document: d, Current: d.Version == current, HTML: d.HTML}
	if viewer(c).IsStaff() {
		out.Markdown = d.Markdown
	}
	return out
}

// apiGuidelines answers the current version (404 when none is published).
func (s *Server) apiGuidelines(c echo.Context) error {
	d, err := s.a.Guidelines.Current(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.guidelinesView(c, d, d.Version))
}

func (s *Server) apiGuidelinesVersion(c echo.Context) error {
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil || n < 1 {
		return errs.NotFound("guidelines version")
	}
	ctx := c.Request().Context()
	d, err := s.a.Guidelines.Version(ctx, n)
	if err != nil {
		return err
	}
	cur, err := s.a.Guidelines.CurrentVersion(s.a.Store.R.WithContext(ctx))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.guidelinesView(c, d, cur))
}

func (s *Server) apiGuidelinesVersions(c echo.Context) error {
	vs, err := s.a.Guidelines.History(c.Request().Context())
	if err != nil {
		return err
	}
	if vs == nil {
		vs = []guidelines.Entry{}
	}
	return c.JSON(http.StatusOK, map[string]any{"versions": vs})
}

// guidelinesDiffView leaves the documents' text out: the hunks say what
// changed.
type guidelinesDiffView struct {
	From    guidelines.Entry  `json:"from"`
	To      guidelines.Entry  `json:"to"`
	Added   int               `json:"added"`
	Removed int               `json:"removed"`
	Hunks   []guidelines.Hunk `json:"hunks"`
}

func entryOf(d *guidelines.Document) guidelines.Entry {
	return guidelines.Entry{Version: d.Version, Summary: d.Summary, Editor: d.Editor, PublishedAt: d.PublishedAt}
}

// apiGuidelinesDiff needs both from and to.
func (s *Server) apiGuidelinesDiff(c echo.Context) error {
	from, to, err := diffParams(c)
	if err != nil {
		return err
	}
	if from == 0 || to == 0 {
		return errs.BadRequest("name the two versions to compare: ?from=A&to=B")
	}
	cmp, err := s.a.Guidelines.Compare(c.Request().Context(), from, to)
	if err != nil {
		return err
	}
	hunks := cmp.Hunks
	if hunks == nil {
		hunks = []guidelines.Hunk{}
	}
	return c.JSON(http.StatusOK, guidelinesDiffView{From: entryOf(cmp.From), To: entryOf(cmp.To),
		Added: cmp.Added, Removed: cmp.Removed, Hunks: hunks})
}

// apiUpdateGuidelines publishes the body as a new version and answers it.
func (s *Server) apiUpdateGuidelines(c echo.Context) error {
	var in guidelines.Change
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	d, err := s.a.Guidelines.Publish(c.Request().Context(), viewer(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.guidelinesView(c, d, d.Version))
}
