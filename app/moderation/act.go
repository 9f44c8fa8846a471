package moderation

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"parley/app/audit"
	"parley/app/auth"
	"parley/app/errs"
	"parley/app/forum"
)

// MaxActionNote bounds the note a moderator adds to an action.
const MaxActionNote = 1000

// ActionInput is one action on a review item, with an optional note.
type ActionInput struct {
	Action string `json:"action"`
	Note   string `json:"note"`
}

// Validate checks and tidies an action; the form and the API share it.
func (in *ActionInput) Validate() error {
	f := errs.Fields{}
	in.Action = strings.TrimSpace(in.Action)
	in.Note = strings.TrimSpace(strings.ReplaceAll(in.Note, "\r\n", "\n"))
	if !slices.Contains(Actions(), in.Action) {
		f.Add("action", "choose an action: "+strings.Join(Actions(), ", "))
	}
	if strings.ContainsRune(in.Note, 0) {
		f.Add("note", "the note cannot contain NUL characters")
	} else if utf8.RuneCountInString(in.Note) > MaxActionNote {
		f.Add("note", fmt.Sprintf("the note has at most %d characters", MaxActionNote))
	}
	return f.Err()
}

// resolutions name what resolving actions did (review_items.resolution).
var resolutions = map[string]string{ActionApprove: "approved", ActionHide: "hidden", ActionDelete: "deleted", ActionDismiss: "dismissed"}

// Act takes an action on a pending item. The rules:
//   - staff only, on items in forums they can see (others are NotFound);
//   - nobody decides an item about their own post (another moderator must);
//   - nobody hides or deletes the post of someone who outranks them
//     (moderator < community manager < admin; moderators may act on
//     each other's posts);
//   - an item someone else has claimed (a live claim) is theirs: Conflict;
//   - dismiss leaves the post as it is, so it is refused on a hidden post
//     (approve shows it again, hide keeps it hidden): a hidden post never
//     ends up with nobody deciding it.
//
// approve shows the post again if hidden and dismisses the flags; hide
// hides it and upholds them; delete deletes it (with its thread when it is
// the first post) and upholds them; dismiss dismisses them. These resolve
// the item. lock locks the thread, renews v's claim and leaves the item
// open. The post's change and events, the item's, its flags and the
// action's audit row ("review.<action>") commit together.
func (s *Service) Act(ctx context.Context, v *auth.Viewer, id int64, in ActionInput) (*Item, error) {
	if err := requireStaff(v); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
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
	if it.Post == nil {
		return nil, errs.Conflict("this item has no post to act on")
	}
	if (in.Action == ActionHide || in.Action == ActionDelete) && it.Author != nil && rank(it.Author.Role) > rank(v.Role) {
		return nil, errs.Forbidden(fmt.Sprintf("you cannot %s a post by a %s", in.Action, roleName(it.Author.Role)))
	}
	now := s.now()
	err = s.st.Tx(ctx, func(tx *gorm.DB) error {
		ps, err := s.forums.PostStateIn(tx, it.Post.ID)
		if err != nil {
			return err
		}
		if in.Action == ActionDismiss && ps.Hidden && !ps.Deleted {
			return errs.Conflict("this post is hidden: approve shows it again, hide keeps it hidden")
		}
		if in.Action == ActionLock && ps.ThreadLocked {
			return errs.Conflict("this thread is already locked")
		}
		// Rows first: the item (which also settles a race with another
		// moderator), its flags, the audit row, then the forum's change,
		// whose row comes before its event; review events last.
		var res *gorm.DB
		if in.Action == ActionLock {
			res = tx.Exec(`UPDATE review_items SET claimed_by = ?, claimed_until = ?, first_action_at = COALESCE(first_action_at, ?),
				updated_at = ? WHERE id = ? AND `+claimable, v.ID, now.Add(s.claimFor), now, now, id, v.ID, now)
		} else {
			res = tx.Exec(`UPDATE review_items SET status = ?, resolution = ?, resolved_by = ?, resolved_at = ?, note = ?,
				first_action_at = COALESCE(first_action_at, ?), claimed_by = NULL, claimed_until = NULL, updated_at = ?
				WHERE id = ? AND `+claimable, statusResolved, resolutions[in.Action], v.ID, now, in.Note, now, now, id, v.ID, now)
		}
		if res.Error != nil {
			return fmt.Errorf("moderation: %s item %d: %w", in.Action, id, res.Error)
		}
		if res.RowsAffected == 0 {
			return s.claimConflict(tx, id, now)
		}
		if status := flagStatus(in.Action); status != "" {
			if err := tx.Exec("UPDATE flags SET status = ? WHERE item_id = ? AND status = ?", status, id, flagPending).Error; err != nil {
				return fmt.Errorf("moderation: settle flags of item %d: %w", id, err)
			}
		}
		before := postFacts(ps)
		if err := audit.Record(tx, audit.Entry{ActorID: v.ID, ActorRole: string(v.Role), Action: "review." + in.Action,
			TargetType: "post", TargetID: ps.ID, TargetUserID: ps.AuthorID, ForumID: ps.ForumID,
			Reason: reasonSummary(it.Reasons), Note: in.Note, Before: before, After: outcome(before, in.Action), At: now}); err != nil {
			return err
		}
		if err := s.applyToPost(tx, v, in.Action, ps); err != nil {
			return err
		}
		payload := map[string]any{"item_id": id, "kind": it.Kind, "forum_id": ps.ForumID, "thread_id": ps.ThreadID,
			"post_id": ps.ID, "action": in.Action, "by": claimer(v)}
		typ := "review.resolved"
		if in.Action == ActionLock {
			typ = "review.updated"
			payload["claimed_by"], payload["claimed_until"] = claimer(v), now.Add(s.claimFor)
		} else {
			payload["resolution"] = resolutions[in.Action]
		}
		return emitAll(tx, []event{{typ, v.ID, id, payload}})
	})
	if err != nil {
		return nil, err
	}
	return s.Item(ctx, v, id)
}

