package realtime_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"parley/app/apptest"
	"parley/app/forum"
	"parley/app/realtime"
	"parley/app/store"
)

// Two hubs on two connections to one database behave like two nodes: a
// write through the first wakes the second through the Broker, long before
// its poll would have.
func TestBrokerWakesOtherNodes(t *testing.T) {
	w := newWorld(t)
	other, err := store.Open(context.Background(), store.Options{SQLitePath: w.a.Config.SQLitePath()})
	if w.a.Store.Dialect == "postgres" {
		other, err = store.Open(context.Background(), store.Options{DatabaseURL: w.a.Config.DatabaseURL})
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = other.Close() })
	broker := realtime.NewLocalBroker()
	slow := realtime.Options{Broker: broker, PollEvery: time.Hour}
	hubOn(t, w.a, w.a.Store, w.a.Forum, slow) // node A: shares the writers' commit signal
	_, u := hubOn(t, w.a, other, forum.New(other, w.a.Auth, w.a.Render, forum.Options{}), slow)

	c := dial(t, u, nil)
	g := fmt.Sprintf("thread:%d", w.generalT)
	c.mustSubscribe(g)
	post := w.reply(w.member, w.generalT, "from node A")
	m := c.expect("event")
	var p struct {
		PostID int64 `json:"post_id"`
	}
	_ = json.Unmarshal(m.Data, &p)
	if m.Channel != g || p.PostID != post {
		t.Fatalf("node B delivered %+v, want post %d", m, post)
	}
}

// Shutting the hub down sends every client a going-away close frame, and
// no new connection is accepted.
func TestCloseSendsGoingAway(t *testing.T) {
	w := newWorld(t)
	h, u := hubServer(t, w.a, realtime.Options{})
	a, b := dial(t, u, nil), dial(t, u, nil)
	a.mustSubscribe("home")
	b.mustSubscribe(fmt.Sprintf("thread:%d", w.generalT))
	h.Close()
	for _, c := range []*client{a, b} {
		if code := c.closeCode(5 * time.Second); code != websocket.CloseGoingAway {
			t.Errorf("close code %d, want %d", code, websocket.CloseGoingAway)
		}
	}
	if s := h.Stats(); s.Conns != 0 {
		t.Errorf("connections left after Close: %d", s.Conns)
	}
	_, resp, err := websocket.DefaultDialer.Dial(u, nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("dial after Close: %v %v", err, resp)
	}
}

// An idle connection costs one goroutine (its reader): the HTTP handler
// returns after the upgrade and a writer exists only while it has
// something to send.
func TestIdleConnectionsKeepOneGoroutine(t *testing.T) {
	w := newWorld(t)
	h, u := hubServer(t, w.a, realtime.Options{})
	g := fmt.Sprintf("thread:%d", w.generalT)
	base := runtime.NumGoroutine()
	const n = 200
	clients := make([]*client, n)
	for i := range clients {
		clients[i] = dial(t, u, nil)
		clients[i].mustSubscribe(g)
	}
	post := w.reply(w.member, w.generalT, "to everyone")
	for _, c := range clients {
		var p struct {
			PostID int64 `json:"post_id"`
		}
		if m := c.expect("event"); json.Unmarshal(m.Data, &p) != nil || p.PostID != post {
			t.Fatalf("got %+v", m)
		}
	}
	// Writers end once their queues are empty; presence may still be
	// going out, so poll.
	apptest.Eventually(t, "one goroutine per idle connection", 10*time.Second, func() bool {
		return runtime.NumGoroutine()-base <= n+2 && h.Stats().Conns == n
	})
}
