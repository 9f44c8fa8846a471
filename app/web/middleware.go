package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"parley/app/auth"
	"parley/app/errs"
)

const (
	sessionCookie = "parley_session"
	csrfCookie    = "parley_csrf"
	keyViewer     = "viewer"
	keyNonce      = "nonce"
	keyAnonCSRF   = "anon_csrf"
)

func (s *Server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("panic", "path", c.Request().URL.Path, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				err = fmt.Errorf("panic: %v", r)
			}
		}()
		return next(c)
	}
}

// observe records metrics by route pattern (not raw path, to bound label
// cardinality) and logs each request.
func (s *Server) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		status := c.Response().Status
		d := time.Since(start)
		s.metrics.requests.WithLabelValues(c.Request().Method, route, strconv.Itoa(status)).Inc()
		s.metrics.latency.WithLabelValues(route).Observe(d.Seconds())
		lvl := slog.LevelDebug
		if status >= 500 {
			lvl = slog.LevelWarn
		}
		// Checked first: building the attributes costs allocations on
		// every request even when the line is then dropped.
		if ctx := c.Request().Context(); s.log.Enabled(ctx, lvl) {
			s.log.Log(ctx, lvl, "request", "method", c.Request().Method, "path", c.Request().URL.Path, "route", route, "status", status, "ms", d.Milliseconds())
		}
		return nil
	}
}

// securityHeaders sets the CSP with a fresh nonce on every response. Inline
// script or style runs only with the nonce, so injected markup cannot.
func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		nonce := newNonce()
		c.Set(keyNonce, nonce)
		h := c.Response().Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'nonce-"+nonce+"'; style-src 'self' 'nonce-"+nonce+
			"'; img-src 'self' https: data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "SAMEORIGIN")
		return next(c)
	}
}

// loadViewer resolves who is asking: a Bearer token (API clients) or the
// session cookie (browsers). A bad token is refused; a stale cookie just
// means an anonymous visitor.
func (s *Server) loadViewer(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		if h := c.Request().Header.Get("Authorization"); h != "" {
			raw, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				return errs.Unauthenticated(`use "Authorization: Bearer <token>"`)
			}
			v, err := s.a.Auth.TokenViewer(ctx, strings.TrimSpace(raw))
			if err != nil {
				return err
			}
			c.Set(keyViewer, v)
			return next(c)
		}
		v := auth.Anonymous()
		if ck, err := c.Cookie(sessionCookie); err == nil {
			sv, ok, err := s.a.Auth.SessionViewer(ctx, ck.Value)
			if err != nil {
				return err
			}
			if ok {
				v = sv
			} else {
				s.clearCookie(c, sessionCookie)
			}
		}
		c.Set(keyViewer, v)
		return next(c)
	}
}

// newNonce is 128 random bits in hex. Hex, not base64: html/template
// escapes '+' in attributes, which would break the match between header
// and page.
func newNonce() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func viewer(c echo.Context) *auth.Viewer {
	if v, ok := c.Get(keyViewer).(*auth.Viewer); ok {
		return v
	}
	return auth.Anonymous()
}

func isAPI(c echo.Context) bool { return strings.HasPrefix(c.Request().URL.Path, "/api/") }

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// checkCSRF refuses cross-origin state changes from browsers (Sec-Fetch-Site
// and Origin, as http.CrossOriginProtection does) and requires the form
// token on HTML forms. Bearer-token and cookie-less API clients are not
// browsers acting on someone's behalf and pass.
func (s *Server) checkCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if !unsafeMethod(r.Method) || viewer(c).ViaToken {
			return next(c)
		}
		if len(r.Cookies()) == 0 && isAPI(c) {
			return next(c)
		}
		if err := s.cop.Check(r); err != nil {
			return errs.Forbidden("cross-origin request refused")
		}
		if isAPI(c) {
			return next(c)
		}
		want := s.csrfToken(c)
		got := c.FormValue("_csrf")
		if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			return &errs.Error{Kind: errs.KindForbidden, Message: "The form expired or was sent from another site. Please reload the page and try again."}
		}
		return next(c)
	}
}

// csrfToken is the form token: the session's for signed-in viewers, a
// cookie-bound random value (double submit) for anonymous ones.
func (s *Server) csrfToken(c echo.Context) string {
	if v := viewer(c); v.SignedIn() {
		return v.CSRF
	}
	if t, ok := c.Get(keyAnonCSRF).(string); ok {
		return t
	}
	if ck, err := c.Cookie(csrfCookie); err == nil && len(ck.Value) >= 32 && len(ck.Value) <= 64 {
		return ck.Value
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	t := base64.RawURLEncoding.EncodeToString(b)
	c.Set(keyAnonCSRF, t)
	if unsafeMethod(c.Request().Method) {
		return t // a POST without the cookie cannot match anyway
	}
	c.SetCookie(&http.Cookie{Name: csrfCookie, Value: t, Path: "/", HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
	return t
}

func (s *Server) setSession(c echo.Context, token string) {
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.isSecure(c),
		SameSite: http.SameSiteLaxMode, MaxAge: int(auth.SessionTTL.Seconds())})
}

func (s *Server) clearCookie(c echo.Context, name string) {
	c.SetCookie(&http.Cookie{Name: name, Value: "", Path: "/", HttpOnly: true, Secure: s.isSecure(c), SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

func (s *Server) isSecure(c echo.Context) bool { return s.secure || c.Request().TLS != nil }
