package realtime_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"parley/app/apptest"
	"parley/app/realtime"
	"parley/app/store"
)

// A client that keeps losing its connection while 10,000 events are
// published receives every one exactly once and in order by resubscribing
// with since: from the ring while it is close behind, from the database
// when it has fallen further back than the ring holds.
func TestCatchUpAcrossDisconnects(t *testing.T) {
	w := newWorld(t)
	h, u := hubServer(t, w.a, realtime.Options{RingSize: 2000})
	ch := fmt.Sprintf("thread:%d", w.generalT)
	start := h.Stats().Head
	const total = 10_000

	published := make(chan []int64, 1)
	go func() {
		ids, err := emitErr(w.a, total, "test.tick", store.ForumScope(w.general),
			map[string]any{"thread_id": w.generalT, "forum_id": w.general})
		if err != nil {
			t.Errorf("emit: %v", err)
		}
		published <- ids
	}()

	rng := rand.New(rand.NewPCG(4, 2))
	var got []int64
	var want []int64
	last, rounds := start, 0
	for len(got) < total {
		rounds++
		if rounds == 4 {
			// Stay away until everything is written: far more than the
			// ring holds is then missed, so catch-up reads the database.
			want = <-published
		}
		c := dial(t, u, nil)
		c.send(map[string]any{"type": "subscribe", "channel": ch, "since": last})
		for n := 1 + rng.IntN(1500); n > 0 && len(got) < total; n-- {
			m, err := c.read(10 * time.Second)
			if err != nil {
				t.Fatalf("round %d after %d events: %v", rounds, len(got), err)
			}
			switch m.Type {
			case "event":
				if m.ID <= last {
					t.Fatalf("event %d after %d: repeated or out of order", m.ID, last)
				}
				last = m.ID
				got = append(got, m.ID)
			case "subscribed", "presence":
			default:
				t.Fatalf("round %d: unexpected %+v", rounds, m)
			}
		}
		if rounds%2 == 0 {
			_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
		}
		_ = c.ws.Close() // odd rounds: the network just drops
	}
	if want == nil {
		want = <-published
	}
	if !slices.Equal(got, want) {
		t.Fatalf("received %d events, published %d; first difference at %d", len(got), len(want), firstDiff(got, want))
	}
	if rounds < 8 {
		t.Fatalf("only %d connections: the test did not disconnect enough", rounds)
	}
}

func firstDiff(a, b []int64) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// A since older than the window gets resync (and the live stream from the
// head); one inside the window but older than the ring is served from the
// database; one ahead of the log gets resync too.
func TestResyncBeyondWindow(t *testing.T) {
	w := newWorld(t)
	h, u := hubServer(t, w.a, realtime.Options{RingSize: 10, Window: 50})
	ch := fmt.Sprintf("thread:%d", w.generalT)
	ids := emit(t, w.a, 100, "test.tick", store.ForumScope(w.general), map[string]any{"thread_id": w.generalT, "forum_id": w.general})
	head := ids[len(ids)-1]
	apptest.Eventually(t, "the hub to read the log", 10*time.Second, func() bool { return h.Stats().Head >= head })

	old := dial(t, u, nil)
	if r := old.subscribe(ch, &ids[0]); r.Type != "resync" || r.ID != head {
		t.Fatalf("since %d with window 50: %+v, want resync at %d", ids[0], r, head)
	}

	mid := dial(t, u, nil)
	if r := mid.subscribe(ch, &ids[69]); r.Type != "subscribed" || r.ID != ids[69] {
		t.Fatalf("since %d: %+v", ids[69], r)
	}
	if got := mid.events(30); !slices.Equal(got, ids[70:]) {
		t.Fatalf("catch-up from the database: got %v, want %v", got, ids[70:])
	}

	future := dial(t, u, nil)
	if r := future.subscribe(ch, ptr(head+1000)); r.Type != "resync" || r.ID != head {
		t.Fatalf("since ahead of the log: %+v", r)
	}

	// After resync the stream continues live.
	next := emit(t, w.a, 1, "test.tick", store.ForumScope(w.general), map[string]any{"thread_id": w.generalT, "forum_id": w.general})
	for _, c := range []*client{old, mid, future} {
		if m := c.expect("event"); m.ID != next[0] {
			t.Fatalf("live after catch-up: %+v, want %d", m, next[0])
		}
	}
}
