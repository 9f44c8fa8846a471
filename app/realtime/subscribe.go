package realtime

import (
	"parley/app/auth"
	"parley/app/errs"
	"parley/app/store"
)

// catchUpChunk is how many events catch-up takes from the ring or the
// database at a time.
const catchUpChunk = 256

func userKey(id int64) string { return store.UserScope(id) }

// subscribe checks a channel and adds it. With since, the client is told
// "subscribed" at since and then receives every event after it, in order,
// before anything newer: the connection lags until it has caught up.
func (h *Hub) subscribe(c *Conn, m clientMsg) {
	ch, ok := parseChannel(m.Channel)
	if !ok {
		c.sendError(codeBadChannel, `channels are "thread:{id}", "forum:{slug}", "home", "user" and "staff"`, m.Channel)
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
	last := int64(-1)
	if m.Since != nil && *m.Since > h.Stats().Head {
		// Ahead of this hub: events another node has served, or ids from
		// another database. Only the log itself can tell.
		var err error
		if last, err = h.st.LastEventID(h.ctx); err != nil {
			c.sendError(codeUnavailable, "try again shortly", m.Channel)
			return
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	switch code := h.refuse(c, ch); code {
	case codeAlready:
		c.sendError(code, "already subscribed", m.Channel)
		return
	case codeTooMany:
		c.sendError(code, "too many subscriptions on one connection", m.Channel)
		return
	}
	head := h.head
	switch since := m.Since; {
	case since == nil:
		h.join(c, ch, scope, head, "subscribed")
	case *since > head && *since > last:
		h.join(c, ch, scope, head, "resync")
	case *since >= head:
		h.join(c, ch, scope, *since, "subscribed")
	case head-*since > h.opt.Window:
		h.join(c, ch, scope, head, "resync")
	default:
		if h.join(c, ch, scope, *since, "subscribed") {
			h.lag(c, *since)
		}
	}
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
		forums := h.index.Load().byID
		f := h.index.Load().bySlug[ch.slug]
		if f == nil {
			// Perhaps created a moment ago and not yet read from the log.
			// This fresh copy decides this answer only: storing it could
			// overwrite a newer index the hub loaded meanwhile.
			m, err := h.forums.ForumMap(h.ctx)
			if err != nil {
				return "", codeUnavailable
			}
			for _, cand := range m {
				if cand.Slug == ch.slug {
					f, forums = cand, m
				}
			}
		}
		if f == nil || !h.forums.CanSeeScope(h.ctx, v, store.ForumScope(f.ID), forums) {
			return "", codeNotFound
		}
		return store.ForumScope(f.ID), ""
	case kindStaff:
		if !v.IsStaff() {
			return "", codeNotFound
		}
		return store.ScopeStaff, ""
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

// join adds the subscription and tells the client where it stands, under
// h.mu, so that no event is fanned out between the two. A connection that
// has gone meanwhile is not added.
func (h *Hub) join(c *Conn, ch channel, scope string, from int64, how string) bool {
	if _, ok := h.conns[c]; !ok {
		return false
	}
	h.addSub(c, ch, scope, from)
	c.send(encode(posMsg{Type: how, Channel: ch.name, ID: from}))
	return true
}
