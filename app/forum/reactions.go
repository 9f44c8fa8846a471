package forum

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"parley/app/auth"
	"parley/app/errs"
	"parley/app/store"
)

func countColumn(kind string) string { return kind + "_count" }

// React sets v's reaction on a post to kind, replacing a different one.
// Repeating the same reaction changes nothing (and writes no event), so
// retries and double clicks are harmless.
func (s *Service) React(ctx context.Context, v *auth.Viewer, postID int64, kind string) (*PostView, error) {
	return s.react(ctx, v, postID, kind, true)
}

// Unreact removes v's reaction of this kind from a post, if present.
func (s *Service) Unreact(ctx context.Context, v *auth.Viewer, postID int64, kind string) (*PostView, error) {
	return s.react(ctx, v, postID, kind, false)
}

func (s *Service) react(ctx context.Context, v *auth.Viewer, postID int64, kind string, on bool) (*PostView, error) {
	if !v.SignedIn() {
		return nil, errs.Unauthenticated("sign in to react")
	}
	if !ValidReaction(kind) {
		return nil, errs.NotFound("reaction kind")
	}
	cur, t, err := s.PostByID(ctx, v, postID)
	if err != nil {
		return nil, err
	}
	if cur.Deleted {
		return nil, errs.NotFound("post")
	}
	if on && cur.Author.ID == v.ID {
		return nil, errs.Forbidden("you cannot react to your own post")
	}
	err = s.st.Tx(ctx, func(tx *gorm.DB) error {
		// Read the current reaction inside the write transaction: on SQLite the
		// transaction holds the write lock (BEGIN IMMEDIATE); on PostgreSQL the
		// row lock below serialises concurrent requests of the same user.
		var prev []string
		if tx.Name() == "postgres" {
			if err := tx.Exec("SELECT id FROM posts WHERE id = ? FOR UPDATE", postID).Error; err != nil {
				return err
			}
		}
		if err := tx.Raw("SELECT kind FROM reactions WHERE post_id = ? AND user_id = ?", postID, v.ID).Scan(&prev).Error; err != nil {
			return fmt.Errorf("forum: read reaction: %w", err)
		}
		old := ""
		if len(prev) > 0 {
			old = prev[0]
		}
		next := old
		switch {
		case on:
			next = kind
		case old == kind:
			next = ""
		}
		if next == old {
			return nil
		}
		if old != "" {
			if err := tx.Exec("DELETE FROM reactions WHERE post_id = ? AND user_id = ?", postID, v.ID).Error; err != nil {
				return err
			}
			if err := tx.Exec("UPDATE posts SET "+countColumn(old)+" = "+countColumn(old)+" - 1 WHERE id = ?", postID).Error; err != nil {
				return err
			}
		}
		if next != "" {
			if err := tx.Exec("INSERT INTO reactions (post_id, user_id, kind, created_at) VALUES (?, ?, ?, ?)", postID, v.ID, next, time.Now().UTC()).Error; err != nil {
				return fmt.Errorf("forum: add reaction: %w", err)
			}
			if err := tx.Exec("UPDATE posts SET "+countColumn(next)+" = "+countColumn(next)+" + 1 WHERE id = ?", postID).Error; err != nil {
				return err
			}
		}
		// The counts after this change travel with the event, so that the
		// thousands watching a busy thread need not each fetch the post.
		var like, thanks, insightful int
		if err := tx.Raw("SELECT like_count, thanks_count, insightful_count FROM posts WHERE id = ?", postID).Row().Scan(&like, &thanks, &insightful); err != nil {
			return fmt.Errorf("forum: read reaction counts: %w", err)
		}
		_, err := store.Emit(tx, "reaction.changed", store.ForumScope(t.ForumID), v.ID, fmt.Sprintf("post:%d", postID),
			map[string]any{"post_id": postID, "thread_id": t.ID, "forum_id": t.ForumID, "user_id": v.ID, "from": old, "to": next, "author_id": cur.Author.ID,
				"reactions": map[string]int{"like": like, "thanks": thanks, "insightful": insightful}})
		return err
	})
	if err != nil {
		return nil, err
	}
	pv, _, err := s.PostByID(ctx, v, postID)
	return pv, err
}
