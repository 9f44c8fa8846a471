package search

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"parley/app/store"
)

// follow is the consumer loop, the only writer of the index: it rebuilds
// when a build is due (at start, or asked for by Reindex) and otherwise
// applies the log from pos. A wake-up carries no data, so a missed one
// costs latency only.
func (s *Service) follow(ctx context.Context, pos int64) {
	defer close(s.done)
	sig := s.st.Commits()
	poll := time.NewTicker(s.opt.PollEvery)
	defer poll.Stop()
	for {
		wake := sig.Wait() // before reading: a commit during the read wakes the next round
		if s.locked.Load() {
			pos = s.takeOver(pos)
		}
		if !s.locked.Load() && s.isDue() {
			next, err := s.rebuild(ctx)
			if err == nil {
				pos = next
				s.applied.Store(pos)
			} else if ctx.Err() == nil {
				s.log.Warn("search: rebuild", "err", err)
			}
			s.finishBuild(err)
		}
		if !s.locked.Load() && !s.isDue() {
			next, err := s.catchUp(ctx, pos)
			pos = next
			switch {
			case err == nil:
				// A rebuilt index is ready once it holds the events
				// written while it was built, not at the swap.
				s.rebuilding.Store(false)
			case ctx.Err() == nil:
				s.log.Warn("search: apply event log", "err", err, "position", pos)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-poll.C:
		case <-s.nudge:
		}
	}
}

// takeOver opens the index another process held, once it lets go; a
// missing or outdated one is then rebuilt.
func (s *Service) takeOver(pos int64) int64 {
	idx, at, ok, err := s.open(s.path())
	if err != nil {
		return pos // still held (or unreadable): try again on the next poll
	}
	s.mu.Lock()
	s.idx = idx
	s.mu.Unlock()
	s.applied.Store(at)
	s.rebuilding.Store(!ok)
	s.setDue(!ok)
	s.locked.Store(false)
	return at
}

// catchUp applies every event after pos, one Bleve batch per read. Each
// batch carries the checkpoint (SetInternal), so the index holds exactly
// the events up to its checkpoint: a crash loses nothing and repeats
// nothing. (Applying an event means loading the post's current state, so
// even a repeat would be harmless.)
func (s *Service) catchUp(ctx context.Context, pos int64) (int64, error) {
	s.mu.RLock()
	idx := s.idx // only this goroutine replaces it
	s.mu.RUnlock()
	if idx == nil {
		return pos, nil
	}
	for {
		evs, err := s.st.EventsAfter(ctx, pos, s.opt.Batch)
		if err != nil || len(evs) == 0 {
			return pos, err
		}
		last := evs[len(evs)-1].ID
		b := idx.NewBatch()
		if err := s.apply(ctx, idx, b, evs); err != nil {
			return pos, err
		}
		b.SetInternal([]byte(keyCheckpoint), []byte(strconv.FormatInt(last, 10)))
		if err := idx.Batch(b); err != nil {
			return pos, fmt.Errorf("search: write batch up to event %d: %w", last, err)
		}
		pos = last
		s.applied.Store(pos)
		if len(evs) < s.opt.Batch {
			return pos, nil
		}
	}
}

// payload is the part of content events the indexer reads.
type payload struct {
	PostID        int64   `json:"post_id"`
	ThreadID      int64   `json:"thread_id"`
	ForumID       int64   `json:"forum_id"`
	ThreadDeleted bool    `json:"thread_deleted"`
	Title         *string `json:"title"`
}

// consumed reports whether the index reads events of type typ. Every
// post.* event names a post whose current state is re-read, so a new kind
// of change to a post (hiding one, say) reaches the index with no change
// here.
func consumed(typ string) bool {
	switch typ {
	case "reaction.changed", "thread.updated", "forum.created", "forum.updated":
		return true
	}
	return strings.HasPrefix(typ, "post.")
}

// apply adds to b what evs change. Every touched post is re-read from the
// database and indexed as it is now, or deleted from the index when it is
// no longer visible. Forum visibility is not in the index (searches filter
// by forum id), so only a forum's language change rewrites its posts.
func (s *Service) apply(ctx context.Context, idx bleve.Index, b *bleve.Batch, evs []store.Event) error {
	posts := map[int64]bool{}
	forums := map[int64]bool{}
	for _, ev := range evs {
		if !consumed(ev.Type) {
			continue
		}
		var p payload
		if err := json.Unmarshal([]byte(ev.Payload), &p); err != nil {
			s.log.Warn("search: unreadable event payload", "id", ev.ID, "type", ev.Type, "err", err)
			continue
		}
		switch ev.Type {
		case "reaction.changed":
			posts[p.PostID] = true
		case "thread.updated":
			if p.Title != nil {
				if err := s.addThread(ctx, posts, p.ThreadID, true); err != nil {
					return err
				}
			}
		case "forum.created", "forum.updated":
			forums[p.ForumID] = true
		default: // post.*: created, edited, deleted, and any added later
			if p.PostID > 0 {
				posts[p.PostID] = true
			}
			if p.ThreadDeleted {
				if err := s.addThread(ctx, posts, p.ThreadID, false); err != nil {
					return err
				}
			}
		}
	}
	for id := range forums {
		if err := s.retag(ctx, idx, id); err != nil {
			return err
		}
	}
	ids := make([]int64, 0, len(posts))
	for id := range posts {
		ids = append(ids, id)
	}
	for len(ids) > 0 {
		n := min(len(ids), s.opt.Chunk)
		if err := s.put(ctx, b, ids[:n]); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

func (s *Service) addThread(ctx context.Context, posts map[int64]bool, threadID int64, firstOnly bool) error {
	ids, err := s.forums.ThreadPostIDs(ctx, threadID, firstOnly)
	for _, id := range ids {
		posts[id] = true
	}
	return err
}

// put indexes the visible posts among ids and deletes the others.
func (s *Service) put(ctx context.Context, b *bleve.Batch, ids []int64) error {
	docs, err := s.forums.SearchDocs(ctx, ids)
	if err != nil {
		return err
	}
	found := make(map[int64]bool, len(docs))
	for i := range docs {
		found[docs[i].PostID] = true
		if err := b.Index(docID(docs[i].PostID), document(&docs[i])); err != nil {
			return fmt.Errorf("search: index post %d: %w", docs[i].PostID, err)
		}
	}
	for _, id := range ids {
		if !found[id] {
			b.Delete(docID(id))
		}
	}
	return nil
}

// retag re-indexes a forum's posts when their language in the index is not
// the forum's language any more. It writes its own batches (a forum may
// hold many posts); being idempotent, they need no checkpoint.
func (s *Service) retag(ctx context.Context, idx bleve.Index, forumID int64) error {
	fs, err := s.forums.ForumMap(ctx)
	if err != nil {
		return err
	}
	f, ok := fs[forumID]
	if !ok {
		return nil
	}
	stale := query.NewBooleanQuery(
		[]query.Query{termQ(fForum, strconv.FormatInt(forumID, 10))}, nil,
		[]query.Query{termQ(fLang, f.Language)})
	res, err := idx.SearchInContext(ctx, bleve.NewSearchRequestOptions(stale, 0, 0, false))
	if err != nil {
		return fmt.Errorf("search: find posts of forum %d to re-tag: %w", forumID, err)
	}
	if res.Total == 0 {
		return nil
	}
	_, err = s.scan(ctx, idx, forumID, nil)
	return err
}

// scan indexes every visible post (of one forum, or all for 0) in chunks
// of Chunk posts by id, one batch each.
func (s *Service) scan(ctx context.Context, idx bleve.Index, forumID int64, chunkDone func(n int)) (int64, error) {
	var after, total int64
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		docs, err := s.forums.SearchDocsAfter(ctx, forumID, after, s.opt.Chunk)
		if err != nil || len(docs) == 0 {
			return total, err
		}
		b := idx.NewBatch()
		for i := range docs {
			if err := b.Index(docID(docs[i].PostID), document(&docs[i])); err != nil {
				return total, fmt.Errorf("search: index post %d: %w", docs[i].PostID, err)
			}
		}
		if err := idx.Batch(b); err != nil {
			return total, fmt.Errorf("search: write batch after post %d: %w", after, err)
		}
		after = docs[len(docs)-1].PostID
		total += int64(len(docs))
		if chunkDone != nil {
			chunkDone(len(docs))
		}
	}
}

func termQ(field, term string) query.Query {
	q := query.NewTermQuery(term)
	q.SetField(field)
	return q
}
