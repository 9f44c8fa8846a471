// Package moderation owns flags and the review queue: members flag posts,
// enough weight of flags hides a post at once, and moderators work one
// queue of everything that needs a human (claim, approve, hide, delete,
// dismiss, lock). Every change writes its events in the same transaction:
// review.* (scope staff, for the live queue) and, through package forum,
// post.hidden, post.unhidden, post.deleted and thread.updated.
package moderation

import (
	"context"
	"time"

	"parley/app/auth"
	"parley/app/forum"
	"parley/app/site"
	"parley/app/store"
)

// Kinds of review item. Only KindFlag is written today; the others are the
// later increments the table is shaped for (held posts, held sign-ups,
// reports about a user).
const (
	KindFlag        = "flag"
	KindHeldPost    = "held_post"
	KindHeldSignup  = "held_signup"
	KindUserReport  = "user_report"
	statusPending   = "pending"
	statusResolved  = "resolved"
	flagPending     = "pending"
	flagUpheld      = "upheld"
	flagDismissed   = "dismissed"
	defaultClaimFor = 10 * time.Minute
)

// Kinds lists the review item kinds (the queue's type filter).
func Kinds() []string { return []string{KindFlag, KindHeldPost, KindHeldSignup, KindUserReport} }

// Reasons a member gives for a flag, in the order the form shows them.
const (
	ReasonSpam      = "spam"
	ReasonRude      = "rude"
	ReasonOffTopic  = "off_topic"
	ReasonGuideline = "guideline"
	ReasonOther     = "other"
)

// Reasons lists the flag reasons in display order.
func Reasons() []string {
	return []string{ReasonSpam, ReasonRude, ReasonOffTopic, ReasonGuideline, ReasonOther}
}

// ValidReason reports whether r is one of Reasons.
func ValidReason(r string) bool {
	switch r {
	case ReasonSpam, ReasonRude, ReasonOffTopic, ReasonGuideline, ReasonOther:
		return true
	}
	return false
}

// ReasonLabel is a reason in words.
func ReasonLabel(r string) string {
	switch r {
	case ReasonSpam:
		return "Spam"
	case ReasonRude:
		return "Rude or abusive"
	case ReasonOffTopic:
		return "Off-topic"
	case ReasonGuideline:
		return "Breaks a guideline"
	case ReasonOther:
		return "Something else"
	}
	return r
}

// Actions on a review item.
const (
	ActionApprove = "approve" // the post is fine: shown again if hidden; flags dismissed
	ActionHide    = "hide"    // the post stays hidden (or is hidden); flags upheld
	ActionDelete  = "delete"  // the post is deleted; flags upheld
	ActionDismiss = "dismiss" // the flags are dismissed; the post is left as it is
	ActionLock    = "lock"    // the thread is locked; the item stays open
)

// Actions lists the actions in the order the queue shows them.
func Actions() []string {
	return []string{ActionApprove, ActionHide, ActionDelete, ActionDismiss, ActionLock}
}

// Weight is what one flag of a member at trust level tl adds: trusted
// members count for more. Staff flags weigh the threshold (they hide at once).
func Weight(tl int) float64 {
	switch {
	case tl >= 4:
		return 3.0
	case tl == 3:
		return 2.0
	case tl == 2:
		return 1.5
	}
	return 1.0
}

// rank orders roles for acting on staff content: nobody may hide or delete
// the post of someone who outranks them (moderators may act on each other).
func rank(r auth.Role) int {
	switch r {
	case auth.RoleModerator:
		return 1
	case auth.RoleManager:
		return 2
	case auth.RoleAdmin:
		return 3
	}
	return 0
}

// Sections checks that a guideline section exists (guidelines.Service):
// a flag for breaking a guideline must cite a real one.
type Sections interface {
	CheckSection(ctx context.Context, n int) error
}

// Service is the moderation service.
type Service struct {
	st       *store.Store
	forums   *forum.Service
	site     *site.Service
	sections Sections
	now      func() time.Time
	claimFor time.Duration
}

// New builds the service.
func New(st *store.Store, forums *forum.Service, s *site.Service, sections Sections) *Service {
	return &Service{st: st, forums: forums, site: s, sections: sections, claimFor: defaultClaimFor,
		now: func() time.Time { return time.Now().UTC() }}
}

// SetClock replaces the clock (tests of claim expiry and priority by age).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// ClaimFor is how long a claim lasts without an action or a renewal.
func (s *Service) ClaimFor() time.Duration { return s.claimFor }
