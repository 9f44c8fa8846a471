package web

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"parley/app/errs"
	"parley/app/guidelines"
)

// GuidelinesData: GET /guidelines (?version=N for an older version)
type GuidelinesData struct {
	Doc     *guidelines.Document // nil when none are published
	HTML    template.HTML        // Doc.HTML (see guidelinesHTML)
	Current int                  // the current version (Doc may be older)
	CanEdit bool
}

// GuidelinesHistoryData: GET /guidelines/history
type GuidelinesHistoryData struct {
	Versions []guidelines.Entry // newest first
	CanEdit  bool
}

// GuidelinesDiffData: GET /guidelines/diff?from=A&to=B
type GuidelinesDiffData struct {
	Cmp      *guidelines.Comparison
	Versions []guidelines.Entry // for the version pickers
}

// AdminGuidelinesData: GET /admin/guidelines
type AdminGuidelinesData struct {
	Current *guidelines.Document // nil before the first version
	Limit   int                  // guidelines.MaxBytes in KB
}

// RegisterData: GET /register
type RegisterData struct {
	Guidelines     *guidelines.Document // the current version; nil when there are none to accept
	GuidelinesHTML template.HTML
}

// registerData is the guidelines a sign-up must accept.
func (s *Server) registerData(c echo.Context) (RegisterData, error) {
	d, err := s.a.Guidelines.Current(c.Request().Context())
	if errors.Is(err, guidelines.ErrNone) {
		return RegisterData{}, nil
	}
	if err != nil {
		return RegisterData{}, err
	}
	return RegisterData{Guidelines: d, GuidelinesHTML: guidelinesHTML(d)}, nil
}

// guidelinesHTML marks a version's stored HTML safe: it was made by
// package guidelines from package render's sanitised output and
// html/template (see guidelines.build), like a post's HTML by render.
func guidelinesHTML(d *guidelines.Document) template.HTML {
	if d == nil {
		return ""
	}
	return template.HTML(d.HTML) //nolint:gosec // render output composed with html/template
}

// versionParam reads a version number from the query; "" is 0.
func versionParam(c echo.Context, name string) (int, error) {
	q := c.QueryParam(name)
	if q == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(q)
	if err != nil || n < 1 || n > 1_000_000 {
		return 0, errs.BadRequest(name + " must be a version number (1, 2, …)")
	}
	return n, nil
}

func (s *Server) guidelinesPage(c echo.Context) error {
	ctx, v := c.Request().Context(), viewer(c)
	n, err := versionParam(c, "version")
	if err != nil {
		return err
	}
	d := GuidelinesData{CanEdit: guidelines.CanEdit(v)}
	cur, err := s.a.Guidelines.Current(ctx)
	switch {
	case errors.Is(err, guidelines.ErrNone):
		if n > 0 {
			return errs.NotFound("guidelines version " + strconv.Itoa(n))
		}
		return s.render(c, http.StatusOK, "guidelines", "Community guidelines", d, nil)
	case err != nil:
		return err
	}
	d.Doc, d.Current = cur, cur.Version
	if n > 0 && n != cur.Version {
		if d.Doc, err = s.a.Guidelines.Version(ctx, n); err != nil {
			return err
		}
	}
	d.HTML = guidelinesHTML(d.Doc)
	return s.render(c, http.StatusOK, "guidelines", "Community guidelines", d, nil)
}

func (s *Server) guidelinesHistoryPage(c echo.Context) error {
	vs, err := s.a.Guidelines.History(c.Request().Context())
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "guidelines_history", "Guidelines history",
		GuidelinesHistoryData{Versions: vs, CanEdit: guidelines.CanEdit(viewer(c))}, nil)
}

// guidelinesDiffPage compares two versions; without from/to it compares
// the current version with the one before it.
func (s *Server) guidelinesDiffPage(c echo.Context) error {
	ctx := c.Request().Context()
	from, to, err := diffParams(c)
	if err != nil {
		return err
	}
	vs, err := s.a.Guidelines.History(ctx)
	if err != nil {
		return err
	}
	if to == 0 && len(vs) > 0 {
		to = vs[0].Version
	}
	if from == 0 {
		from = to - 1
	}
	if from < 1 || to < 1 {
		return errs.NotFound("an earlier version to compare with")
	}
	cmp, err := s.a.Guidelines.Compare(ctx, from, to)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "guidelines_diff", "Guidelines: changes", GuidelinesDiffData{Cmp: cmp, Versions: vs}, nil)
}

func diffParams(c echo.Context) (from, to int, err error) {
	if from, err = versionParam(c, "from"); err != nil {
		return 0, 0, err
	}
	to, err = versionParam(c, "to")
	return from, to, err
}

func (s *Server) adminGuidelinesPage(c echo.Context) error {
	d, err := s.adminGuidelinesData(c)
	if err != nil {
		return err
	}
	f := &form{Values: map[string]string{}}
	if d.Current != nil {
		f.Values["body"] = d.Current.Markdown
		f.Values["base_version"] = strconv.Itoa(d.Current.Version)
	}
	return s.render(c, http.StatusOK, "admin_guidelines", "Edit the guidelines", d, f)
}

func (s *Server) adminGuidelinesData(c echo.Context) (AdminGuidelinesData, error) {
	d := AdminGuidelinesData{Limit: guidelines.MaxBytes >> 10}
	cur, err := s.a.Guidelines.Current(c.Request().Context())
	if err != nil && !errors.Is(err, guidelines.ErrNone) {
		return d, err
	}
	d.Current = cur
	return d, nil
}

func (s *Server) adminGuidelinesSubmit(c echo.Context) error {
	base, _ := strconv.Atoi(c.FormValue("base_version"))
	in := guidelines.Change{Body: c.FormValue("body"), Summary: c.FormValue("summary"), BaseVersion: base}
	doc, err := s.a.Guidelines.Publish(c.Request().Context(), viewer(c), in)
	values := map[string]string{"body": in.Body, "summary": in.Summary, "base_version": c.FormValue("base_version")}
	if f, st, ok := formError(err, values); ok && st != http.StatusForbidden && st != http.StatusUnauthorized {
		d, derr := s.adminGuidelinesData(c)
		if derr != nil {
			return derr
		}
		if st == http.StatusConflict && d.Current != nil {
			// The text stays; saving again publishes it over the newer
			// version, now that the editor has been told about it.
			f.Values["base_version"] = strconv.Itoa(d.Current.Version)
		}
		return s.render(c, st, "admin_guidelines", "Edit the guidelines", d, f)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/guidelines?flash=Version+"+strconv.Itoa(doc.Version)+"+published.")
}
