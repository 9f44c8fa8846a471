package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"parley/app/audit"
	"parley/app/errs"
)

// auditParams are the audit log's filters, the same on the staff page, the
// CSV export and the JSON API: usernames, an action, a forum slug, and a
// date range (YYYY-MM-DD, whole days in UTC, both ends included; or RFC
// 3339 times, "to" excluded).
var auditParams = []string{"actor", "action", "target_user", "forum", "from", "to"}

// auditFilter reads the filters and resolves names to ids. Names that match
// nobody and bad dates are field errors (422); a bad cursor or limit is a 400.
func (s *Server) auditFilter(c echo.Context) (audit.Filter, map[string]string, error) {
	ctx, v := c.Request().Context(), viewer(c)
	values := map[string]string{}
	for _, k := range auditParams {
		values[k] = strings.TrimSpace(c.QueryParam(k))
	}
	var f audit.Filter
	if q := c.QueryParam("cursor"); q != "" {
		n, err := strconv.ParseInt(q, 10, 64)
		if err != nil || n <= 0 {
			return f, values, errs.BadRequest("cursor is not one this server handed out")
		}
		f.Before = n
	}
	if q := c.QueryParam("limit"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || n < 1 || n > audit.MaxLimit {
			return f, values, errs.BadRequest(fmt.Sprintf("limit must be a number from 1 to %d", audit.MaxLimit))
		}
		f.Limit = n
	}
	fe := errs.Fields{}
	user := func(field string) int64 {
		name := values[field]
		if name == "" {
			return 0
		}
		u, err := s.a.Auth.UserByName(ctx, name)
		if err != nil {
			fe.Add(field, fmt.Sprintf("nobody is called “%s”", name))
			return 0
		}
		return u.ID
	}
	f.ActorID, f.TargetUserID = user("actor"), user("target_user")
	if slug := values["forum"]; slug != "" {
		if fv, err := s.a.Forum.ForumBySlug(ctx, v, slug); err != nil {
			fe.Add("forum", fmt.Sprintf("no forum has the address “%s”", slug))
		} else {
			f.ForumID = fv.ID
		}
	}
	if a := values["action"]; len(a) > 64 {
		fe.Add("action", "an action name has at most 64 characters")
	} else {
		f.Action = a
	}
	var err error
	if f.From, err = auditTime(values["from"], false); err != nil {
		fe.Add("from", err.Error())
	}
	if f.To, err = auditTime(values["to"], true); err != nil {
		fe.Add("to", err.Error())
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		fe.Add("to", "the end of the range is before its start")
	}
	return f, values, fe.Err()
}

// auditTime reads a date (a whole day in UTC: its start, or for the end
// of a range the start of the next day) or an RFC 3339 time.
func auditTime(s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, fmt.Errorf("write a date as YYYY-MM-DD (or an RFC 3339 time)")
}

// auditQuery is the query string of the filters in values plus extra.
func auditQuery(values map[string]string, extra ...string) string {
	q := url.Values{}
	for _, k := range auditParams {
		if values[k] != "" {
			q.Set(k, values[k])
		}
	}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// apiAudit answers one page of the log, newest first; next_cursor, when
// present, is the cursor of the next (older) page.
func (s *Server) apiAudit(c echo.Context) error {
	f, _, err := s.auditFilter(c)
	if err != nil {
		return err
	}
	p, err := s.a.Audit.List(c.Request().Context(), viewer(c), f)
	if err != nil {
		return err
	}
	if p.Entries == nil {
		p.Entries = []audit.Row{}
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, p)
}
