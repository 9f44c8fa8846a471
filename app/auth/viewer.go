package auth

import (
	"slices"
	"time"
)

// Role is a user's place in the community.
type Role string

// The four roles, in rising order of power.
const (
	RoleMember    Role = "member"
	RoleModerator Role = "moderator"
	RoleManager   Role = "manager"
	RoleAdmin     Role = "admin"
)

// ParseRole accepts the names used on the command line and in the API.
func ParseRole(s string) (Role, bool) {
	switch Role(s) {
	case RoleMember, RoleModerator, RoleManager, RoleAdmin:
		return Role(s), true
	}
	return "", false
}

// IsStaff reports moderator, community manager or admin.
func (r Role) IsStaff() bool { return r == RoleModerator || r == RoleManager || r == RoleAdmin }

// Viewer is whoever makes a request: the zero value is an anonymous visitor.
// Every permission check in the domain packages takes one.
type Viewer struct {
	ID        int64
	Username  string
	Role      Role
	Groups    []int64 // ids of private groups the user belongs to
	CreatedAt time.Time
	// SessionID and CSRF are set for cookie sessions; ViaToken for Bearer tokens.
	SessionID int64
	CSRF      string
	ViaToken  bool
}

// Anonymous is the visitor without an account.
func Anonymous() *Viewer { return &Viewer{} }

// SignedIn reports whether the viewer has an account.
func (v *Viewer) SignedIn() bool { return v != nil && v.ID > 0 }

// IsStaff reports moderator, community manager or admin.
func (v *Viewer) IsStaff() bool { return v.SignedIn() && v.Role.IsStaff() }

// IsAdmin reports an admin.
func (v *Viewer) IsAdmin() bool { return v.SignedIn() && v.Role == RoleAdmin }

// CanModerate reports whether the viewer may act on others' content.
func (v *Viewer) CanModerate() bool { return v.IsStaff() }

// InGroup reports membership of a private group. Staff belong to the
// built-in staff group implicitly (staffGroupID).
func (v *Viewer) InGroup(id, staffGroupID int64) bool {
	if !v.SignedIn() {
		return false
	}
	if v.IsAdmin() || (id == staffGroupID && v.IsStaff()) {
		return true
	}
	return slices.Contains(v.Groups, id)
}

// IsNew reports an account younger than age (new accounts post more slowly).
func (v *Viewer) IsNew(now time.Time, age time.Duration) bool {
	return v.SignedIn() && now.Sub(v.CreatedAt) < age
}
