package forum

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"parley/app/auth"
	"parley/app/errs"
	"parley/app/store"
)

// Reasons a post is hidden (posts.hidden_reason).
const (
	HiddenByFlags     = "flags"     // members' flags crossed the threshold
	HiddenByModerator = "moderator" // a moderator hid it from the review queue
)

// postRef is where a post sits: what its events name.
type postRef struct {
	ID, ThreadID, ForumID int64
	Number                int
}

// PostState is a post as the moderation package acts on it, read inside
// its transaction: where it is, who wrote it and what state it is in.
type PostState struct {
	ID, ThreadID, ForumID int64
	Number                int
	AuthorID              int64
	AuthorRole            auth.Role
	Hidden, Deleted       bool
	ThreadLocked          bool
}

func (p *PostState) ref() postRef {
	return postRef{ID: p.ID, ThreadID: p.ThreadID, ForumID: p.ForumID, Number: p.Number}
}

// PostStateIn reads a post inside tx. It checks no permission: callers
// (moderation) have checked that the actor may see the post's forum. A
// post of a deleted thread counts as deleted.
func (s *Service) PostStateIn(tx *gorm.DB, postID int64) (*PostState, error) {
	var p PostState
	var hiddenAt, deletedAt, threadDeletedAt *time.Time
	err := tx.Raw(`SELECT p.id, p.thread_id, t.forum_id, p.number, p.user_id, u.role, p.hidden_at, p.deleted_at, t.deleted_at, t.locked
		FROM posts p JOIN threads t ON t.id = p.thread_id JOIN users u ON u.id = p.user_id WHERE p.id = ?`, postID).
		Row().Scan(&p.ID, &p.ThreadID, &p.ForumID, &p.Number, &p.AuthorID, &p.AuthorRole, &hiddenAt, &deletedAt, &threadDeletedAt, &p.ThreadLocked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.NotFound("post")
	}
	if err != nil {
		return nil, fmt.Errorf("forum: load post %d: %w", postID, err)
	}
	p.Hidden, p.Deleted = hiddenAt != nil, deletedAt != nil || threadDeletedAt != nil
	return &p, nil
}

// HidePost hides a post pending review and writes post.hidden, inside tx
// (the moderation change that decided it commits with it). Hiding a post
// that is already hidden or deleted changes nothing and reports false.
func (s *Service) HidePost(tx *gorm.DB, actorID int64, p *PostState, reason string) (bool, error) {
	now := s.now()
	res := tx.Exec(`UPDATE posts SET hidden_at = ?, hidden_by = ?, hidden_reason = ?, updated_at = ?
		WHERE id = ? AND hidden_at IS NULL AND deleted_at IS NULL`, now, actorID, reason, now, p.ID)
	if res.Error != nil {
		return false, fmt.Errorf("forum: hide post %d: %w", p.ID, res.Error)
	}
	if res.RowsAffected == 0 {
		return false, nil
	}
	p.Hidden = true
	return true, s.emitVisibility(tx, "post.hidden", actorID, p, reason)
}

// UnhidePost makes a hidden post visible again and writes post.unhidden,
// inside tx. A post that is not hidden reports false.
func (s *Service) UnhidePost(tx *gorm.DB, actorID int64, p *PostState) (bool, error) {
	res := tx.Exec(`UPDATE posts SET hidden_at = NULL, hidden_by = NULL, hidden_reason = '', updated_at = ?
		WHERE id = ? AND hidden_at IS NOT NULL`, s.now(), p.ID)
	if res.Error != nil {
		return false, fmt.Errorf("forum: unhide post %d: %w", p.ID, res.Error)
	}
	if res.RowsAffected == 0 {
		return false, nil
	}
	p.Hidden = false
	return true, s.emitVisibility(tx, "post.unhidden", actorID, p, "")
}

func (s *Service) emitVisibility(tx *gorm.DB, typ string, actorID int64, p *PostState, reason string) error {
	// author_id lets a live thread page decide without a request: its
	// author and staff still read the post, everyone else sees a notice.
	payload := map[string]any{"post_id": p.ID, "thread_id": p.ThreadID, "forum_id": p.ForumID, "number": p.Number, "author_id": p.AuthorID}
	if typ == "post.hidden" {
		payload["reason"] = reason
	}
	_, err := store.Emit(tx, typ, store.ForumScope(p.ForumID), actorID, fmt.Sprintf("post:%d", p.ID), payload)
	return err
}

// DeletePostIn deletes a post as DeletePost does (post.deleted; the whole
// thread with its first post), inside tx, for a moderator's decision that
// commits with it. An already deleted post reports false.
func (s *Service) DeletePostIn(tx *gorm.DB, actorID int64, p *PostState) (bool, error) {
	if p.Deleted {
		return false, nil
	}
	err := deletePost(tx, actorID, p.ref(), s.now())
	if errs.Is(err, errs.KindNotFound) {
		return false, nil // deleted meanwhile
	}
	if err != nil {
		return false, err
	}
	p.Deleted = true
	return true, nil
}

// LockThreadIn locks a post's thread as UpdateThread does (thread.updated
// with locked: true), inside tx. A locked thread reports false.
func (s *Service) LockThreadIn(tx *gorm.DB, actorID int64, p *PostState) (bool, error) {
	res := tx.Exec("UPDATE threads SET locked = ?, updated_at = ? WHERE id = ? AND locked = ?", true, s.now(), p.ThreadID, false)
	if res.Error != nil {
		return false, fmt.Errorf("forum: lock thread %d: %w", p.ThreadID, res.Error)
	}
	if res.RowsAffected == 0 {
		return false, nil
	}
	p.ThreadLocked = true
	_, err := store.Emit(tx, "thread.updated", store.ForumScope(p.ForumID), actorID, fmt.Sprintf("thread:%d", p.ThreadID),
		map[string]any{"thread_id": p.ThreadID, "forum_id": p.ForumID, "locked": true})
	return true, err
}
