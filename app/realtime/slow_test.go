package realtime_test

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"parley/app/apptest"
	"parley/app/realtime"
	"parley/app/store"
)

// A client that never reads is cut off with CloseTooSlow once the ring
// overtakes it, while a client that reads receives every event, in order.
func TestStalledReaderIsCutOff(t *testing.T) {
	w := newWorld(t)
	h, u := hubServer(t, w.a, realtime.Options{RingSize: 256, QueueSize: 16, WriteWait: 90 * time.Second})
	ch := fmt.Sprintf("thread:%d", w.generalT)

	// The stalled client keeps the kernel's default receive buffer: a
	// smaller one than the loopback MSS makes the sender fall back to
	// zero-window probes with growing back-off, which stalls the test.
	//
	// Several stalled clients, more than there are cores: a full socket
	// must never hold up anyone else's writes.
	var stalled []*client
	for range runtime.GOMAXPROCS(0) + 2 {
		sws, _, err := websocket.DefaultDialer.Dial(u, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer sws.Close()
		c := &client{t: t, ws: sws}
		c.mustSubscribe(ch)
		stalled = append(stalled, c)
	}

	healthy := dial(t, u, nil)
	healthy.mustSubscribe(ch)
	var mu sync.Mutex
	var got []int64
	readErr := make(chan error, 1)
	go func() {
		for {
			m, err := healthy.read(30 * time.Second)
			if err != nil {
				readErr <- err
				return
			}
			if m.Type == "event" {
				mu.Lock()
				got = append(got, m.ID)
				mu.Unlock()
			}
		}
	}()
	received := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(got)
	}

	// Publish big events eight at a time, each round once the healthy
	// client has the last, until the stalled one is cut off.
	pad := strings.Repeat("x", 64<<10)
	var sent []int64
	deadline := time.Now().Add(60 * time.Second)
	for h.Stats().TooSlow < int64(len(stalled)) {
		if time.Now().After(deadline) {
			t.Fatalf("the stalled client was never cut off (%d events sent)", len(sent))
		}
		sent = append(sent, emit(t, w.a, 8, "test.big", store.ForumScope(w.general),
			map[string]any{"thread_id": w.generalT, "forum_id": w.general, "pad": pad})...)
		want := len(sent)
		apptest.Eventually(t, "the healthy client", 10*time.Second, func() bool { return received() >= want })
	}
	select {
	case err := <-readErr:
		t.Fatalf("the healthy client lost its connection: %v", err)
	default:
	}
	mu.Lock()
	if !slices.Equal(got, sent) {
		t.Errorf("the healthy client got %d events, %d were sent (first difference at %d)", len(got), len(sent), firstDiff(got, sent))
	}
	mu.Unlock()

	// Reading now, each stalled client gets what was in flight, then the code.
	for _, c := range stalled {
		if code := c.closeCode(15 * time.Second); code != realtime.CloseTooSlow {
			t.Fatalf("close code %d, want %d", code, realtime.CloseTooSlow)
		}
	}
	apptest.Eventually(t, "the hub to forget the stalled clients", 5*time.Second, func() bool { return h.Stats().Conns == 1 })
}
