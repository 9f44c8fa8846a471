// Package forum owns forums, threads, posts, reactions, mentions and read
// state, and the rules of who may see and change them.
package forum

import (
	"context"
	"time"

	"parley/app/auth"
	"parley/app/render"
	"parley/app/store"
)

// PageSize is the number of posts on a thread page and threads on a forum page.
const PageSize = 20

// Options are the posting rules taken from configuration.
type Options struct {
	PostEvery     time.Duration // gap between posts of established members
	NewPostEvery  time.Duration // gap between posts of new accounts
	NewAccountAge time.Duration
}

// Service is the forum service.
type Service struct {
	st    *store.Store
	users *auth.Service
	r     *render.Renderer
	opt   Options
	now   func() time.Time
}

// New builds the service.
func New(st *store.Store, users *auth.Service, r *render.Renderer, opt Options) *Service {
	return &Service{st: st, users: users, r: r, opt: opt, now: func() time.Time { return time.Now().UTC() }}
}

// SetClock replaces the clock (tests of throttles and read state).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// canSee is the single visibility rule for a forum and everything in it.
func (s *Service) canSee(v *auth.Viewer, f *Forum) bool {
	switch f.Visibility {
	case VisPublic:
		return true
	case VisMembers:
		return v.SignedIn()
	case VisGroup:
		return f.GroupID != nil && v.InGroup(*f.GroupID, s.users.StaffGroupID)
	}
	return false
}

// CanSeeScope reports whether v may read an event with this scope; it is the
// permission filter every reader of the event log applies.
func (s *Service) CanSeeScope(ctx context.Context, v *auth.Viewer, scope string, forums map[int64]*Forum) bool {
	kind, id, err := store.ParseScope(scope)
	if err != nil {
		return false
	}
	switch kind {
	case store.ScopePublic:
		return true
	case store.ScopeStaff:
		return v.IsStaff()
	case "user":
		return v.SignedIn() && (v.ID == id || v.IsAdmin())
	case "forum":
		f, ok := forums[id]
		return ok && s.canSee(v, f)
	}
	return false
}
