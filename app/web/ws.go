package web

import (
	"context"
	"net/url"
	"strings"

	"github.com/gorilla/websocket"
	"github.com/labstack/echo/v4"

	"parley/app/auth"
	"parley/app/errs"
	"parley/app/realtime"
)

// ws opens the real-time connection (protocol in docs/api.md). The hub
// takes the connection over and this handler returns at once, so no HTTP
// goroutine stays parked per client.
func (s *Server) ws(c echo.Context) error {
	r := c.Request()
	if !websocket.IsWebSocketUpgrade(r) {
		return errs.BadRequest("this endpoint speaks websocket: send an Upgrade request")
	}
	v := viewer(c)
	var reauth realtime.Reauth
	switch {
	case v.ViaToken:
		// Browsers cannot set Authorization on a websocket, so a Bearer
		// connection is not a page acting on someone's behalf.
		raw := strings.TrimSpace(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
		reauth = func(ctx context.Context) (*auth.Viewer, error) {
			nv, err := s.a.Auth.TokenViewer(ctx, raw)
			if e, ok := errs.As(err); ok && e.Kind == errs.KindUnauthenticated {
				return nil, realtime.ErrSignedOut
			}
			return nv, err
		}
	case v.SignedIn():
		// Cookies ride along on cross-site websocket handshakes, and the
		// same-origin policy does not apply to websockets: without this
		// check any site could read a member's private events.
		if !s.sameOrigin(c) {
			return errs.Forbidden("cross-origin websocket refused")
		}
		ck, err := c.Cookie(sessionCookie)
		if err != nil {
			return errs.Unauthenticated("sign in again")
		}
		token := ck.Value
		reauth = func(ctx context.Context) (*auth.Viewer, error) {
			nv, ok, err := s.a.Auth.SessionViewer(ctx, token)
			if err == nil && !ok {
				return nil, realtime.ErrSignedOut
			}
			return nv, err
		}
	}
	if err := s.a.Realtime.Accept(c.Response(), r, v, reauth); err != nil {
		s.log.Debug("websocket upgrade failed", "err", err) // gorilla has answered the client
	}
	return nil
}

// sameOrigin reports whether the request's Origin is this site: the
// configured base URL, or else the scheme and host the request came to.
func (s *Server) sameOrigin(c echo.Context) bool {
	origin := c.Request().Header.Get("Origin")
	if origin == "" {
		return false
	}
	want := s.a.Config.BaseURL
	if want == "" {
		want = c.Scheme() + "://" + c.Request().Host
	}
	o, err1 := url.Parse(origin)
	w, err2 := url.Parse(want)
	return err1 == nil && err2 == nil && strings.EqualFold(o.Scheme, w.Scheme) && strings.EqualFold(o.Host, w.Host)
}
