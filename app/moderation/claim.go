package moderation

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"parley/app/audit"
	"parley/app/auth"
	"parley/app/errs"
)

// claimable is the condition under which v may take or keep an item: it
// is pending and nobody else holds a live claim on it.
const claimable = "status = 'pending' AND (claimed_by IS NULL OR claimed_by = ? OR claimed_until <= ?)"

// Claim marks an item as v's for ClaimFor, so that other moderators see
// who works on it; claiming again (or acting) renews it. A live claim by
// someone else is a Conflict naming them. Nobody claims an item about
// their own post: another moderator must decide it.
func (s *Service) Claim(ctx context.Context, v *auth.Viewer, id int64) (*Item, error) {
	it, err := s.Item(ctx, v, id)
	if err != nil {
		return nil, err
	}
	if it.Status != statusPending {
		return nil, resolvedConflict(it)
	}
	if it.Own {
		return nil, errs.Forbidden("this item is about your own post: another moderator must review it")
	}
	now := s.now()
	until := now.Add(s.claimFor)
	err = s.st.Tx(ctx, func(tx *gorm.DB) error {
		res := tx.Exec("UPDATE review_items SET claimed_by = ?, claimed_until = ?, updated_at = ? WHERE id = ? AND "+claimable,
			v.ID, until, now, id, v.ID, now)
		if res.Error != nil {
			return fmt.Errorf("moderation: claim item %d: %w", id, res.Error)
		}
		if res.RowsAffected == 0 {
			return s.claimConflict(tx, id, now)
		}
		if err := s.auditClaim(tx, v, it, "queue.claim", now); err != nil {
			return err
		}
		return emitAll(tx, []event{{"review.claimed", v.ID, id, map[string]any{"item_id": id, "forum_id": forumIDOf(it),
			"claimed_by": claimer(v), "claimed_until": until}}})
	})
	if err != nil {
		return nil, err
	}
	return s.Item(ctx, v, id)
}

// Release gives up v's claim. Releasing an item nobody holds changes
// nothing; someone else's live claim is a Conflict naming them.
func (s *Service) Release(ctx context.Context, v *auth.Viewer, id int64) (*Item, error) {
	it, err := s.Item(ctx, v, id)
	if err != nil {
		return nil, err
	}
	if it.Status != statusPending {
		return nil, resolvedConflict(it)
	}
	if it.Claim == nil {
		return it, nil
	}
	now := s.now()
	err = s.st.Tx(ctx, func(tx *gorm.DB) error {
		res := tx.Exec(`UPDATE review_items SET claimed_by = NULL, claimed_until = NULL, updated_at = ?
			WHERE id = ? AND status = 'pending' AND claimed_by = ? AND claimed_until > ?`, now, id, v.ID, now)
		if res.Error != nil {
			return fmt.Errorf("moderation: release item %d: %w", id, res.Error)
		}
		if res.RowsAffected == 0 {
			return s.claimConflict(tx, id, now)
		}
		if err := s.auditClaim(tx, v, it, "queue.release", now); err != nil {
			return err
		}
		return emitAll(tx, []event{{"review.released", v.ID, id, map[string]any{"item_id": id, "forum_id": forumIDOf(it),
			"released_by": claimer(v)}}})
	})
	if err != nil {
		if e, ok := errs.As(err); ok && e.Kind == errs.KindConflict && e.Message == errNotClaimed {
			return s.Item(ctx, v, id) // it lapsed meanwhile: nothing to release
		}
		return nil, err
	}
	return s.Item(ctx, v, id)
}

const errNotClaimed = "nobody holds this item"

// claimConflict explains why a claim or an action found the item taken:
// resolved meanwhile, or claimed by someone else (named, with the time
// their claim lapses).
func (s *Service) claimConflict(tx *gorm.DB, id int64, now time.Time) error {
	var row struct {
		Status       string
		Resolution   string
		ClaimedUntil *time.Time
		Claimer      *string
		Resolver     *string
	}
	err := tx.Raw(`SELECT i.status, i.resolution, i.claimed_until, c.username AS claimer, r.username AS resolver
		FROM review_items i LEFT JOIN users c ON c.id = i.claimed_by LEFT JOIN users r ON r.id = i.resolved_by WHERE i.id = ?`, id).
		Scan(&row).Error
	if err != nil {
		return fmt.Errorf("moderation: reload item %d: %w", id, err)
	}
	switch {
	case row.Status != statusPending:
		return errs.Conflict(fmt.Sprintf("%s already resolved this item (%s)", orSomeone(row.Resolver), row.Resolution))
	case row.Claimer != nil && row.ClaimedUntil != nil && row.ClaimedUntil.After(now):
		return errs.Conflict(fmt.Sprintf("%s has claimed this item until %s UTC", *row.Claimer, row.ClaimedUntil.UTC().Format("15:04")))
	}
	return errs.Conflict(errNotClaimed)
}

func resolvedConflict(it *Item) error {
	who := "someone"
	if it.ResolvedBy != nil {
		who = it.ResolvedBy.Username
	}
	return errs.Conflict(fmt.Sprintf("%s already resolved this item (%s)", who, it.Resolution))
}

func orSomeone(name *string) string {
	if name == nil {
		return "someone"
	}
	return *name
}

// auditClaim records a claim or its release: staff work on the queue is
// in the audit log too. The action is queue.*, not review.*, so that the
// "actions per moderator" figure counts decisions only.
func (s *Service) auditClaim(tx *gorm.DB, v *auth.Viewer, it *Item, action string, now time.Time) error {
	return audit.Record(tx, audit.Entry{ActorID: v.ID, ActorRole: string(v.Role), Action: action,
		TargetType: "review_item", TargetID: it.ID, ForumID: forumIDOf(it), At: now})
}

// claimer is how review events name a staff member.
func claimer(v *auth.Viewer) map[string]any {
	return map[string]any{"id": v.ID, "username": v.Username}
}

func forumIDOf(it *Item) int64 {
	if it.Forum == nil {
		return 0
	}
	return it.Forum.ID
}
