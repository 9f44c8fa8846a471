package realtime

import (
	"errors"
	"time"
)

// tend runs the hub's timers: presence, pings, and re-reading viewers.
func (h *Hub) tend() {
	defer h.wg.Done()
	presence := time.NewTicker(h.opt.PresenceEvery)
	slices := pingSlices(h.opt.PingEvery)
	ping := time.NewTicker(h.opt.PingEvery / time.Duration(slices))
	var tick int64
	reauth := time.NewTicker(h.opt.ReauthEvery)
	defer presence.Stop()
	defer ping.Stop()
	defer reauth.Stop()
	for {
		select {
		case <-h.ctx.Done():
			return
		case <-presence.C:
			h.flushPresence()
		case <-ping.C:
			// One ticker for all connections instead of a timer each. It
			// pings one slice of them per tick, so that every connection
			// is pinged once per PingEvery but 10,000 clients' pings and
			// pongs come as a trickle, not as one burst that costs as much
			// as a post's fan-out (and delayed the posts fanned out with it).
			slice := tick % slices
			tick++
			for _, c := range h.snapshot(func(c *Conn) bool { return c.seq%slices == slice }) {
				c.enqueue(pingFrame, h.opt.QueueSize+controlSlack)
			}
		case id := <-h.reauthq:
			h.refresh(h.snapshot(func(c *Conn) bool { return c.reauth != nil && c.viewer.Load().ID == id }))
		case <-reauth.C:
			// Sign-outs and expiry leave no event; this sweep bounds how
			// long a connection outlives its session. It reads the database
			// once per connection, so it runs aside from pings and presence.
			if h.sweeping.CompareAndSwap(false, true) {
				conns := h.snapshot(func(c *Conn) bool { return c.reauth != nil })
				h.wg.Add(1)
				go func() {
					defer h.wg.Done()
					defer h.sweeping.Store(false)
					h.refresh(conns)
				}()
			}
		}
	}
}

// pingSlices is how many groups the connections are pinged in: one per
// 100 ms of PingEvery (one a second by default), at most 25.
func pingSlices(every time.Duration) int64 {
	return min(25, max(1, int64(every/(100*time.Millisecond))))
}

// refresh re-reads each connection's viewer from its credential: role and
// group changes apply to the next event delivered; a credential that has
// ended closes the connection with CloseSignedOut.
func (h *Hub) refresh(conns []*Conn) {
	for _, c := range conns {
		if h.ctx.Err() != nil {
			return
		}
		old := c.viewer.Load()
		v, err := c.reauth(h.ctx)
		switch {
		case errors.Is(err, ErrSignedOut) || (err == nil && (v == nil || v.ID != old.ID)):
			c.closeWith(CloseSignedOut, "signed out: reconnect")
		case err != nil:
			h.log.Warn("realtime: re-read viewer", "user", old.ID, "err", err)
		default:
			c.viewer.Store(v)
		}
	}
}
