package realtime

import (
	"context"
	"encoding/json"
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
		posts := h.watchedPosts(evs)
		for _, ev := range evs {
			h.apply(ev, posts)
			cursor = ev.ID
		}
		if len(evs) < readBatch {
			return cursor, nil
		}
	}
}

// watchedPost is a post's public view, encoded for data.post.
type watchedPost struct {
	threadID int64
	json     json.RawMessage
}

// watchedPosts loads, in one query, the posts that the post.created and
// post.edited events of evs name in threads someone is subscribed to. Each
// is loaded once however many read its thread, and goes into the one
// message every reader of the thread's channel gets, instead of each
// reader fetching it. Posts in threads nobody watches are not read; a
// subscriber who arrives later, or a failed read, costs that reader a
// fetch, nothing more. Deleted posts are not returned.
func (h *Hub) watchedPosts(evs []store.Event) map[int64]watchedPost {
	var ids []int64
	h.mu.Lock()
	for _, ev := range evs {
		if !carriesPost(ev.Type) {
			continue
		}
		var r routing
		if json.Unmarshal([]byte(ev.Payload), &r) == nil && r.PostID > 0 && h.topics[threadKey(r.ThreadID)] != nil {
			ids = append(ids, r.PostID)
		}
	}
	h.mu.Unlock()
	if len(ids) == 0 {
		return nil
	}
	posts, err := h.forums.PostsPublic(h.ctx, ids)
	if err != nil {
		if h.ctx.Err() == nil {
			h.log.Warn("realtime: load posts", "err", err)
		}
		return nil
	}
	out := make(map[int64]watchedPost, len(posts))
	for id, p := range posts {
		if len(p.HTML) > h.opt.MaxPostBytes {
			continue // a rare huge post is fetched by those who show it
		}
		if b := encodeRaw(p); b != nil {
			out[id] = watchedPost{threadID: p.ThreadID, json: b}
		}
	}
	return out
}

// apply fans one event out. Forum changes are read first so that the
// event itself, and all after it, are judged by the forum's new settings.
func (h *Hub) apply(ev store.Event, posts map[int64]watchedPost) {
	if strings.HasPrefix(ev.Type, "forum.") {
		if err := h.reloadForums(h.ctx); err != nil && h.ctx.Err() == nil {
			h.log.Warn("realtime: reload forums", "err", err)
		}
	}
	e := newEntry(ev, h.slugOf)
	p, ok := posts[e.postID]
	h.mu.Lock()
	if ok && e.postID > 0 && p.threadID == e.threadID {
		if cost := len(p.json); h.postBytes+cost <= h.opt.PostBudget {
			e.post, e.postCost = p.json, cost
			h.postBytes += cost
		}
	}
	if old := h.ring.push(e); old != nil {
		h.postBytes -= old.postCost
	}
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
			switch c.enqueue(e.frame(i), h.opt.QueueSize) {
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
