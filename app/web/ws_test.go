package web_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"parley/app/apptest"
	"parley/app/realtime"
)

// wsDial opens /api/v1/ws with the given headers.
func wsDial(a *apptest.App, h http.Header) (*websocket.Conn, *http.Response, error) {
	return websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(a.URL, "http")+"/api/v1/ws", h)
}

// cookies is the Cookie header of a signed-in apptest client.
func cookies(a *apptest.App, c *apptest.Client) string {
	u, _ := url.Parse(a.URL)
	var parts []string
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	return strings.Join(parts, "; ")
}

// wsAsk sends one message and returns the first answer that is not presence.
func wsAsk(t *testing.T, ws *websocket.Conn, v any) map[string]any {
	t.Helper()
	if err := ws.WriteJSON(v); err != nil {
		t.Fatal(err)
	}
	for {
		_ = ws.SetReadDeadline(time.Now().Add(10 * time.Second))
		m := map[string]any{}
		if err := ws.ReadJSON(&m); err != nil {
			t.Fatal(err)
		}
		if m["type"] != "presence" {
			return m
		}
	}
}

// A browser's session cookie opens the websocket only from the site's own
// origin (no cross-site websocket hijacking); Bearer tokens need no
// Origin; anonymous visitors connect from anywhere (public events only).
func TestWebsocketAuthAndOrigin(t *testing.T) {
	w := newWorld(t)
	anna := w.a.Client().Register("anna")

	for _, origin := range []string{"https://evil.example", "", "null", strings.Replace(w.a.URL, "127.0.0.1", "localhost", 1)} {
		_, resp, err := wsDial(w.a, http.Header{"Cookie": {cookies(w.a, anna)}, "Origin": {origin}})
		if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
			t.Errorf("cookie session from origin %q: %v (response %v), want 403", origin, err, resp)
		}
	}

	ws, _, err := wsDial(w.a, http.Header{"Cookie": {cookies(w.a, anna)}, "Origin": {w.a.URL}})
	if err != nil {
		t.Fatalf("same-origin cookie session: %v", err)
	}
	defer ws.Close()
	if m := wsAsk(t, ws, map[string]string{"type": "subscribe", "channel": "user"}); m["type"] != "subscribed" {
		t.Errorf("cookie session, user channel: %v", m)
	}

	var tok struct {
		Token string `json:"token"`
	}
	anna.Must(http.StatusCreated, "POST", "/api/v1/tokens", map[string]string{"name": "cli"}).JSON(t, &tok)
	api, _, err := wsDial(w.a, http.Header{"Authorization": {"Bearer " + tok.Token}, "Origin": {"https://elsewhere.example"}})
	if err != nil {
		t.Fatalf("Bearer token: %v", err)
	}
	defer api.Close()
	if m := wsAsk(t, api, map[string]string{"type": "subscribe", "channel": "user"}); m["type"] != "subscribed" {
		t.Errorf("Bearer, user channel: %v", m)
	}

	if _, resp, err := wsDial(w.a, http.Header{"Authorization": {"Bearer prl_not-a-token"}}); err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("bad token: %v %v, want 401", err, resp)
	}

	anon, _, err := wsDial(w.a, http.Header{"Origin": {"https://evil.example"}})
	if err != nil {
		t.Fatalf("anonymous: %v", err)
	}
	defer anon.Close()
	if m := wsAsk(t, anon, map[string]string{"type": "subscribe", "channel": "user"}); m["code"] != "unauthenticated" {
		t.Errorf("anonymous, user channel: %v", m)
	}

	r := w.a.Client().Do("GET", "/api/v1/ws", nil)
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Header.Get("Content-Type"), "json") {
		t.Errorf("plain GET: %d %s", r.Status, r.Header.Get("Content-Type"))
	}
}

// A connection does not outlive its session: after sign-out, the next
// event about the user closes it with CloseSignedOut.
func TestWebsocketClosesAfterSignOut(t *testing.T) {
	w := newWorld(t)
	anna := w.a.Client().Register("anna")
	var tok struct {
		Token string `json:"token"`
	}
	anna.Must(http.StatusCreated, "POST", "/api/v1/tokens", nil).JSON(t, &tok)
	ws, _, err := wsDial(w.a, http.Header{"Cookie": {cookies(w.a, anna)}, "Origin": {w.a.URL}})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if m := wsAsk(t, ws, map[string]string{"type": "subscribe", "channel": "home"}); m["type"] != "subscribed" {
		t.Fatalf("subscribe: %v", m)
	}
	anna.Must(http.StatusNoContent, "DELETE", "/api/v1/session", nil)
	api := w.a.Client()
	api.Token = tok.Token
	api.Must(http.StatusOK, "PATCH", "/api/v1/users/me", map[string]string{"bio": "hello"}) // user.updated

	deadline := time.Now().Add(10 * time.Second)
	for {
		_ = ws.SetReadDeadline(deadline)
		_, _, err := ws.ReadMessage()
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			if ce.Code != realtime.CloseSignedOut {
				t.Fatalf("close code %d, want %d", ce.Code, realtime.CloseSignedOut)
			}
			return
		}
		if err != nil {
			t.Fatalf("the connection outlived its session: %v", err)
		}
	}
}
