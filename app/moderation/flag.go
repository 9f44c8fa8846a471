package moderation

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"parley/app/audit"
	"parley/app/auth"
	"parley/app/errs"
	"parley/app/forum"
)

// Limits of a flag's fields.
const (
	MaxFlagNote = 500
	MaxSection  = 999
)

// FlagInput is a member's flag on a post: the form's and the API's input.
type FlagInput struct {
	Reason string `json:"reason"`
	// Section is the guideline section broken (reason guideline only).
	Section *int   `json:"section"`
	Note    string `json:"note"`
}

// Validate checks and tidies a flag; the form and the API share it.
func (in *FlagInput) Validate() error {
	f := errs.Fields{}
	in.Reason = strings.TrimSpace(in.Reason)
	in.Note = strings.TrimSpace(strings.ReplaceAll(in.Note, "\r\n", "\n"))
	if !ValidReason(in.Reason) {
		f.Add("reason", "choose a reason: spam, rude, off_topic, guideline or other")
	}
	if in.Reason == ReasonGuideline {
		if in.Section == nil || *in.Section < 1 || *in.Section > MaxSection {
			f.Add("section", "say which section of the guidelines the post breaks (a number from 1)")
		}
	} else {
		in.Section = nil
	}
	if in.Reason == ReasonOther && in.Note == "" {
		f.Add("note", "say what is wrong with the post")
	}
	if strings.ContainsRune(in.Note, 0) {
		f.Add("note", "the note cannot contain NUL characters")
	} else if utf8.RuneCountInString(in.Note) > MaxFlagNote {
		f.Add("note", fmt.Sprintf("the note has at most %d characters", MaxFlagNote))
	}
	return f.Err()
}

// FlagResult is a flag as its reporter sees it after flagging.
type FlagResult struct {
	ID        int64     `json:"id"`
	PostID    int64     `json:"post_id"`
	Reason    string    `json:"reason"`
	Section   *int      `json:"section,omitempty"`
	Note      string    `json:"note"`
	CreatedAt time.Time `json:"created_at"`
}

