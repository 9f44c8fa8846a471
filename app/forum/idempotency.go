package forum

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"parley/app/auth"
	"parley/app/errs"
)

// IdempotencyTTL is how long a key is remembered.
const IdempotencyTTL = 24 * time.Hour

// errReplay aborts a transaction that found its key already used.
var errReplay = errors.New("forum: idempotency key already used")

func checkIdempotencyKey(key string) error {
	if len(key) > 200 {
		return errs.BadRequest("Idempotency-Key has at most 200 characters")
	}
	for _, r := range key {
		if r < 0x21 || r > 0x7e {
			return errs.BadRequest("Idempotency-Key must be printable ASCII without spaces")
		}
	}
	return nil
}

func isClientError(err error) bool {
	_, ok := errs.As(err)
	return ok
}

func idempotentPost(tx *gorm.DB, userID int64, key string) (int64, error) {
	var ids []int64
	err := tx.Raw("SELECT post_id FROM idempotency_keys WHERE user_id = ? AND idem_key = ? AND created_at > ?",
		userID, key, time.Now().UTC().Add(-IdempotencyTTL)).Scan(&ids).Error
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	return ids[0], nil
}

func saveIdempotencyKey(tx *gorm.DB, userID int64, key string, postID int64, now time.Time) error {
	// Forget this user's expired keys (and any expired row for this key).
	if err := tx.Exec("DELETE FROM idempotency_keys WHERE user_id = ? AND created_at <= ?", userID, now.Add(-IdempotencyTTL)).Error; err != nil {
		return err
	}
	if err := tx.Exec("INSERT INTO idempotency_keys (user_id, idem_key, post_id, created_at) VALUES (?, ?, ?, ?)", userID, key, postID, now).Error; err != nil {
		return fmt.Errorf("forum: save idempotency key: %w", err)
	}
	return nil
}

// replay returns the post a key already made, or nil.
func (s *Service) replay(ctx context.Context, v *auth.Viewer, key string) (*PostView, error) {
	id, err := idempotentPost(s.st.R.WithContext(ctx), v.ID, key)
	if err != nil || id == 0 {
		return nil, err
	}
	p, _, err := s.PostByID(ctx, v, id)
	return p, err
}
