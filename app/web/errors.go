package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"parley/app/errs"
)

// Problem is an RFC 9457 problem details body.
type Problem struct {
	Type   string            `json:"type"`
	Title  string            `json:"title"`
	Status int               `json:"status"`
	Detail string            `json:"detail,omitempty"`
	Errors map[string]string `json:"errors,omitempty"`
}

func statusOf(k errs.Kind) int {
	switch k {
	case errs.KindInvalid:
		return http.StatusUnprocessableEntity
	case errs.KindNotFound:
		return http.StatusNotFound
	case errs.KindUnauthenticated:
		return http.StatusUnauthorized
	case errs.KindForbidden:
		return http.StatusForbidden
	case errs.KindConflict:
		return http.StatusConflict
	case errs.KindRateLimited:
		return http.StatusTooManyRequests
	case errs.KindTooLarge:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusBadRequest
}

// classify turns any error into a status and a client-safe problem.
func (s *Server) classify(c echo.Context, err error) (int, Problem) {
	var he *echo.HTTPError
	var mbe *http.MaxBytesError
	switch e, ok := errs.As(err); {
	case ok:
		st := statusOf(e.Kind)
		if e.RetryAfter > 0 {
			c.Response().Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds()+0.999)))
		}
		return st, Problem{Type: "about:blank", Title: http.StatusText(st), Status: st, Detail: e.Message, Errors: e.Fields}
	case errors.As(err, &mbe):
		st := http.StatusRequestEntityTooLarge
		return st, Problem{Type: "about:blank", Title: http.StatusText(st), Status: st, Detail: "the request body is too large"}
	case errors.As(err, &he):
		st := he.Code
		detail := http.StatusText(st)
		if m, ok := he.Message.(string); ok && st < 500 {
			detail = m
		}
		if st == http.StatusNotFound {
			detail = "not found"
		}
		return st, Problem{Type: "about:blank", Title: http.StatusText(st), Status: st, Detail: detail}
	}
	s.log.Error("unexpected error", "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
	st := http.StatusInternalServerError
	return st, Problem{Type: "about:blank", Title: http.StatusText(st), Status: st, Detail: "something went wrong on our side; it has been logged"}
}

// handleError is the one place errors become responses: problem details for
// the API, an HTML page (or a sign-in redirect) for browsers.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	st, p := s.classify(c, err)
	if isAPI(c) {
		c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
		c.Response().WriteHeader(st)
		_ = encodeJSON(c.Response(), p)
		return
	}
	if st == http.StatusUnauthorized && c.Request().Method == http.MethodGet {
		_ = c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request().URL.RequestURI()))
		return
	}
	if rerr := s.render(c, st, "error", http.StatusText(st), ErrorData{Status: st, Message: p.Detail}, nil); rerr != nil {
		s.log.Error("render error page", "err", rerr)
		_ = c.String(st, p.Detail)
	}
}
