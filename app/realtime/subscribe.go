package realtime

import (
	"errors"

	"parley/app/auth"
	"parley/app/errs"
	"parley/app/store"
)

// catchUpChunk is how many events catch-up takes from the ring or the
// database at a time.
const catchUpChunk = 256

func userKey(id int64) string { return store.UserScope(id) }

// subscribe checks a channel, catches the connection up from since (when
// given) and then adds it to the live fan-out without a gap or a repeat.
func (h *Hub) subscribe(c *Conn, m clientMsg) {
	ch, ok := parseChannel(m.Channel)
	if !ok {
		c.sendError(codeBadChannel, `channels are "thread:{id}", "forum:{slug}", "home" and "user"`, m.Channel)
		return
	}
	if m.Since != nil && *m.Since < 0 {
		c.sendError(codeBadMessage, "since is an event id (a whole number)", m.Channel)
		return
	}
	scope, code := h.channelScope(c.viewer.Load(), &ch)
	switch code {
	case "":
	case codeNotFound:
		c.sendError(code, notFoundMessage, m.Channel)
		return
	case codeUnauth:
		c.sendError(code, "sign in to subscribe to user", m.Channel)
		return
	default:
		c.sendError(code, "try again shortly", m.Channel)
		return
	}
	h.mu.Lock()
	code = h.refuse(c, ch)
	head := h.head
	if code == "" && (m.Since == nil || *m.Since == head) {
		h.join(c, ch, scope, head, "subscribed")
	}
	h.mu.Unlock()
	switch {
	case code == codeAlready:
		c.sendError(code, "already subscribed", m.Channel)
		return
	case code == codeTooMany:
		c.sendError(code, "too many subscriptions on one connection", m.Channel)
		return
	case m.Since == nil || *m.Since == head:
		return
	}
	since := *m.Since
	if since > head {
		// The client has seen events this hub has not read yet (another
		// node served it), or ids from another database.
		last, err := h.st.LastEventID(h.ctx)
		if err != nil {
			c.sendError(codeUnavailable, "try again shortly", m.Channel)
			return
		}
		h.mu.Lock()
		defer h.mu.Unlock()
		if since > last {
			h.join(c, ch, scope, h.head, "resync")
		} else {
			h.join(c, ch, scope, since, "subscribed")
		}
		return
	}
	if head-since > h.opt.Window {
		h.mu.Lock()
		h.join(c, ch, scope, h.head, "resync")
		h.mu.Unlock()
		return
	}
	h.catchUp(c, ch, scope, since)
}

// channelScope resolves a channel for v: its topic key and the scope that
// decides who may see the channel. A thread or forum v cannot see answers
// exactly as a missing one does.
func (h *Hub) channelScope(v *auth.Viewer, ch *channel) (string, string) {
	switch ch.kind {
	case kindThread:
		fid, err := h.forums.ThreadForumID(h.ctx, v, ch.thread)
		if e, ok := errs.As(err); ok && e.Kind == errs.KindNotFound {
			return "", codeNotFound
		}
		if err != nil {
			h.log.Warn("realtime: look up thread", "thread", ch.thread, "err", err)
			return "", codeUnavailable
		}
		return store.ForumScope(fid), ""
	case kindForum:
		f := h.index.Load().bySlug[ch.slug]
		if f == nil || !h.canSee(v, store.ForumScope(f.ID)) {
			return "", codeNotFound
		}
		return store.ForumScope(f.ID), ""
	case kindUser:
		if !v.SignedIn() {
			return "", codeUnauth
		}
		ch.key = userKey(v.ID)
		return ch.key, ""
	}
	return store.ScopePublic, ""
}

// refuse says why c may not add ch now, under h.mu.
func (h *Hub) refuse(c *Conn, ch channel) string {
	switch {
	case c.subscribed(ch.key):
		return codeAlready
	case len(c.subs) >= h.opt.MaxSubscriptions:
		return codeTooMany
	}
	return ""
}

// join adds the live subscription and tells the client where it stands,
// under h.mu, so that no event is fanned out between the two. A connection
// that has gone meanwhile is not added.
func (h *Hub) join(c *Conn, ch channel, scope string, from int64, how string) {
	if _, ok := h.conns[c]; !ok || h.refuse(c, ch) != "" {
		return
	}
	h.addSub(c, ch, scope, from)
	c.send(encode(posMsg{Type: how, Channel: ch.name, ID: from}))
}

// catchUp sends the channel's events after pos at the client's pace, from
// the ring or else the database, then joins the live fan-out at exactly
// the position it reached. Visibility is judged as each event is sent.
func (h *Hub) catchUp(c *Conn, ch channel, scope string, pos int64) {
	for {
		h.mu.Lock()
		head := h.head
		if pos >= head {
			h.join(c, ch, scope, pos, "subscribed")
			h.mu.Unlock()
			return
		}
		batch, inRing := h.ring.after(pos, catchUpChunk)
		h.mu.Unlock()
		if !inRing {
			evs, err := h.st.EventsAfter(h.ctx, pos, catchUpChunk)
			if err != nil {
				if !errors.Is(err, h.ctx.Err()) {
					h.log.Warn("realtime: catch-up read", "err", err)
				}
				c.sendError(codeUnavailable, "try again shortly", ch.name)
				return
			}
			for _, ev := range evs {
				if ev.ID > head {
					break
				}
				batch = append(batch, newEntry(ev, h.slugOf))
			}
			if len(batch) == 0 {
				pos = head // nothing else is stored below head
				continue
			}
		}
		for _, e := range batch {
			pos = e.id
			if !e.has(ch.key) || !h.canSee(c.viewer.Load(), e.scope) {
				continue
			}
			if !c.waitRoom() {
				return
			}
			c.send(e.message(ch.name))
		}
	}
}