// Flag records v's flag on a post and adds it to the post's pending review
// item (made by the first flag). When the pending flags' weight reaches the
// threshold (or a staff member flags) the post is hidden at once, unless
// its author is staff. Members only; not one's own post, not twice, not a
// deleted post; a post v cannot see is NotFound, as a missing one.
func (s *Service) Flag(ctx context.Context, v *auth.Viewer, postID int64, in FlagInput) (*FlagResult, error) {
	if !v.SignedIn() {
		return nil, errs.Unauthenticated("sign in to flag a post")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if in.Section != nil {
		// A section of the current guidelines (the guidelines keep every
		// version, so a moderator can read what it said on the day).
		if err := s.sections.CheckSection(ctx, *in.Section); err != nil {
			return nil, err
		}
	}
	p, _, err := s.forums.PostByID(ctx, v, postID)
	if err != nil {
		return nil, err
	}
	if p.Deleted {
		return nil, errs.Conflict("this post was deleted; there is nothing left to flag")
	}
	if p.Author.ID == v.ID {
		return nil, errs.Forbidden("you cannot flag your own post")
	}
	set, err := s.site.Moderation(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	res := &FlagResult{PostID: postID, Reason: in.Reason, Section: in.Section, Note: in.Note, CreatedAt: now}
	err = s.st.Tx(ctx, func(tx *gorm.DB) error {
		// Every row first, the events last (see emitAll).
		ps, err := s.forums.PostStateIn(tx, postID)
		if err != nil {
			return err
		}
		if ps.Deleted {
			return errs.Conflict("this post was deleted; there is nothing left to flag")
		}
		var trust int
		if err := tx.Raw("SELECT trust_level FROM users WHERE id = ?", v.ID).Scan(&trust).Error; err != nil {
			return fmt.Errorf("moderation: trust level of %d: %w", v.ID, err)
		}
		w := Weight(trust)
		if v.IsStaff() {
			w = max(w, set.FlagThreshold)
		}
		itemID, created, err := s.pendingItem(tx, ps, now)
		if err != nil {
			return err
		}
		err = tx.Raw(`INSERT INTO flags (post_id, user_id, reason, section, note, weight, status, item_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (post_id, user_id) DO NOTHING RETURNING id`,
			postID, v.ID, in.Reason, in.Section, in.Note, w, flagPending, itemID, now).Row().Scan(&res.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.Conflict("you have already flagged this post; the moderators will look at it")
		}
		if err != nil {
			return fmt.Errorf("moderation: save flag: %w", err)
		}
		agg, err := s.reweigh(tx, itemID, ps, now)
		if err != nil {
			return err
		}
		hide := !ps.Hidden && rank(ps.AuthorRole) == 0 && (v.IsStaff() || agg.weight >= set.FlagThreshold)
		var evs []event
		if hide && v.IsStaff() {
			// A staff member's flag hides at once: a staff action.
			if err := audit.Record(tx, audit.Entry{ActorID: v.ID, ActorRole: string(v.Role), Action: "review.flag_hide",
				TargetType: "post", TargetID: ps.ID, TargetUserID: ps.AuthorID, ForumID: ps.ForumID,
				Reason: ReasonLabel(in.Reason), Note: in.Note, Before: postFacts(ps), After: map[string]bool{"hidden": true},
				At: now}); err != nil {
				return err
			}
		}
		if hide {
			// HidePost writes its row and then its event: nothing is
			// written after it but events.
			if _, err := s.forums.HidePost(tx, v.ID, ps, forum.HiddenByFlags); err != nil {
				return err
			}
		}
		typ := "review.updated"
		if created {
			typ = "review.created"
		}
		evs = append(evs, event{typ, v.ID, itemID, map[string]any{"item_id": itemID, "kind": KindFlag, "forum_id": ps.ForumID,
			"thread_id": ps.ThreadID, "post_id": ps.ID, "weight": agg.weight, "flags": agg.count, "reason": in.Reason,
			"post_hidden": ps.Hidden}})
		return emitAll(tx, evs)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// pendingItem returns the post's pending flag item, making it if there is
// none, and locks it (PostgreSQL) so concurrent flags add up one by one.
// The partial unique index keeps it to one per post even when two first
// flags race.
func (s *Service) pendingItem(tx *gorm.DB, ps *forum.PostState, now time.Time) (id int64, created bool, err error) {
	err = tx.Raw(`INSERT INTO review_items (kind, status, forum_id, thread_id, post_id, target_user_id, reasons, priority, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, '{}', ?, ?, ?)
		ON CONFLICT (post_id) WHERE status = 'pending' AND kind = 'flag' DO NOTHING RETURNING id`,
		KindFlag, statusPending, ps.ForumID, ps.ThreadID, ps.ID, ps.AuthorID, priority(0, 0, 0, now), now, now).Row().Scan(&id)
	switch {
	case err == nil:
		return id, true, nil
	case !errors.Is(err, sql.ErrNoRows):
		return 0, false, fmt.Errorf("moderation: open review item for post %d: %w", ps.ID, err)
	}
	q := "SELECT id FROM review_items WHERE post_id = ? AND kind = ? AND status = ?"
	if tx.Name() == "postgres" {
		q += " FOR UPDATE"
	}
	if err := tx.Raw(q, ps.ID, KindFlag, statusPending).Row().Scan(&id); err != nil {
		return 0, false, fmt.Errorf("moderation: find review item for post %d: %w", ps.ID, err)
	}
	return id, false, nil
}

type aggregate struct {
	weight float64
	count  int
}

// reweigh recomputes an item's weight, reasons and priority from its
// pending flags (the reporters' trust as it is now).
func (s *Service) reweigh(tx *gorm.DB, itemID int64, ps *forum.PostState, now time.Time) (aggregate, error) {
	var rows []struct {
		Reason     string
		Weight     float64
		TrustLevel int
		Role       auth.Role
	}
	if err := tx.Raw(`SELECT f.reason, f.weight, u.trust_level, u.role FROM flags f JOIN users u ON u.id = f.user_id
		WHERE f.item_id = ? AND f.status = ?`, itemID, flagPending).Scan(&rows).Error; err != nil {
		return aggregate{}, fmt.Errorf("moderation: flags of item %d: %w", itemID, err)
	}
	var agg aggregate
	reasons := map[string]int{}
	maxTrust := 0
	for _, r := range rows {
		agg.weight += r.Weight
		agg.count++
		reasons[r.Reason]++
		t := r.TrustLevel
		if r.Role.IsStaff() {
			t = staffTrustRank
		}
		maxTrust = max(maxTrust, t)
	}
	var item struct {
		CreatedAt  time.Time
		LastNumber int
	}
	if err := tx.Raw(`SELECT i.created_at, t.last_number FROM review_items i JOIN threads t ON t.id = i.thread_id WHERE i.id = ?`, itemID).
		Scan(&item).Error; err != nil {
		return agg, fmt.Errorf("moderation: load item %d: %w", itemID, err)
	}
	err := tx.Exec("UPDATE review_items SET weight = ?, reasons = ?, priority = ?, updated_at = ? WHERE id = ?",
		agg.weight, encodeReasons(reasons), priority(agg.weight, maxTrust, item.LastNumber, item.CreatedAt), now, itemID).Error
	if err != nil {
		return agg, fmt.Errorf("moderation: update item %d: %w", itemID, err)
	}
	return agg, nil
}
