package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"parley/app/store"
)

// Actor is who caused a notification.
type Actor struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
}

// createdPayload is the payload of notification.created, scoped to the
// recipient: the browser's bell reads unread, a toast the rest.
type createdPayload struct {
	ID          int64  `json:"id"`
	Kind        string `json:"kind"`
	Actor       Actor  `json:"actor"`
	PostID      int64  `json:"post_id"`
	ThreadID    int64  `json:"thread_id"`
	ThreadTitle string `json:"thread_title"`
	Unread      int64  `json:"unread"`
}

// readPayload is the payload of notification.read: notifications that
// stopped being unread (marked read, or removed with their post), so every
// open tab of the recipient can update its bell.
type readPayload struct {
	IDs    []int64 `json:"ids,omitempty"`
	All    bool    `json:"all,omitempty"`
	Unread int64   `json:"unread"`
}

// event is a notification.* event to write once the rows are.
type event struct {
	typ, scope, subject string
	actor               int64
	payload             any
}

// commit applies a batch's ops and moves the stored position from from to
// next, all in one transaction.
//
// Rows first, events last. On PostgreSQL, Emit takes the log's advisory
// lock, and writers such as React hold a post's row lock (FOR UPDATE) while
// they wait for it; inserting a notification takes a key-share lock on the
// same post (its foreign key). Emitting in between inserts could hold the
// advisory lock while waiting for that row: a deadlock. Emitting after all
// row changes never does.
func (s *Service) commit(ctx context.Context, ops []op, from, next int64) error {
	now := s.now()
	return s.st.Tx(ctx, func(tx *gorm.DB) error {
		if err := savePosition(tx, from, next, now); err != nil {
			return err
		}
		var evs []event
		for _, o := range ops {
			var err error
			if o.add != nil {
				evs, err = insert(tx, o.add, now, evs)
			} else {
				evs, err = remove(tx, o.remove, evs)
			}
			if err != nil {
				return err
			}
		}
		for _, e := range evs {
			if _, err := store.Emit(tx, e.typ, e.scope, e.actor, e.subject, e.payload); err != nil {
				return err
			}
		}
		return nil
	})
}

// insert writes one notification and adds its event to evs, unless the
// recipient has already been told: the unique index covers the same kind,
// and for the post kinds any of them counts (a quote and then an edit that
// adds a mention of the same person is still one notification).
func insert(tx *gorm.DB, n *pending, now time.Time, evs []event) ([]event, error) {
	if n.kind != KindReaction {
		var k int64
		if err := tx.Raw("SELECT COUNT(*) FROM notifications WHERE post_id = ? AND user_id = ? AND kind IN ?",
			n.postID, n.userID, postKinds).Scan(&k).Error; err != nil {
			return evs, fmt.Errorf("notify: check earlier notifications: %w", err)
		}
		if k > 0 {
			return evs, nil
		}
	}
	var id int64
	err := tx.Raw(`INSERT INTO notifications (user_id, kind, actor_id, post_id, thread_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (post_id, user_id, kind) DO NOTHING RETURNING id`,
		n.userID, n.kind, n.actorID, n.postID, n.threadID, now).Row().Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return evs, nil // already there: this event was applied before
	}
	if err != nil {
		return evs, fmt.Errorf("notify: write notification: %w", err)
	}
	unread, err := unreadIn(tx, n.userID)
	if err != nil {
		return evs, err
	}
	return append(evs, event{typ: "notification.created", scope: store.UserScope(n.userID), actor: n.actorID,
		subject: fmt.Sprintf("notification:%d", id),
		payload: createdPayload{ID: id, Kind: n.kind, Actor: Actor{ID: n.actorID, Username: n.actorName},
			PostID: n.postID, ThreadID: n.threadID, ThreadTitle: n.threadTitle, Unread: unread}}), nil
}

// remove deletes the notifications about a deleted post (or every post of
// a deleted thread): their links would lead nowhere, and the bell must not
// count what the list cannot show. Recipients who lose an unread one get a
// notification.read with their new count.
func remove(tx *gorm.DB, r *removal, evs []event) ([]event, error) {
	where, arg := "post_id = ?", r.postID
	if r.threadID > 0 {
		where, arg = "post_id IN (SELECT id FROM posts WHERE thread_id = ?)", r.threadID
	}
	var unread []struct{ ID, UserID int64 }
	if err := tx.Raw("SELECT id, user_id FROM notifications WHERE read_at IS NULL AND "+where+" ORDER BY id", arg).Scan(&unread).Error; err != nil {
		return evs, fmt.Errorf("notify: find notifications of a deleted post: %w", err)
	}
	if err := tx.Exec("DELETE FROM notifications WHERE "+where, arg).Error; err != nil {
		return evs, fmt.Errorf("notify: remove notifications of a deleted post: %w", err)
	}
	byUser := map[int64][]int64{}
	var users []int64
	for _, u := range unread {
		if byUser[u.UserID] == nil {
			users = append(users, u.UserID)
		}
		byUser[u.UserID] = append(byUser[u.UserID], u.ID)
	}
	slices.Sort(users)
	for _, u := range users {
		n, err := unreadIn(tx, u)
		if err != nil {
			return evs, err
		}
		// No actor: who deleted the post is not the recipient's business.
		evs = append(evs, event{typ: "notification.read", scope: store.UserScope(u), subject: fmt.Sprintf("user:%d", u),
			payload: readPayload{IDs: byUser[u], Unread: n}})
	}
	return evs, nil
}

// unreadIn counts a user's unread notifications inside tx.
func unreadIn(tx *gorm.DB, userID int64) (int64, error) {
	var n int64
	if err := tx.Raw("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", userID).Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("notify: count unread of %d: %w", userID, err)
	}
	return n, nil
}
