package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Event is one row of the event log: written in the same transaction as the
// change it describes, read by consumers in id order.
type Event struct {
	ID        int64     `json:"id" gorm:"primaryKey"`
	Type      string    `json:"type"`
	Scope     string    `json:"scope"`
	ActorID   *int64    `json:"actor_id,omitempty"`
	Subject   string    `json:"subject"`
	Payload   string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
}

// TableName pins the table name.
func (Event) TableName() string { return "events" }

// MarshalJSON emits the payload as JSON rather than a quoted string.
func (e Event) MarshalJSON() ([]byte, error) {
	type plain Event
	return json.Marshal(struct {
		plain
		Payload json.RawMessage `json:"payload"`
	}{plain(e), json.RawMessage(e.Payload)})
}

// Scopes say who may read an event. Content events are scoped to their forum
// so that a later change of the forum's visibility applies to old events too.
const (
	ScopePublic = "public"
	ScopeStaff  = "staff"
)

// ForumScope is the scope of events about content in one forum.
func ForumScope(forumID int64) string { return "forum:" + strconv.FormatInt(forumID, 10) }

// UserScope is the scope of events only one user (and admins) may read.
func UserScope(userID int64) string { return "user:" + strconv.FormatInt(userID, 10) }

// ParseScope splits a scope into its kind and id (0 for public and staff).
func ParseScope(scope string) (kind string, id int64, err error) {
	kind, rest, found := strings.Cut(scope, ":")
	switch {
	case !found && (kind == ScopePublic || kind == ScopeStaff):
		return kind, 0, nil
	case found && (kind == "forum" || kind == "user"):
		id, err = strconv.ParseInt(rest, 10, 64)
		if err == nil && id > 0 {
			return kind, id, nil
		}
	}
	return "", 0, fmt.Errorf("store: bad event scope %q", scope)
}

// Emit appends an event inside tx. payload is marshalled to JSON.
func Emit(tx *gorm.DB, typ, scope string, actorID int64, subject string, payload any) (int64, error) {
	if _, _, err := ParseScope(scope); err != nil {
		return 0, err
	}
	b, err := json.Marshal(payload)
	if err != nil {
		return 0, fmt.Errorf("store: event %s payload: %w", typ, err)
	}
	if tx.Name() == "postgres" {
		// Identity values are handed out at insert, not at commit, so two
		// concurrent writers could commit ids out of order and a consumer
		// reading "id > last" would skip one. Serialising event writers with
		// a transaction-scoped lock makes id order equal commit order.
		if err := tx.Exec("SELECT pg_advisory_xact_lock(7340001)").Error; err != nil {
			return 0, fmt.Errorf("store: event lock: %w", err)
		}
	}
	actor := sql.NullInt64{Int64: actorID, Valid: actorID > 0}
	// A plain INSERT rather than Create: every write pays for this one.
	var id int64
	err = tx.Raw("INSERT INTO events (type, scope, actor_id, subject, payload, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
		typ, scope, actor, subject, string(b), time.Now().UTC()).Row().Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: write event %s: %w", typ, err)
	}
	return id, nil
}

// ErrNoEvent is returned for an unknown event id.
var ErrNoEvent = errors.New("store: no such event")

// EventByID reads one event.
func (s *Store) EventByID(ctx context.Context, id int64) (Event, error) {
	var ev Event
	err := s.R.WithContext(ctx).First(&ev, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ev, ErrNoEvent
	}
	return ev, err
}

// EventsAfter reads up to limit events with id > after, oldest first.
func (s *Store) EventsAfter(ctx context.Context, after int64, limit int) ([]Event, error) {
	var evs []Event
	err := s.R.WithContext(ctx).Where("id > ?", after).Order("id").Limit(limit).Find(&evs).Error
	if err != nil {
		return nil, fmt.Errorf("store: read events after %d: %w", after, err)
	}
	return evs, nil
}

// LastEventID is the id of the newest event, 0 when the log is empty.
func (s *Store) LastEventID(ctx context.Context) (int64, error) {
	var id *int64
	err := s.R.WithContext(ctx).Raw("SELECT MAX(id) FROM events").Scan(&id).Error
	if err != nil || id == nil {
		return 0, err
	}
	return *id, nil
}
