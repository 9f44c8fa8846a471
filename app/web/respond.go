package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"parley/app/errs"
)

// form is the state of a submitted form shown again after an error.
type form struct {
	Errors map[string]string
	Values map[string]string
}

// formError turns a domain error into form state when it is one the user can
// correct on the page; other errors go to the error handler.
func formError(err error, values map[string]string) (*form, int, bool) {
	e, ok := errs.As(err)
	if !ok || e.Kind == errs.KindNotFound {
		return nil, 0, false
	}
	f := &form{Errors: map[string]string{}, Values: values}
	for k, v := range e.Fields {
		f.Errors[k] = v
	}
	f.Errors[""] = e.Message
	return f, statusOf(e.Kind), true
}

// render writes a full HTML page.
func (s *Server) render(c echo.Context, status int, name, title string, data any, f *form) error {
	st, err := s.a.Site.Get(c.Request().Context())
	if err != nil {
		return err
	}
	nonce, _ := c.Get(keyNonce).(string)
	p := &Page{Title: title, Site: st, Viewer: viewer(c), Nonce: nonce,
		Path: c.Request().URL.RequestURI(), Data: data, Flash: c.QueryParam("flash")}
	if p.Viewer.SignedIn() {
		// One indexed COUNT per signed-in page. A failure costs the bell
		// its number, not the page (the error page comes through here too).
		if n, err := s.a.Notify.UnreadCount(c.Request().Context(), p.Viewer.ID); err == nil {
			p.Unread = n
		} else {
			s.log.Warn("unread notifications", "err", err)
		}
	}
	p.csrf = func() string {
		if !p.Viewer.SignedIn() {
			noCache(c)
		}
		return s.csrfToken(c)
	}
	if f != nil {
		p.Errors, p.Form = f.Errors, f.Values
	}
	buf := s.bufs.Get().(*bytes.Buffer)
	defer s.putBuf(buf)
	if err := s.tpl.Render(buf, name, p); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(status, buf.Bytes())
}

// putBuf returns a page buffer to the pool; unusually large ones are
// dropped so that one huge page does not pin its memory for ever.
func (s *Server) putBuf(b *bytes.Buffer) {
	if b.Cap() > 1<<20 {
		return
	}
	b.Reset()
	s.bufs.Put(b)
}

func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	return enc.Encode(v)
}

// decodeJSON reads a JSON object into v with messages a client can act on.
func decodeJSON(c echo.Context, v any) error {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	if ct != "" && !strings.HasPrefix(ct, "application/json") {
		return &errs.Error{Kind: errs.KindBadRequest, Message: "send the body as application/json"}
	}
	dec := json.NewDecoder(c.Request().Body)
	err := dec.Decode(v)
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	var mbe *http.MaxBytesError
	switch {
	case err == nil:
		if dec.More() {
			return errs.BadRequest("the body must hold a single JSON object")
		}
		return nil
	case errors.As(err, &mbe):
		return errs.TooLarge("the request body is too large")
	case errors.Is(err, io.EOF):
		return errs.BadRequest("the body is empty; send a JSON object")
	case errors.As(err, &se):
		return errs.BadRequest(fmt.Sprintf("the body is not valid JSON (at byte %d)", se.Offset))
	case errors.As(err, &te):
		if te.Field == "" {
			return errs.BadRequest("the body must be a JSON object")
		}
		return &errs.Error{Kind: errs.KindInvalid, Message: "Please correct the highlighted fields.",
			Fields: map[string]string{te.Field: "must be a JSON " + jsonKind(strings.TrimLeft(te.Type.String(), "*"))}}
	}
	return errs.BadRequest("the body is not valid JSON")
}

func jsonKind(k string) string {
	switch {
	case k == "string":
		return "string"
	case k == "bool":
		return "boolean"
	case strings.HasPrefix(k, "int") || strings.HasPrefix(k, "uint") || strings.HasPrefix(k, "float"):
		return "number"
	}
	return k
}

// pathID parses a numeric :id; a malformed one is the same 404 as a missing one.
func pathID(c echo.Context, name, what string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.NotFound(what)
	}
	return id, nil
}

// pageParam reads ?page=N (default 1); nonsense is a clear 400.
func pageParam(c echo.Context) (int, error) {
	p := c.QueryParam("page")
	if p == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 1_000_000 {
		return 0, errs.BadRequest("page must be a whole number from 1")
	}
	return n, nil
}
