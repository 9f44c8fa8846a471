package realtime

import (
	"context"
	"strings"
	"time"

	"parley/app/forum"
	"parley/app/store"
)

// readBatch is how many events one read of the log takes.
const readBatch = 1000

// forumIndex is the hub's copy of the forums table (tens of rows), swapped
// whole when a forum.* event says it changed.
type forumIndex struct {
	byID   map[int64]*forum.Forum
	bySlug map[string]*forum.Forum
}

func (h *Hub) reloadForums(ctx context.Context) error {
	m, err := h.forums.ForumMap(ctx)
	if err != nil {
		return err
	}
	idx := &forumIndex{byID: m, bySlug: make(map[string]*forum.Forum, len(m))}
	for _, f := range m {
		idx.bySlug[f.Slug] = f
	}
	h.index.Store(idx)
	return nil
}

func (h *Hub) slugOf(id int64) string {
	if f := h.index.Load().byID[id]; f != nil {
		return f.Slug
	}
	return ""
}

// follow is the hub's consumer loop: wake, read everything new, fan out.
// A wake-up carries no data, so a missed one costs latency, never events.
func (h *Hub) follow(cursor int64) {
	defer h.wg.Done()
	sig := h.st.Commits()
	var remote <-chan int64
	if b := h.opt.Broker; b != nil {
		ch, err := b.Subscribe(h.ctx)
		if err != nil {
			h.log.Warn("realtime: broker subscribe", "err", err)
		}
		remote = ch
	}
	poll := time.NewTicker(h.opt.PollEvery)
	defer poll.Stop()
	local := false
	for {
		// Wait before reading: a commit during the read closes wake, so
		// it is read on the next round.
		wake := sig.Wait()
		next, err := h.read(cursor)
		if err != nil && h.ctx.Err() == nil {
			h.log.Warn("realtime: read event log", "err", err)
		}
		if next > cursor && local && h.opt.Broker != nil {
			// Our own node committed: tell the others where the log is.
			if err := h.opt.Broker.Publish(h.ctx, next); err != nil && h.ctx.Err() == nil {
				h.log.Warn("realtime: broker publish", "err", err)
			}
		}
		cursor = next
		select {
		case <-h.ctx.Done():
			return
		case <-wake:
			local = true
		case _, ok := <-remote:
			if !ok {
				remote = nil
			}
			local = false
		case <-poll.C:
			local = false
		}
	}
}

// read applies every event after cursor and returns the new position.
func (h *Hub) read(cursor int64) (int64, error) {
	for {
		evs, err := h.st.EventsAfter(h.ctx, cursor, readBatch)
		if err != nil {
			return cursor, err
		}
		for _, ev := range evs {
			h.apply(ev)
			cursor = ev.ID
		}
		if len(evs) < readBatch {
			return cursor, nil
		}
	}
}

// apply fans one event out. Forum changes are read first so that the
// event itself, and all after it, are judged by the forum's new settings.
func (h *Hub) apply(ev store.Event) {
	if strings.HasPrefix(ev.Type, "forum.") {
		if err := h.reloadForums(h.ctx); err != nil && h.ctx.Err() == nil {
			h.log.Warn("realtime: reload forums", "err", err)
		}
	}
	e := newEntry(ev, h.slugOf)
	h.mu.Lock()
	h.ring.push(e)
	h.head = e.id
	h.fanout(e)
	h.mu.Unlock()
	if e.userID > 0 {
		select {
		case h.reauthq <- e.userID:
		default: // the periodic sweep catches up
		}
	}
}

// fanout sends e to every subscriber of its topics that may see it, while
// h.mu is held. Each channel's message is encoded once and shared: what an
// event says does not depend on who reads it, only whether they may.
//
// A connection whose queue is full is not cut off at once: it switches to
// catching up from the ring at its own pace (lag), so that a burst costs
// nobody their connection. It is cut off only when the ring overtakes it.
func (h *Hub) fanout(e *entry) {
	for i, key := range e.topics {
		t := h.topics[key]
		if t == nil {
			continue
		}
		for c, from := range t.subs {
			if c.lagging {
				if !c.fromDB && c.lagPos < h.ring.from {
					h.cutOff(c)
				}
				continue
			}
			if e.id <= from || !h.canSee(c.viewer.Load(), e.scope) {
				continue
			}
			pm := e.prepared(i)
			if pm == nil {
				continue
			}
			switch c.enqueue(out{pm: pm}, h.opt.QueueSize) {
			case queued:
				t.subs[c] = e.id
				h.stats.delivered.Add(1)
			case full:
				h.lag(c, e.id-1)
			}
		}
	}
}

// cutOff closes a connection that has fallen out of the ring, under h.mu.
func (h *Hub) cutOff(c *Conn) {
	c.lagging = false // nothing more to catch up; the writer closes it
	h.stats.tooSlow.Add(1)
	c.closeWith(CloseTooSlow, tooSlowText)
}
