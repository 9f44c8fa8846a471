package notify_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"parley/app/apptest"
)

// dial opens the real-time endpoint as c, the way a browser does (session
// cookie, same Origin), and subscribes to channel.
func dial(t *testing.T, a *apptest.App, c *apptest.Client, channel string) *websocket.Conn {
	t.Helper()
	u, _ := url.Parse(a.URL)
	var cookies []string
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		cookies = append(cookies, ck.Name+"="+ck.Value)
	}
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(a.URL, "http")+"/api/v1/ws",
		http.Header{"Cookie": {strings.Join(cookies, "; ")}, "Origin": {a.URL}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	if err := ws.WriteJSON(map[string]string{"type": "subscribe", "channel": channel}); err != nil {
		t.Fatal(err)
	}
	if m := next(t, ws); m.Type != "subscribed" {
		t.Fatalf("subscribe %s: %+v", channel, m)
	}
	return ws
}

type message struct {
	Type    string `json:"type"`
	Event   string `json:"event"`
	Channel string `json:"channel"`
	Data    struct {
		ID          int64   `json:"id"`
		PostID      int64   `json:"post_id"`
		Kind        string  `json:"kind"`
		ThreadTitle string  `json:"thread_title"`
		Unread      *int64  `json:"unread"`
		IDs         []int64 `json:"ids"`
		Actor       struct {
			Username string `json:"username"`
		} `json:"actor"`
	} `json:"data"`
}

// next reads the next message that is not presence.
func next(t *testing.T, ws *websocket.Conn) message {
	t.Helper()
	for {
		_ = ws.SetReadDeadline(time.Now().Add(10 * time.Second))
		var m message
		if err := ws.ReadJSON(&m); err != nil {
			t.Fatal(err)
		}
		if m.Type != "presence" {
			return m
		}
	}
}

// The recipient's open page hears of a notification at once, with the
// count for its bell, and of marking it read; nobody else's channel
// carries it, not even the thread's channel an admin watches.
func TestUserChannelCarriesNotifications(t *testing.T) {
	w := newWorld(t)
	th, _ := thread(w.ben, t, w.generalSlug, "Route planning", "Which way up?")
	w.a.Settle()
	anna := dial(t, w.a, w.anna, "user")
	carl := dial(t, w.a, w.carl, "user")
	admin := dial(t, w.a, w.admin, fmt.Sprintf("thread:%d", th))

	p := reply(w.ben, t, th, "@anna knows the east ridge.")
	m := next(t, anna)
	if m.Type != "event" || m.Event != "notification.created" || m.Channel != "user" || m.Data.Unread == nil || *m.Data.Unread != 1 ||
		m.Data.Kind != "mention" || m.Data.PostID != p || m.Data.ThreadTitle != "Route planning" || m.Data.Actor.Username != "ben" {
		t.Fatalf("anna got %+v", m)
	}

	w.anna.Must(http.StatusOK, "POST", fmt.Sprintf("/api/v1/notifications/%d/read", m.Data.ID), nil)
	if r := next(t, anna); r.Event != "notification.read" || r.Data.Unread == nil || *r.Data.Unread != 0 || len(r.Data.IDs) != 1 || r.Data.IDs[0] != m.Data.ID {
		t.Fatalf("after marking read anna got %+v", r)
	}

	// A reply that notifies nobody is the marker: events arrive in log
	// order, so anything routed to these channels before it shows up first.
	marker := reply(w.ben, t, th, "Thanks, I will ask her.")
	for {
		m := next(t, admin)
		if strings.HasPrefix(m.Event, "notification.") {
			t.Fatalf("the thread channel carried %+v", m)
		}
		if m.Event == "post.created" && m.Data.PostID == marker {
			break
		}
	}
	_ = carl.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	var stray message
	if err := carl.ReadJSON(&stray); err == nil && stray.Type != "presence" {
		t.Fatalf("carl's user channel carried %+v", stray)
	}
}
