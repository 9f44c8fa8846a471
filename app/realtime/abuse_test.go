package realtime_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"parley/app/apptest"
	"parley/app/realtime"
)

// Bad input gets an error message and the connection goes on; limits are
// enforced; nothing a client sends brings the hub down.
func TestBadMessagesAreRefused(t *testing.T) {
	w := newWorld(t)
	h, u := hubServer(t, w.a, realtime.Options{MaxSubscriptions: 3, MessagesPerSec: 1000, Burst: 1000})
	c := dial(t, u, nil)
	g := fmt.Sprintf("thread:%d", w.generalT)

	raw := func(typ int, data string) msg {
		t.Helper()
		if err := c.ws.WriteMessage(typ, []byte(data)); err != nil {
			t.Fatal(err)
		}
		return c.next()
	}
	for _, tc := range []struct {
		name, data, code string
		binary           bool
	}{
		{"not JSON", `{"type": "subscribe", `, "bad_message", false},
		{"a JSON array", `[1, 2]`, "bad_message", false},
		{"binary frame", `{"type":"ping"}`, "bad_message", true},
		{"unknown type", `{"type":"dance"}`, "bad_message", false},
		{"unknown channel", `{"type":"subscribe","channel":"moderators"}`, "bad_channel", false},
		{"empty channel", `{"type":"subscribe"}`, "bad_channel", false},
		{"thread without id", `{"type":"subscribe","channel":"thread:"}`, "bad_channel", false},
		{"thread id not a number", `{"type":"subscribe","channel":"thread:abc"}`, "bad_channel", false},
		{"negative thread", `{"type":"subscribe","channel":"thread:-4"}`, "bad_channel", false},
		{"padded thread id", `{"type":"subscribe","channel":"thread:007"}`, "bad_channel", false},
		{"forum slug with capitals", `{"type":"subscribe","channel":"forum:General"}`, "bad_channel", false},
		{"since not a number", `{"type":"subscribe","channel":"home","since":"yesterday"}`, "bad_message", false},
		{"negative since", `{"type":"subscribe","channel":"home","since":-1}`, "bad_message", false},
		{"missing thread", `{"type":"subscribe","channel":"thread:99999"}`, "not_found", false},
		{"unsubscribe unknown", `{"type":"unsubscribe","channel":"home"}`, "not_subscribed", false},
		{"anonymous typing", `{"type":"typing","thread":1}`, "unauthenticated", false},
		{"typing without thread", `{"type":"typing"}`, "bad_message", false},
	} {
		typ := websocket.TextMessage
		if tc.binary {
			typ = websocket.BinaryMessage
		}
		if r := raw(typ, tc.data); r.Type != "error" || r.Code != tc.code {
			t.Errorf("%s: got %+v, want error %s", tc.name, r, tc.code)
		}
	}

	w.admin.Must(201, "POST", "/api/v1/forums", map[string]any{"name": "More", "slug": "more", "visibility": "public"})
	settle(t, h, w.a)
	for _, ch := range []string{"home", "forum:general", g} {
		c.mustSubscribe(ch)
	}
	if r := c.subscribe("home", nil); r.Code != "already_subscribed" {
		t.Errorf("second home: %+v", r)
	}
	if r := c.subscribe("forum:club", nil); r.Code != "not_found" {
		t.Errorf("members forum for anonymous: %+v", r) // visibility is checked before the count
	}
	if r := c.subscribe("forum:more", nil); r.Code != "too_many_subscriptions" {
		t.Errorf("fourth channel: %+v", r)
	}
	c.send(map[string]any{"type": "unsubscribe", "channel": "forum:general"})
	if r := c.next(); r.Type != "unsubscribed" || r.Channel != "forum:general" {
		t.Errorf("unsubscribe: %+v", r)
	}
	c.mustSubscribe("forum:more") // room again
	c.send(map[string]string{"type": "ping"})
	c.expect("pong")
	if s := h.Stats(); s.Conns != 1 {
		t.Errorf("stats after abuse: %+v", s)
	}
}

// An oversized message is closed with 1009; a flood gets rate_limited and
// then a 1008 close; the hub goes on serving others.
func TestOversizedAndFloodingClientsAreClosed(t *testing.T) {
	w := newWorld(t)
	h, u := hubServer(t, w.a, realtime.Options{MaxMessageBytes: 1024, MessagesPerSec: 5, Burst: 10, FloodLimit: 30})

	big := dial(t, u, nil)
	big.send(map[string]string{"type": "subscribe", "channel": strings.Repeat("x", 2000)})
	if code := big.closeCode(5 * time.Second); code != websocket.CloseMessageTooBig {
		t.Errorf("oversized message: close %d, want %d", code, websocket.CloseMessageTooBig)
	}

	flood := dial(t, u, nil)
	for i := 0; i < 100; i++ {
		if err := flood.ws.WriteMessage(websocket.TextMessage, []byte(`{"type":"ping"}`)); err != nil {
			break // the server may close before all are sent
		}
	}
	limited := false
	code := 0
	for code == 0 {
		m, err := flood.read(5 * time.Second)
		var ce *websocket.CloseError
		switch {
		case err == nil:
			limited = limited || (m.Type == "error" && m.Code == "rate_limited")
		case asCloseError(err, &ce):
			code = ce.Code
		default:
			t.Fatalf("flood: %v", err)
		}
	}
	if !limited || code != websocket.ClosePolicyViolation {
		t.Errorf("flood: rate_limited seen %v, close %d; want true and %d", limited, code, websocket.ClosePolicyViolation)
	}

	ok := dial(t, u, nil)
	ok.mustSubscribe("home")
	apptest.Eventually(t, "the closed clients to be forgotten", 5*time.Second, func() bool { return h.Stats().Conns == 1 })
}
