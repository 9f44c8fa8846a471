package realtime

import "errors"

// lag takes c off the live fan-out and feeds it from pos on its own
// goroutine, under h.mu. Every subscription remembers the last event it
// was sent, so nothing is sent twice however often a connection lags.
func (h *Hub) lag(c *Conn, pos int64) {
	if pos < h.ring.from {
		c.fromDB = true
	}
	if c.lagging {
		c.lagPos = min(c.lagPos, pos)
		return
	}
	c.lagging, c.lagPos = true, pos
	h.stats.lagged.Add(1)
	go h.recover(c)
}

// recover sends c what it missed, a chunk at a time at the pace its
// writer drains, from the ring or (for a since older than the ring) the
// database, and puts it back on the live fan-out at the head.
func (h *Hub) recover(c *Conn) {
	for {
		h.mu.Lock()
		if !c.lagging {
			h.mu.Unlock()
			return
		}
		pos := c.lagPos
		if pos >= h.head {
			c.lagging, c.fromDB = false, false
			h.mu.Unlock()
			return
		}
		head := h.head
		batch, inRing := h.ring.after(pos, catchUpChunk)
		if !inRing && !c.fromDB {
			h.cutOff(c)
			h.mu.Unlock()
			return
		}
		h.mu.Unlock()
		if !inRing {
			var err error
			if batch, err = h.fromLog(pos, head); err != nil {
				if !errors.Is(err, h.ctx.Err()) {
					h.log.Warn("realtime: catch-up read", "err", err)
				}
				c.closeWith(CloseTooSlow, "catch-up failed: "+tooSlowText)
				return
			}
		}
		h.mu.Lock()
		if !c.lagging || c.lagPos != pos {
			h.mu.Unlock() // a new since moved the position back: read again
			continue
		}
		if inRing {
			c.fromDB = false
		}
		var sends [][]byte
		for _, e := range batch {
			sends = h.pending(c, e, sends)
			c.lagPos = e.id
		}
		if len(batch) == 0 {
			c.lagPos = head // nothing else is stored up to head
		}
		h.mu.Unlock()
		for _, o := range sends {
			if !c.waitRoom() || c.enqueue(o, c.h.opt.QueueSize) != queued {
				return
			}
		}
	}
}

// pending appends the messages e owes c on its subscriptions and marks them
// sent, under h.mu. Visibility is judged now, as for live events.
func (h *Hub) pending(c *Conn, e *entry, sends [][]byte) [][]byte {
	for i, key := range e.topics {
		t := h.topics[key]
		if t == nil {
			continue
		}
		from, ok := t.subs[c]
		if !ok || e.id <= from || !h.canSee(c.viewer.Load(), e.scope) {
			continue
		}
		sends = append(sends, e.frame(i))
		t.subs[c] = e.id
	}
	return sends
}

// fromLog reads events after pos up to head from the database.
func (h *Hub) fromLog(pos, head int64) ([]*entry, error) {
	evs, err := h.st.EventsAfter(h.ctx, pos, catchUpChunk)
	if err != nil {
		return nil, err
	}
	var batch []*entry
	for _, ev := range evs {
		if ev.ID > head {
			break
		}
		batch = append(batch, newEntry(ev, h.slugOf))
	}
	return batch, nil
}
