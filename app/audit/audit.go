// Package audit is the staff audit log: one append-only row per staff
// action (approve, reject, hide, warn, silence, suspend, guidelines edit …),
// written by the acting service inside its own transaction, beside the
// action's event. Rows are never changed or removed: there is no code path
// for it, and the database refuses it (triggers in migration 00005).
//
// Every staff member (moderators, community managers, admins) may read the
// whole log: moderation works best when everyone on the team can see what
// everyone else did, and managers' and admins' actions are the ones most
// worth checking.
package audit

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"parley/app/errs"
)

// Limits on the free text of an entry. Callers that take a reason or note
// from a form should check them first (CheckText) so the form can show the
// error beside the field; Record refuses longer text with the same error.
const (
	MaxReason = 1000 // runes
	MaxNote   = 4000 // runes
)

// Entry is one staff action as a caller records it.
type Entry struct {
	ActorID   int64  // the staff member acting (required)
	ActorRole string // their role at the time: "moderator", "manager", "admin" (required)
	// Action names what was done, as "noun.verb": "post.hide",
	// "user.silence", "flag.reject", "guidelines.edit" (required).
	Action string
	// TargetType and TargetID name what it was done to: "post" 123,
	// "thread" 9, "user" 42, "guidelines" 3 (a version number) …
	TargetType string // required
	TargetID   int64
	// TargetUserID is the member affected (the post's author, the silenced
	// user), 0 for none. ForumID is the forum it happened in, 0 for none.
	TargetUserID int64
	ForumID      int64
	// Reason is the reason given (shown to staff, and to the member where
	// the action tells them); cite guidelines sections through
	// guidelines.Service.Section. Note is a staff-only remark.
	Reason string
	Note   string
	// Before and After are the state before and after the action, stored
	// as JSON (nil stores nothing). Keep them small: the fields changed.
	Before, After any
	// At is when it happened; zero means now. Only importers and tests
	// set it.
	At time.Time
}

// Row is one stored entry as readers see it, with the names of the people
// and the forum it refers to.
type Row struct {
	ID             int64           `json:"id"`
	ActorID        int64           `json:"actor_id"`
	ActorName      string          `json:"actor"`
	ActorRole      string          `json:"actor_role"`
	Action         string          `json:"action"`
	TargetType     string          `json:"target_type"`
	TargetID       int64           `json:"target_id"`
	TargetUserID   *int64          `json:"target_user_id"`
	TargetUserName string          `json:"target_user"`
	ForumID        *int64          `json:"forum_id"`
	ForumSlug      string          `json:"forum"`
	Reason         string          `json:"reason"`
	Note           string          `json:"note"`
	Before         json.RawMessage `json:"before" gorm:"-"`
	After          json.RawMessage `json:"after" gorm:"-"`
	CreatedAt      time.Time       `json:"created_at"`
}

// row is the table's shape for inserts.
type row struct {
	ID           int64
	ActorID      int64
	ActorRole    string
	Action       string
	TargetType   string
	TargetID     int64
	TargetUserID *int64
	ForumID      *int64
	Reason       string
	Note         string
	BeforeJSON   string `gorm:"column:before_json"`
	AfterJSON    string `gorm:"column:after_json"`
	CreatedAt    time.Time
}

func (row) TableName() string { return "audit_log" }

// nameRE is the shape of actions and target types: "post.hide", "user".
var nameRE = regexp.MustCompile(`^[a-z][a-z_]*(\.[a-z][a-z_]*)*$`)

// Record writes e inside tx, the transaction of the action it describes,
// so the action, its event and its audit row commit or vanish together.
// It writes nothing else (the caller emits the action's event). A missing
// actor, action or target is a programming error; over-long reason or note
// text is an errs field error ("reason", "note") the caller may show.
func Record(tx *gorm.DB, e Entry) error {
	if e.ActorID <= 0 || e.ActorRole == "" {
		return fmt.Errorf("audit: %s: no actor", e.Action)
	}
	if len(e.Action) > 64 || !nameRE.MatchString(e.Action) {
		return fmt.Errorf("audit: bad action %q", e.Action)
	}
	if len(e.TargetType) > 32 || !nameRE.MatchString(e.TargetType) {
		return fmt.Errorf("audit: %s: bad target type %q", e.Action, e.TargetType)
	}
	reason, note := clean(e.Reason), clean(e.Note)
	if err := CheckText(reason, note); err != nil {
		return err
	}
	before, err := marshal(e.Before)
	if err != nil {
		return fmt.Errorf("audit: %s before: %w", e.Action, err)
	}
	after, err := marshal(e.After)
	if err != nil {
		return fmt.Errorf("audit: %s after: %w", e.Action, err)
	}
	at := e.At
	if at.IsZero() {
		at = time.Now()
	}
	r := row{ActorID: e.ActorID, ActorRole: e.ActorRole, Action: e.Action, TargetType: e.TargetType,
		TargetID: e.TargetID, TargetUserID: optional(e.TargetUserID), ForumID: optional(e.ForumID),
		Reason: reason, Note: note, BeforeJSON: before, AfterJSON: after, CreatedAt: at.UTC()}
	if err := tx.Create(&r).Error; err != nil {
		return fmt.Errorf("audit: record %s: %w", e.Action, err)
	}
	return nil
}

// CheckText validates a reason and a note against the limits, with the
// messages Record gives.
func CheckText(reason, note string) error {
	f := errs.Fields{}
	if utf8.RuneCountInString(reason) > MaxReason {
		f.Add("reason", fmt.Sprintf("a reason has at most %d characters", MaxReason))
	}
	if utf8.RuneCountInString(note) > MaxNote {
		f.Add("note", fmt.Sprintf("a note has at most %d characters", MaxNote))
	}
	return f.Err()
}

// clean trims text and drops what some databases refuse.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.TrimSpace(strings.ReplaceAll(s, "\x00", ""))
}

func marshal(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	if string(b) == "null" {
		return "", nil
	}
	return string(b), nil
}

func optional(id int64) *int64 {
	if id <= 0 {
		return nil
	}
	return &id
}
