package moderation

import (
	"context"
	"fmt"
	"slices"
	"time"

	"parley/app/auth"
)

// StatsWindow is the period of the queue's figures about work done.
const StatsWindow = 7 * 24 * time.Hour

// maxTimings bounds the rows read for the median (the newest count).
const maxTimings = 10000

// ModeratorCount is one staff member's actions on the queue in the window.
type ModeratorCount struct {
	User    UserRef `json:"user"`
	Actions int     `json:"actions"`
}

// Stats are the figures at the top of the queue, over the forums the
// viewer can see.
type Stats struct {
	Waiting int64 `json:"waiting"`
	// OldestAt is when the oldest pending item came in (nil: none waits).
	OldestAt         *time.Time `json:"oldest_at"`
	OldestAgeSeconds int64      `json:"oldest_age_seconds"`
	// MedianFirstActionSeconds is the median time from an item's arrival
	// to the first action on it, over items first acted on in the
	// window (nil when there were none).
	MedianFirstActionSeconds *int64 `json:"median_first_action_seconds"`
	FirstActions             int    `json:"first_actions"`
	// Moderators counts each staff member's actions on the queue in the
	// window (approve, hide, delete, dismiss, lock, hiding flags), most
	// first.
	Moderators []ModeratorCount `json:"moderators"`
	Since      time.Time        `json:"since"`
}

// Stats computes the queue's figures for v.
func (s *Service) Stats(ctx context.Context, v *auth.Viewer) (*Stats, error) {
	if err := requireStaff(v); err != nil {
		return nil, err
	}
	ids, err := s.visibleForumIDs(ctx, v)
	if err != nil {
		return nil, err
	}
	now := s.now()
	st := &Stats{Since: now.Add(-StatsWindow), Moderators: []ModeratorCount{}}
	db := s.st.R.WithContext(ctx)
	inForums := "(forum_id IN ? OR forum_id IS NULL)"

	if err := db.Raw("SELECT COUNT(*) FROM review_items WHERE status = ? AND "+inForums, statusPending, ids).Scan(&st.Waiting).Error; err != nil {
		return nil, fmt.Errorf("moderation: count waiting: %w", err)
	}
	if st.Waiting > 0 {
		var oldest []struct{ CreatedAt time.Time }
		if err := db.Raw("SELECT created_at FROM review_items WHERE status = ? AND "+inForums+" ORDER BY created_at LIMIT 1",
			statusPending, ids).Scan(&oldest).Error; err != nil {
			return nil, fmt.Errorf("moderation: oldest waiting: %w", err)
		}
		if len(oldest) == 1 {
			at := oldest[0].CreatedAt
			st.OldestAt, st.OldestAgeSeconds = &at, int64(now.Sub(at).Seconds())
		}
	}

	var timings []struct{ CreatedAt, FirstActionAt time.Time }
	if err := db.Raw("SELECT created_at, first_action_at FROM review_items WHERE first_action_at >= ? AND "+inForums+
		" ORDER BY first_action_at DESC LIMIT ?", st.Since, ids, maxTimings).Scan(&timings).Error; err != nil {
		return nil, fmt.Errorf("moderation: first actions: %w", err)
	}
	if len(timings) > 0 {
		d := make([]time.Duration, len(timings))
		for i, t := range timings {
			d[i] = max(0, t.FirstActionAt.Sub(t.CreatedAt))
		}
		slices.Sort(d)
		m := d[len(d)/2]
		if len(d)%2 == 0 {
			m = (d[len(d)/2-1] + d[len(d)/2]) / 2
		}
		secs := int64(m.Seconds())
		st.MedianFirstActionSeconds, st.FirstActions = &secs, len(d)
	}

	var mods []struct {
		ID         int64
		Username   string
		Role       auth.Role
		TrustLevel int
		N          int
	}
	// Every action of the queue is an audit row "review.<action>"
	// (audit_log_created keeps this to the window's rows).
	if err := db.Raw(`SELECT u.id, u.username, u.role, u.trust_level, COUNT(*) AS n FROM audit_log l JOIN users u ON u.id = l.actor_id
		WHERE l.created_at >= ? AND l.action LIKE 'review.%' AND (l.forum_id IN ? OR l.forum_id IS NULL)
		GROUP BY u.id, u.username, u.role, u.trust_level ORDER BY n DESC, u.username`, st.Since, ids).Scan(&mods).Error; err != nil {
		return nil, fmt.Errorf("moderation: actions per moderator: %w", err)
	}
	for _, m := range mods {
		st.Moderators = append(st.Moderators, ModeratorCount{User: UserRef{ID: m.ID, Username: m.Username, Role: m.Role, TrustLevel: m.TrustLevel}, Actions: m.N})
	}
	return st, nil
}
