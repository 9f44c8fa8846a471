package notify

import (
	"context"
	"encoding/json"
	"fmt"

	"parley/app/forum"
	"parley/app/store"
)

// op is one change a batch of events makes: a notification to add, or the
// notifications about a deleted post (or thread) to remove. Ops keep the
// order of the events they come from.
type op struct {
	add    *pending
	remove *removal
}

// pending is a notification decided on but not yet written.
type pending struct {
	userID, actorID, postID, threadID int64
	kind                              string
	actorName, threadTitle            string
	forumID                           int64 // for the recipient's visibility check
}

type removal struct {
	postID   int64
	threadID int64 // set when the post's deletion removed its whole thread
}

// eventPayload is what this package reads of post.* and reaction.changed payloads.
type eventPayload struct {
	PostID        int64   `json:"post_id"`
	ThreadID      int64   `json:"thread_id"`
	Mentions      []int64 `json:"mentions"`
	ThreadDeleted bool    `json:"thread_deleted"`
	From          string  `json:"from"`
	To            string  `json:"to"`
}

// postFacts is a post as the notifier needs it, read when the event is
// applied (so a post deleted in the meantime notifies nobody).
type postFacts struct {
	ID             int64
	ThreadID       int64
	Number         int
	AuthorID       int64
	Body           string
	ThreadAuthorID int64
	Title          string
	ForumID        int64
	Gone           int // 1 when the post or its thread is deleted
}

// plan decides what a batch of events means for notifications. It only
// reads, in a fixed number of queries per batch: the posts, the posts they
// quote, the people involved and the forums.
func (s *Service) plan(ctx context.Context, evs []store.Event) ([]op, error) {
	type item struct {
		typ   string
		actor int64
		p     eventPayload
	}
	var (
		items   []item
		postIDs []int64
	)
	for _, ev := range evs {
		switch ev.Type {
		case "post.created", "post.edited", "post.deleted", "reaction.changed", "post.hidden":
		default:
			continue
		}
		var p eventPayload
		if err := json.Unmarshal([]byte(ev.Payload), &p); err != nil || p.PostID <= 0 {
			// A payload this code cannot read would block the consumer for
			// ever if it were an error; it is a bug to log, not to retry.
			s.log.Error("notify: unreadable event payload", "event", ev.ID, "type", ev.Type, "err", err)
			continue
		}
		// Only a new reaction notifies; switching kind or taking one back
		// does not, so toggling cannot ring anyone's bell repeatedly.
		if ev.Type == "reaction.changed" && (p.From != "" || p.To == "") {
			continue
		}
		var actor int64
		if ev.ActorID != nil {
			actor = *ev.ActorID
		}
		items = append(items, item{typ: ev.Type, actor: actor, p: p})
		if ev.Type != "post.deleted" {
			postIDs = append(postIDs, p.PostID)
		}
	}
	if len(items) == 0 {
		return nil, nil
	}
	facts, err := s.postFacts(ctx, postIDs)
	if err != nil {
		return nil, err
	}
	quotes := map[int64][]int64{}
	var quoted []int64
	for _, it := range items {
		if f := facts[it.p.PostID]; f != nil && f.Gone == 0 && (it.typ == "post.created" || it.typ == "post.edited") {
			quotes[f.ID] = forum.QuotedPosts(f.Body)
			quoted = append(quoted, quotes[f.ID]...)
		}
	}
	quotedAuthor, err := s.postAuthors(ctx, quoted)
	if err != nil {
		return nil, err
	}

	var ops []op
	people := map[int64]bool{}
	for _, it := range items {
		if it.typ == "post.deleted" {
			r := &removal{postID: it.p.PostID}
			if it.p.ThreadDeleted {
				r.threadID = it.p.ThreadID
			}
			ops = append(ops, op{remove: r})
			continue
		}
		f := facts[it.p.PostID]
		if f == nil || f.Gone != 0 || it.actor <= 0 {
			continue
		}
		if it.typ == "post.hidden" {
			// The author learns that the post is hidden, not who flagged
			// or hid it: they stand as the notification's actor.
			people[f.AuthorID] = true
			ops = append(ops, op{add: &pending{userID: f.AuthorID, actorID: f.AuthorID, postID: f.ID, threadID: f.ThreadID,
				kind: KindPostHidden, threadTitle: f.Title, forumID: f.ForumID}})
			continue
		}
		// One notification per recipient and post among the post kinds,
		// the first that applies (see postKinds); never to the actor.
		told := map[int64]bool{it.actor: true}
		add := func(user int64, kind string) {
			if user <= 0 || told[user] {
				return
			}
			told[user] = true
			people[user], people[it.actor] = true, true
			ops = append(ops, op{add: &pending{userID: user, actorID: it.actor, postID: f.ID, threadID: f.ThreadID,
				kind: kind, threadTitle: f.Title, forumID: f.ForumID}})
		}
		switch it.typ {
		case "reaction.changed":
			add(f.AuthorID, KindReaction)
		case "post.created", "post.edited":
			for _, q := range quotes[f.ID] {
				if a, ok := quotedAuthor[q]; ok {
					add(a, KindQuote)
				}
			}
			for _, m := range it.p.Mentions {
				add(m, KindMention)
			}
			// An edit cannot make a post a new reply; the thread's author
			// heard of it when it was posted.
			if it.typ == "post.created" && f.Number > 1 {
				add(f.ThreadAuthorID, KindReplyThread)
			}
		}
	}
	return s.visible(ctx, ops, people)
}