// applyToPost makes the forum change an action stands for.
func (s *Service) applyToPost(tx *gorm.DB, v *auth.Viewer, action string, ps *forum.PostState) error {
	var err error
	switch action {
	case ActionApprove:
		if !ps.Deleted {
			_, err = s.forums.UnhidePost(tx, v.ID, ps)
		}
	case ActionHide:
		if !ps.Deleted {
			_, err = s.forums.HidePost(tx, v.ID, ps, forum.HiddenByModerator)
		}
	case ActionDelete:
		_, err = s.forums.DeletePostIn(tx, v.ID, ps)
	case ActionLock:
		_, err = s.forums.LockThreadIn(tx, v.ID, ps)
	}
	return err
}

func flagStatus(action string) string {
	switch action {
	case ActionApprove, ActionDismiss:
		return flagDismissed
	case ActionHide, ActionDelete:
		return flagUpheld
	}
	return ""
}

func roleName(r auth.Role) string {
	if r == auth.RoleManager {
		return "community manager"
	}
	return string(r)
}

// postFacts is the state of a post an audit row records before and after.
func postFacts(ps *forum.PostState) map[string]bool {
	return map[string]bool{"hidden": ps.Hidden, "deleted": ps.Deleted, "locked": ps.ThreadLocked}
}

// outcome is the state an action leaves the post in.
func outcome(before map[string]bool, action string) map[string]bool {
	after := map[string]bool{"hidden": before["hidden"], "deleted": before["deleted"], "locked": before["locked"]}
	switch action {
	case ActionApprove:
		after["hidden"] = before["hidden"] && before["deleted"]
	case ActionHide:
		after["hidden"] = !before["deleted"] || before["hidden"]
	case ActionDelete:
		after["deleted"] = true
	case ActionLock:
		after["locked"] = true
	}
	return after
}

// reasonSummary is an item's flags in words for the audit log: "Spam ×2, Rude or abusive ×1".
func reasonSummary(reasons map[string]int) string {
	keys := make([]string, 0, len(reasons))
	for k := range reasons {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return slices.Index(Reasons(), keys[i]) < slices.Index(Reasons(), keys[j]) })
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s ×%d", ReasonLabel(k), reasons[k])
	}
	return strings.Join(parts, ", ")
}
