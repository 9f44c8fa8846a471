package realtime_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"gorm.io/gorm"

	"parley/app/apptest"
	"parley/app/auth"
	"parley/app/forum"
	"parley/app/realtime"
	"parley/app/store"
)

// msg is any server message; fields not in a given type stay zero.
type msg struct {
	Type    string          `json:"type"`
	ID      int64           `json:"id"`
	Event   string          `json:"event"`
	Channel string          `json:"channel"`
	Data    json.RawMessage `json:"data"`
	Code    string          `json:"code"`
	Message string          `json:"message"`
	Thread  int64           `json:"thread"`
	Count   int             `json:"count"`
	User    string          `json:"user"`
}

// payload decodes the routing fields of an event message.
func (m msg) payload(t testing.TB) (thread, forum int64) {
	t.Helper()
	var p struct {
		ThreadID int64 `json:"thread_id"`
		ForumID  int64 `json:"forum_id"`
	}
	if err := json.Unmarshal(m.Data, &p); err != nil {
		t.Fatalf("event %d data %s: %v", m.ID, m.Data, err)
	}
	return p.ThreadID, p.ForumID
}

// client is a real gorilla websocket client.
type client struct {
	t  testing.TB
	ws *websocket.Conn
}

// wsURL turns an http:// base into the ws:// address of path.
func wsURL(base, path string) string { return "ws" + strings.TrimPrefix(base, "http") + path }

// dial connects and fails the test unless the upgrade succeeds.
func dial(t testing.TB, u string, h http.Header) *client {
	t.Helper()
	ws, resp, err := websocket.DefaultDialer.Dial(u, h)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial %s: %v (status %d)", u, err, status)
	}
	c := &client{t: t, ws: ws}
	t.Cleanup(func() { _ = ws.Close() })
	return c
}

// bearer is the header of an API client.
func bearer(token string) http.Header { return http.Header{"Authorization": {"Bearer " + token}} }

// browser is the header a browser sends for a signed-in apptest client:
// its cookies and the given Origin.
func browser(a *apptest.App, c *apptest.Client, origin string) http.Header {
	u, _ := url.Parse(a.URL)
	var parts []string
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	return http.Header{"Cookie": {strings.Join(parts, "; ")}, "Origin": {origin}}
}

func (c *client) send(v any) {
	c.t.Helper()
	if err := c.ws.WriteJSON(v); err != nil {
		c.t.Fatalf("send %v: %v", v, err)
	}
}

// read returns the next message of any type.
func (c *client) read(wait time.Duration) (msg, error) {
	var m msg
	_ = c.ws.SetReadDeadline(time.Now().Add(wait))
	_, data, err := c.ws.ReadMessage()
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return m, fmt.Errorf("bad server message %q: %w", data, err)
	}
	return m, nil
}

// next returns the next message that is not presence (presence arrives on
// the hub's timer, between anything).
func (c *client) next() msg {
	c.t.Helper()
	for {
		m, err := c.read(10 * time.Second)
		if err != nil {
			c.t.Fatalf("read: %v", err)
		}
		if m.Type != "presence" {
			return m
		}
	}
}

// expect reads the next non-presence message and checks its type.
func (c *client) expect(typ string) msg {
	c.t.Helper()
	m := c.next()
	if m.Type != typ {
		c.t.Fatalf("got %+v, want a %q message", m, typ)
	}
	return m
}

// subscribe sends a subscribe and returns the answer: subscribed, resync
// or error. Catch-up events follow a "subscribed" with a since.
func (c *client) subscribe(channel string, since *int64) msg {
	c.t.Helper()
	m := map[string]any{"type": "subscribe", "channel": channel}
	if since != nil {
		m["since"] = *since
	}
	c.send(m)
	return c.next()
}

// events reads n event messages and returns their ids.
func (c *client) events(n int) []int64 {
	c.t.Helper()
	ids := make([]int64, 0, n)
	for len(ids) < n {
		ids = append(ids, c.expect("event").ID)
	}
	return ids
}

// mustSubscribe subscribes live and fails unless it is acknowledged.
func (c *client) mustSubscribe(channel string) {
	c.t.Helper()
	if r := c.subscribe(channel, nil); r.Type != "subscribed" || r.Channel != channel {
		c.t.Fatalf("subscribe %s: %+v", channel, r)
	}
}