// visible drops notifications whose recipient may not see the post's forum
// (a mention in a staff forum does not tell a member the thread exists) and
// fills in the actors' names.
func (s *Service) visible(ctx context.Context, ops []op, people map[int64]bool) ([]op, error) {
	if len(people) == 0 {
		return ops, nil
	}
	ids := make([]int64, 0, len(people))
	for id := range people {
		ids = append(ids, id)
	}
	viewers, err := s.users.Viewers(ctx, ids)
	if err != nil {
		return nil, err
	}
	forums, err := s.forums.ForumMap(ctx)
	if err != nil {
		return nil, fmt.Errorf("notify: load forums: %w", err)
	}
	kept := ops[:0]
	for _, o := range ops {
		if n := o.add; n != nil {
			v, actor := viewers[n.userID], viewers[n.actorID]
			if v == nil || actor == nil || !s.forums.CanSeeScope(ctx, v, store.ForumScope(n.forumID), forums) {
				continue
			}
			n.actorName = actor.Username
		}
		kept = append(kept, o)
	}
	return kept, nil
}

// postFacts loads posts with their threads, by id.
func (s *Service) postFacts(ctx context.Context, ids []int64) (map[int64]*postFacts, error) {
	out := make(map[int64]*postFacts, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []postFacts
	err := s.st.R.WithContext(ctx).Raw(`SELECT p.id, p.thread_id, p.number, p.user_id AS author_id, p.body,
		t.user_id AS thread_author_id, t.title, t.forum_id,
		CASE WHEN p.deleted_at IS NULL AND t.deleted_at IS NULL THEN 0 ELSE 1 END AS gone
		FROM posts p JOIN threads t ON t.id = p.thread_id WHERE p.id IN ?`, ids).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("notify: load posts: %w", err)
	}
	for i := range rows {
		out[rows[i].ID] = &rows[i]
	}
	return out, nil
}

// postAuthors maps the ids of posts that still stand to their authors.
func (s *Service) postAuthors(ctx context.Context, ids []int64) (map[int64]int64, error) {
	out := make(map[int64]int64, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct{ ID, UserID int64 }
	err := s.st.R.WithContext(ctx).Raw("SELECT id, user_id FROM posts WHERE id IN ? AND deleted_at IS NULL", ids).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("notify: load quoted posts: %w", err)
	}
	for _, r := range rows {
		out[r.ID] = r.UserID
	}
	return out, nil
}
