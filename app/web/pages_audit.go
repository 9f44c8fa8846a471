package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"parley/app/audit"
	"parley/app/guidelines"
)

// AdminAuditData: GET /admin/audit
type AdminAuditData struct {
	Items    []auditItem
	Actions  []string // every action in the log, for the filter
	Filtered bool     // a filter is set
	Older    string   // URL of the next (older) page, "" on the last
	Newest   string   // URL of the first page, "" when on it
	CSV      string   // URL of the CSV export of the same filter
	// CanEditGuidelines shows the Guidelines tab.
	CanEditGuidelines bool
}

// auditItem is an entry with a link to what it was done to.
type auditItem struct {
	audit.Row
	TargetLabel string
	TargetURL   string // "" when there is nothing to link to
}

func newAuditItem(r audit.Row) auditItem {
	it := auditItem{Row: r, TargetLabel: r.TargetType + " " + strconv.FormatInt(r.TargetID, 10)}
	id := strconv.FormatInt(r.TargetID, 10)
	switch r.TargetType {
	case "post":
		it.TargetLabel, it.TargetURL = "post #"+id, "/p/"+id
	case "thread":
		it.TargetLabel, it.TargetURL = "thread #"+id, "/t/"+id
	case "user":
		if r.TargetUserName != "" {
			it.TargetLabel, it.TargetURL = r.TargetUserName, "/u/"+r.TargetUserName
		}
	case "forum":
		if r.ForumSlug != "" {
			it.TargetLabel, it.TargetURL = r.ForumSlug, "/f/"+r.ForumSlug
		}
	case "guidelines":
		it.TargetLabel, it.TargetURL = "guidelines version "+id, guidelines.Path+"?version="+id
	}
	return it
}

func (s *Server) adminAuditPage(c echo.Context) error {
	ctx, v := c.Request().Context(), viewer(c)
	actions, err := s.a.Audit.Actions(ctx, v)
	if err != nil {
		return err
	}
	d := AdminAuditData{Actions: actions, CanEditGuidelines: guidelines.CanEdit(v)}
	f, values, err := s.auditFilter(c)
	if fe, st, ok := formError(err, values); ok && st == http.StatusUnprocessableEntity {
		return s.render(c, st, "admin_audit", "Audit log", d, fe)
	}
	if err != nil {
		return err
	}
	for _, k := range auditParams {
		d.Filtered = d.Filtered || values[k] != ""
	}
	p, err := s.a.Audit.List(ctx, v, f)
	if err != nil {
		return err
	}
	for _, r := range p.Entries {
		d.Items = append(d.Items, newAuditItem(r))
	}
	if p.Next > 0 {
		d.Older = "/admin/audit" + auditQuery(values, "cursor", strconv.FormatInt(p.Next, 10))
	}
	if f.Before > 0 {
		d.Newest = "/admin/audit" + auditQuery(values)
	}
	d.CSV = "/admin/audit.csv" + auditQuery(values)
	return s.render(c, http.StatusOK, "admin_audit", "Audit log", d, &form{Values: values})
}

// adminAuditCSV streams every entry matching the filters (not only one
// page) as CSV. Errors before the first byte get the usual error page; a
// failure half-way can only be logged (the client sees a cut-off file).
func (s *Server) adminAuditCSV(c echo.Context) error {
	f, _, err := s.auditFilter(c)
	if err != nil {
		return err
	}
	if err := audit.CanRead(viewer(c)); err != nil {
		return err // before the 200 goes out
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="audit-`+time.Now().UTC().Format("20060102-150405")+`.csv"`)
	h.Set("Cache-Control", "no-store")
	c.Response().WriteHeader(http.StatusOK)
	if err := s.a.Audit.Export(c.Request().Context(), viewer(c), f, c.Response()); err != nil {
		s.log.Error("audit export cut off", "err", err)
	}
	return nil
}