// closeCode reads until the connection ends and returns its close code
// (websocket.CloseAbnormalClosure when it ended without a close frame).
func (c *client) closeCode(wait time.Duration) int {
	c.t.Helper()
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		_, err := c.read(time.Until(deadline))
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			return ce.Code
		}
		var ne interface{ Timeout() bool }
		if errors.As(err, &ne) && ne.Timeout() {
			break
		}
		return websocket.CloseAbnormalClosure
	}
	c.t.Fatalf("the connection was not closed within %s", wait)
	return 0
}

func ptr(v int64) *int64 { return &v }

// hubServer runs a hub with its own options on the test app's database,
// behind a minimal handler: a Bearer token or anonymous.
func hubServer(t testing.TB, a *apptest.App, o realtime.Options) (*realtime.Hub, string) {
	t.Helper()
	return hubOn(t, a, a.Store, a.Forum, o)
}

// hubOn is hubServer on a given store and forum service (another "node").
func hubOn(t testing.TB, a *apptest.App, st *store.Store, fs *forum.Service, o realtime.Options) (*realtime.Hub, string) {
	t.Helper()
	h := realtime.New(st, fs, o)
	if err := h.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Close)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := auth.Anonymous()
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			var err error
			if v, err = a.Auth.TokenViewer(r.Context(), tok); err != nil {
				http.Error(w, "bad token", http.StatusUnauthorized)
				return
			}
		}
		_ = h.Accept(w, r, v, nil)
	}))
	t.Cleanup(srv.Close)
	return h, wsURL(srv.URL, "/")
}

// token issues an API token for a signed-in apptest client.
func token(t testing.TB, c *apptest.Client) string {
	t.Helper()
	var out struct {
		Token string `json:"token"`
	}
	c.Must(http.StatusCreated, "POST", "/api/v1/tokens", map[string]string{"name": "ws"}).JSON(t, &out)
	return out.Token
}

// emit writes n events into the real event log, in batches, and returns
// their ids.
func emit(t testing.TB, a *apptest.App, n int, typ, scope string, payload map[string]any) []int64 {
	t.Helper()
	ids, err := emitErr(a, n, typ, scope, payload)
	if err != nil {
		t.Fatalf("emit: %v", err)
	}
	return ids
}

// emitErr is emit for goroutines other than the test's. It writes each
// batch as one multi-row INSERT into the events table, the rows Emit
// writes, because thousands of single-row inserts through the pure-Go
// SQLite driver take ten seconds under the race detector.
func emitErr(a *apptest.App, n int, typ, scope string, payload map[string]any) ([]int64, error) {
	body, err := json.Marshal(payload)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, n)
	for len(ids) < n {
		k := min(200, n-len(ids))
		err := a.Store.Tx(context.Background(), func(tx *gorm.DB) error {
			if a.Store.Dialect == "postgres" {
				// As Emit does: ids commit in order.
				if err := tx.Exec("SELECT pg_advisory_xact_lock(7340001)").Error; err != nil {
					return err
				}
			}
			q := "INSERT INTO events (type, scope, subject, payload, created_at) VALUES " +
				strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?),", k), ",") + " RETURNING id"
			args := make([]any, 0, 5*k)
			now := time.Now().UTC()
			for range k {
				args = append(args, typ, scope, "test", string(body), now)
			}
			var got []int64
			if err := tx.Raw(q, args...).Scan(&got).Error; err != nil {
				return err
			}
			if len(got) != k {
				return fmt.Errorf("inserted %d events, want %d", len(got), k)
			}
			slices.Sort(got)
			ids = append(ids, got...)
			return nil
		})
		if err != nil {
			return ids, err
		}
	}
	return ids, nil
}

func asCloseError(err error, ce **websocket.CloseError) bool { return errors.As(err, ce) }

// settle waits until h has read the whole log, so that a subscription made
// next starts after everything written so far.
func settle(t testing.TB, h *realtime.Hub, a *apptest.App) {
	t.Helper()
	last, err := a.Store.LastEventID(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	apptest.Eventually(t, "the hub to read the log", 10*time.Second, func() bool { return h.Stats().Head >= last })
}
