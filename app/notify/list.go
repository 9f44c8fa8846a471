package notify

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"parley/app/auth"
	"parley/app/errs"
	"parley/app/store"
)

// Paging limits of List.
const (
	DefaultLimit = 20
	MaxLimit     = 100
)

// View is a notification as its recipient sees it.
type View struct {
	ID          int64      `json:"id"`
	Kind        string     `json:"kind"`
	Actor       Actor      `json:"actor"`
	PostID      int64      `json:"post_id"`
	PostNumber  int        `json:"post_number"`
	ThreadID    int64      `json:"thread_id"`
	ThreadTitle string     `json:"thread_title"`
	URL         string     `json:"url"` // the post's permalink
	Unread      bool       `json:"unread"`
	CreatedAt   time.Time  `json:"created_at"`
	ReadAt      *time.Time `json:"read_at"`
}

// List is one page of a member's notifications, newest first.
type List struct {
	Notifications []View `json:"notifications"`
	Unread        int64  `json:"unread"`
	// NextBefore is the before= of the next (older) page; nil on the last.
	NextBefore *int64 `json:"next_before"`
}

type listRow struct {
	ID          int64
	Kind        string
	ActorID     int64
	ActorName   string
	PostID      int64
	PostNumber  int
	ThreadID    int64
	ThreadTitle string
	ForumID     int64
	CreatedAt   time.Time
	ReadAt      *time.Time
}

// List returns v's notifications with ids below before (0: from the
// newest), at most limit (0: DefaultLimit). Notifications about a forum v
// can no longer see are left out, so a page may hold fewer than limit;
// NextBefore still moves past them.
func (s *Service) List(ctx context.Context, v *auth.Viewer, before int64, limit int) (*List, error) {
	if !v.SignedIn() {
		return nil, errs.Unauthenticated("sign in to see your notifications")
	}
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	q := s.st.R.WithContext(ctx).Table("notifications n").
		Select(`n.id, n.kind, n.actor_id, a.username AS actor_name, n.post_id, p.number AS post_number,
			n.thread_id, t.title AS thread_title, t.forum_id, n.created_at, n.read_at`).
		Joins("JOIN users a ON a.id = n.actor_id").
		Joins("JOIN posts p ON p.id = n.post_id").
		Joins("JOIN threads t ON t.id = n.thread_id").
		Where("n.user_id = ?", v.ID)
	if before > 0 {
		q = q.Where("n.id < ?", before)
	}
	var rows []listRow
	if err := q.Order("n.id DESC").Limit(limit + 1).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("notify: list for %d: %w", v.ID, err)
	}
	out := &List{Notifications: []View{}}
	if len(rows) > limit {
		rows = rows[:limit]
		next := rows[limit-1].ID
		out.NextBefore = &next
	}
	if len(rows) > 0 {
		forums, err := s.forums.ForumMap(ctx)
		if err != nil {
			return nil, fmt.Errorf("notify: load forums: %w", err)
		}
		for _, r := range rows {
			if !s.forums.CanSeeScope(ctx, v, store.ForumScope(r.ForumID), forums) {
				continue
			}
			out.Notifications = append(out.Notifications, View{ID: r.ID, Kind: r.Kind, Actor: Actor{ID: r.ActorID, Username: r.ActorName},
				PostID: r.PostID, PostNumber: r.PostNumber, ThreadID: r.ThreadID, ThreadTitle: r.ThreadTitle,
				URL: "/p/" + strconv.FormatInt(r.PostID, 10), Unread: r.ReadAt == nil, CreatedAt: r.CreatedAt, ReadAt: r.ReadAt})
		}
	}
	n, err := s.UnreadCount(ctx, v.ID)
	if err != nil {
		return nil, err
	}
	out.Unread = n
	return out, nil
}

// UnreadCount is the number on the bell: one COUNT over the
// (user_id, read_at, id) index, cheap enough for every signed-in page.
func (s *Service) UnreadCount(ctx context.Context, userID int64) (int64, error) {
	var n int64
	err := s.st.R.WithContext(ctx).Raw("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", userID).Scan(&n).Error
	if err != nil {
		return 0, fmt.Errorf("notify: count unread of %d: %w", userID, err)
	}
	return n, nil
}

