package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"parley/app/errs"
	"parley/app/store"
)

// Service reads the log. Writing needs no service: Record takes the
// caller's transaction.
type Service struct {
	st *store.Store
}

// New builds the reader.
func New(st *store.Store) *Service { return &Service{st: st} }

// Viewer is who reads the log: the fields of auth.Viewer this package
// needs (audit does not import auth, so that auth may one day record its
// own staff actions here).
type Viewer interface {
	SignedIn() bool
	IsStaff() bool
}

// Page sizes.
const (
	DefaultLimit = 50
	MaxLimit     = 200
	exportBatch  = 500
)

// Filter selects entries. Zero fields do not filter. Names are resolved to
// ids by the caller (the web layer, through the auth and forum services).
type Filter struct {
	ActorID      int64
	Action       string
	TargetUserID int64
	ForumID      int64
	// From and To bound created_at: From <= created_at < To.
	From, To time.Time
	// Before is the keyset cursor: only entries with a smaller id (older);
	// 0 starts at the newest.
	Before int64
	Limit  int // DefaultLimit when 0, at most MaxLimit
}

// Page is one page of entries, newest first. Next is the cursor (Before)
// of the following page, 0 on the last.
type Page struct {
	Entries []Row `json:"entries"`
	Next    int64 `json:"next_cursor,omitempty"`
}

// CanRead checks that v may read the log: every staff member may.
func CanRead(v Viewer) error {
	if v == nil || !v.SignedIn() {
		return errs.Unauthenticated("sign in first")
	}
	if !v.IsStaff() {
		return errs.Forbidden("the audit log is for staff")
	}
	return nil
}

// List returns one page of entries matching f, newest first.
func (s *Service) List(ctx context.Context, v Viewer, f Filter) (*Page, error) {
	if err := CanRead(v); err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	rows, err := s.read(ctx, f, limit+1)
	if err != nil {
		return nil, err
	}
	p := &Page{Entries: rows}
	if len(rows) > limit {
		p.Entries = rows[:limit]
		p.Next = p.Entries[limit-1].ID
	}
	return p, nil
}

// Each calls fn for every entry matching f (f.Limit is ignored), newest
// first, reading in batches so an export of the whole log streams in
// bounded memory. An error from fn stops it.
func (s *Service) Each(ctx context.Context, v Viewer, f Filter, fn func(Row) error) error {
	if err := CanRead(v); err != nil {
		return err
	}
	for {
		rows, err := s.read(ctx, f, exportBatch)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := fn(r); err != nil {
				return err
			}
		}
		if len(rows) < exportBatch {
			return nil
		}
		f.Before = rows[len(rows)-1].ID
	}
}

const selectRows = `l.id, l.actor_id, COALESCE(au.username, '') AS actor_name, l.actor_role, l.action,
l.target_type, l.target_id, l.target_user_id, COALESCE(tu.username, '') AS target_user_name,
l.forum_id, COALESCE(f.slug, '') AS forum_slug, l.reason, l.note,
l.before_json, l.after_json, l.created_at`

// read is one keyset query: the filters, id < Before, newest first.
func (s *Service) read(ctx context.Context, f Filter, n int) ([]Row, error) {
	q := s.st.R.WithContext(ctx).Table("audit_log AS l").Select(selectRows).
		Joins("LEFT JOIN users au ON au.id = l.actor_id").
		Joins("LEFT JOIN users tu ON tu.id = l.target_user_id").
		Joins("LEFT JOIN forums f ON f.id = l.forum_id")
	q = where(q, f)
	var scanned []struct {
		Row
		BeforeJSON, AfterJSON string
	}
	if err := q.Order("l.id DESC").Limit(n).Scan(&scanned).Error; err != nil {
		return nil, fmt.Errorf("audit: read log: %w", err)
	}
	rows := make([]Row, len(scanned))
	for i, sc := range scanned {
		r := sc.Row
		r.CreatedAt = r.CreatedAt.UTC()
		r.Before, r.After = rawJSON(sc.BeforeJSON), rawJSON(sc.AfterJSON)
		rows[i] = r
	}
	return rows, nil
}

// rawJSON is stored JSON as it goes out; nothing stored is null.
func rawJSON(s string) json.RawMessage {
	if s == "" {
		return nil
	}
	return json.RawMessage(s)
}

func where(q *gorm.DB, f Filter) *gorm.DB {
	if f.ActorID > 0 {
		q = q.Where("l.actor_id = ?", f.ActorID)
	}
	if f.Action != "" {
		q = q.Where("l.action = ?", f.Action)
	}
	if f.TargetUserID > 0 {
		q = q.Where("l.target_user_id = ?", f.TargetUserID)
	}
	if f.ForumID > 0 {
		q = q.Where("l.forum_id = ?", f.ForumID)
	}
	if !f.From.IsZero() {
		q = q.Where("l.created_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("l.created_at < ?", f.To.UTC())
	}
	if f.Before > 0 {
		q = q.Where("l.id < ?", f.Before)
	}
	return q
}

// Actions lists the distinct actions in the log, for the filter's choices.
func (s *Service) Actions(ctx context.Context, v Viewer) ([]string, error) {
	if err := CanRead(v); err != nil {
		return nil, err
	}
	// A loose index scan on audit_log_action: one index probe per distinct
	// action, where SELECT DISTINCT would read the whole index.
	const q = `WITH RECURSIVE a(action) AS (
  SELECT MIN(action) FROM audit_log
  UNION ALL
  SELECT (SELECT MIN(action) FROM audit_log WHERE action > a.action) FROM a WHERE a.action IS NOT NULL
) SELECT action FROM a WHERE action IS NOT NULL`
	var out []string
	if err := s.st.R.WithContext(ctx).Raw(q).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("audit: actions: %w", err)
	}
	return out, nil
}
