package site

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"parley/app/audit"
	"parley/app/auth"
	"parley/app/errs"
	"parley/app/store"
)

// Moderation holds the settings of the review queue that admins tune.
type Moderation struct {
	// FlagThreshold is the summed weight of pending flags (by trust level)
	// that hides a post at once, pending review.
	FlagThreshold float64 `json:"flag_threshold"`
}

// DefaultFlagThreshold: three flags of ordinary members, or two of
// trusted ones.
const DefaultFlagThreshold = 3.0

// Bounds of FlagThreshold: below one flag's weight any flag would hide.
const (
	MinFlagThreshold = 1.0
	MaxFlagThreshold = 100.0
)

const keyFlagThreshold = "moderation.flag_threshold"

// Validate checks the settings.
func (m *Moderation) Validate() error {
	if math.IsNaN(m.FlagThreshold) || m.FlagThreshold < MinFlagThreshold || m.FlagThreshold > MaxFlagThreshold {
		return errs.Field("flag_threshold", "the flag threshold is a number from %g to %g", MinFlagThreshold, MaxFlagThreshold)
	}
	return nil
}

type cachedModeration struct {
	cur Moderation
	at  time.Time
}

// Moderation returns the review queue's settings (cached like Get).
func (s *Service) Moderation(ctx context.Context) (Moderation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.mod.at.IsZero() && time.Since(s.mod.at) < cacheFor {
		return s.mod.cur, nil
	}
	var rows []row
	if err := s.st.R.WithContext(ctx).Where("key = ?", keyFlagThreshold).Find(&rows).Error; err != nil {
		return Moderation{}, fmt.Errorf("site: load moderation settings: %w", err)
	}
	cur := Moderation{FlagThreshold: DefaultFlagThreshold}
	for _, r := range rows {
		if f, err := strconv.ParseFloat(r.Value, 64); err == nil && f >= MinFlagThreshold && f <= MaxFlagThreshold {
			cur.FlagThreshold = f
		}
	}
	s.mod = cachedModeration{cur: cur, at: time.Now()}
	return cur, nil
}

// SaveModeration stores the review queue's settings (admins only) with a
// site.moderation_updated event for staff and an audit row.
func (s *Service) SaveModeration(ctx context.Context, v *auth.Viewer, in Moderation) (Moderation, error) {
	if !v.IsAdmin() {
		return Moderation{}, errs.Forbidden("only admins can change the moderation settings")
	}
	if err := in.Validate(); err != nil {
		return Moderation{}, err
	}
	r := row{keyFlagThreshold, strconv.FormatFloat(in.FlagThreshold, 'g', -1, 64)}
	err := s.st.Tx(ctx, func(tx *gorm.DB) error {
		before := Moderation{FlagThreshold: DefaultFlagThreshold}
		var old []row
		if err := tx.Where("key = ?", keyFlagThreshold).Find(&old).Error; err != nil {
			return fmt.Errorf("site: load moderation settings: %w", err)
		}
		if len(old) == 1 {
			before.FlagThreshold, _ = strconv.ParseFloat(old[0].Value, 64)
		}
		if err := audit.Record(tx, audit.Entry{ActorID: v.ID, ActorRole: string(v.Role), Action: "moderation.settings",
			TargetType: "site", Before: before, After: in}); err != nil {
			return err
		}
		if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "key"}}, DoUpdates: clause.AssignmentColumns([]string{"value"})}).Create(&r).Error; err != nil {
			return fmt.Errorf("site: save moderation settings: %w", err)
		}
		_, err := store.Emit(tx, "site.moderation_updated", store.ScopeStaff, v.ID, "site", in)
		return err
	})
	if err != nil {
		return Moderation{}, err
	}
	s.mu.Lock()
	s.mod = cachedModeration{cur: in, at: time.Now()}
	s.mu.Unlock()
	return in, nil
}