// MarkRead marks one of v's notifications read and returns v's unread
// count. Someone else's id is NotFound, like a missing one. Marking a read
// notification again changes nothing and writes no event.
func (s *Service) MarkRead(ctx context.Context, v *auth.Viewer, id int64) (int64, error) {
	if !v.SignedIn() {
		return 0, errs.Unauthenticated("sign in to see your notifications")
	}
	var unread int64
	err := s.st.Tx(ctx, func(tx *gorm.DB) error {
		res := tx.Exec("UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL", s.now(), id, v.ID)
		if res.Error != nil {
			return fmt.Errorf("notify: mark %d read: %w", id, res.Error)
		}
		if res.RowsAffected == 0 {
			var k int64
			if err := tx.Raw("SELECT COUNT(*) FROM notifications WHERE id = ? AND user_id = ?", id, v.ID).Scan(&k).Error; err != nil {
				return fmt.Errorf("notify: find %d: %w", id, err)
			}
			if k == 0 {
				return errs.NotFound("notification")
			}
		}
		var err error
		if unread, err = unreadIn(tx, v.ID); err != nil || res.RowsAffected == 0 {
			return err
		}
		_, err = store.Emit(tx, "notification.read", store.UserScope(v.ID), v.ID, fmt.Sprintf("notification:%d", id),
			readPayload{IDs: []int64{id}, Unread: unread})
		return err
	})
	return unread, err
}

// MarkAllRead marks every notification of v read and returns the unread
// count (0, unless one arrives meanwhile on another node).
func (s *Service) MarkAllRead(ctx context.Context, v *auth.Viewer) (int64, error) {
	if !v.SignedIn() {
		return 0, errs.Unauthenticated("sign in to see your notifications")
	}
	var unread int64
	err := s.st.Tx(ctx, func(tx *gorm.DB) error {
		res := tx.Exec("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL", s.now(), v.ID)
		if res.Error != nil {
			return fmt.Errorf("notify: mark all read for %d: %w", v.ID, res.Error)
		}
		var err error
		if unread, err = unreadIn(tx, v.ID); err != nil || res.RowsAffected == 0 {
			return err
		}
		_, err = store.Emit(tx, "notification.read", store.UserScope(v.ID), v.ID, fmt.Sprintf("user:%d", v.ID),
			readPayload{All: true, Unread: unread})
		return err
	})
	return unread, err
}

// MarkReadForPosts marks v's unread notifications about these posts read,
// as Discourse does when you look at the post a notification points to.
// It reads first, so the common case (nothing unread here) costs one
// indexed query and no write. It returns how many it marked.
func (s *Service) MarkReadForPosts(ctx context.Context, v *auth.Viewer, postIDs []int64) (int, error) {
	if !v.SignedIn() || len(postIDs) == 0 {
		return 0, nil
	}
	var ids []int64
	if err := s.st.R.WithContext(ctx).Raw("SELECT id FROM notifications WHERE user_id = ? AND read_at IS NULL AND post_id IN ?",
		v.ID, postIDs).Scan(&ids).Error; err != nil {
		return 0, fmt.Errorf("notify: unread for posts: %w", err)
	}
	if len(ids) == 0 {
		return 0, nil
	}
	marked := 0
	err := s.st.Tx(ctx, func(tx *gorm.DB) error {
		res := tx.Exec("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL AND id IN ?", s.now(), v.ID, ids)
		if res.Error != nil {
			return fmt.Errorf("notify: mark read for posts: %w", res.Error)
		}
		marked = int(res.RowsAffected)
		if marked == 0 {
			return nil // another tab got there first
		}
		unread, err := unreadIn(tx, v.ID)
		if err != nil {
			return err
		}
		_, err = store.Emit(tx, "notification.read", store.UserScope(v.ID), v.ID, fmt.Sprintf("user:%d", v.ID),
			readPayload{IDs: ids, Unread: unread})
		return err
	})
	return marked, err
}
