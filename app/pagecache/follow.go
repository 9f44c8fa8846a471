package pagecache

import (
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"parley/app/store"
)

// Tags that handlers attach to what they store and that events invalidate.
const HomeTag = "home"

// ThreadTag marks a response that shows thread id's posts.
func ThreadTag(id int64) string { return "thread:" + strconv.FormatInt(id, 10) }

// ForumTag marks a response that lists forum id's threads.
func ForumTag(id int64) string { return "forum:" + strconv.FormatInt(id, 10) }

// Log is the part of the store the Follower reads.
type Log interface {
	EventsAfter(ctx context.Context, after int64, limit int) ([]store.Event, error)
	LastEventID(ctx context.Context) (int64, error)
	Commits() *store.Signal
}

// PollEvery bounds how late a write made by another process or node is
// noticed (local commits wake the Follower at once).
const PollEvery = time.Second

// Follow applies the event log to c until ctx ends. It starts at the newest
// event: the cache is empty at start, so nothing older can be in it.
func (c *Cache) Follow(ctx context.Context, lg Log, log *slog.Logger) {
	sig := lg.Commits()
	var cursor int64
	started := false
	for {
		// Wait before Seq: a commit between the two both closes wake and
		// is counted in seq, so it is never missed.
		wake := sig.Wait()
		seq := sig.Seq()
		if !started {
			id, err := lg.LastEventID(ctx)
			if err == nil {
				cursor, started = id, true
				c.Flush() // anything stored before we knew the log position may be stale
				c.caughtUp(seq)
			} else if ctx.Err() == nil {
				log.Warn("page cache: read event log", "err", err)
			}
		} else if next, err := c.apply(ctx, lg, cursor); err == nil {
			cursor = next
			c.caughtUp(seq)
		} else if ctx.Err() == nil {
			// Until the log can be read again the cache stays bypassed
			// (seen lags the commit sequence), and is flushed to be safe.
			log.Warn("page cache: read event log", "err", err)
			c.Flush()
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-time.After(PollEvery):
		}
	}
}

// apply reads every event after cursor and invalidates what it touches.
func (c *Cache) apply(ctx context.Context, lg Log, cursor int64) (int64, error) {
	const batch = 1000
	for {
		evs, err := lg.EventsAfter(ctx, cursor, batch)
		if err != nil {
			return cursor, err
		}
		var tags []string
		flush := false
		for _, ev := range evs {
			t, all := TagsOf(ev)
			tags = append(tags, t...)
			flush = flush || all
			cursor = ev.ID
		}
		if flush {
			c.Flush()
		} else {
			c.Invalidate(tags...)
		}
		if len(evs) < batch {
			return cursor, nil
		}
	}
}

// TagsOf says what an event makes stale: the thread and forum it names and
// the home page, or everything (all=true) for changes that show on every
// page (a forum's name or visibility, a username, the site's branding) and
// for any event type not known here — the safe default for new features.
func TagsOf(ev store.Event) (tags []string, all bool) {
	switch {
	case ev.Scope == store.ScopeStaff:
		// Staff business (the review queue's review.*, moderation
		// settings, sign-ups): no anonymous page shows it. A staff action
		// that changes a page writes its own event for that (post.hidden,
		// post.deleted, thread.updated).
		return nil, false
	case ev.Type == "user.registered":
		return nil, false // shown on no cached page
	case strings.HasPrefix(ev.Type, "notification."):
		return nil, false // a member's own bell: never on an anonymous page
	case strings.HasPrefix(ev.Type, "post."), strings.HasPrefix(ev.Type, "reaction."), strings.HasPrefix(ev.Type, "thread."):
		var p struct {
			ThreadID int64 `json:"thread_id"`
			ForumID  int64 `json:"forum_id"`
		}
		if err := json.Unmarshal([]byte(ev.Payload), &p); err != nil || p.ThreadID == 0 || p.ForumID == 0 {
			return nil, true
		}
		return []string{ThreadTag(p.ThreadID), ForumTag(p.ForumID), HomeTag}, false
	}
	return nil, true
}
