package realtime_test

import (
	"sync/atomic"
	"testing"
	"time"

	"parley/app/apptest"
	"parley/app/realtime"
)

// Every connection is pinged once per PingEvery, though they are pinged
// in slices (a trickle instead of one burst for thousands of clients).
func TestEveryConnectionIsPinged(t *testing.T) {
	a := apptest.New(t)
	_, u := hubServer(t, a, realtime.Options{PingEvery: 300 * time.Millisecond})
	const n = 7
	var pinged [n]atomic.Int32
	for i := range n {
		c := dial(t, u, nil)
		c.ws.SetPingHandler(func(string) error { pinged[i].Add(1); return nil })
		go func() {
			for {
				if _, _, err := c.ws.ReadMessage(); err != nil {
					return
				}
			}
		}()
	}
	apptest.Eventually(t, "two pings on every connection", 5*time.Second, func() bool {
		for i := range n {
			if pinged[i].Load() < 2 {
				return false
			}
		}
		return true
	})
}
