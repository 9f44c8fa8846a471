package moderation

import (
	"encoding/json"
	"fmt"

	"gorm.io/gorm"

	"parley/app/store"
)

// event is a review.* event to write once every row of the change is.
type event struct {
	typ     string
	actor   int64
	itemID  int64
	payload map[string]any
}

// emitAll writes review events, scope staff: the hub sends them on the
// staff channel only. Payloads carry ids, counts and names, never a post's
// text or a moderator's note: every staff member receives them, also those
// who cannot see the item's forum (the queue API filters those out).
//
// Events come after every row of the transaction. On PostgreSQL Emit takes
// the log's advisory lock while writers such as React hold a post's row
// lock and wait for it; taking a row lock after the advisory lock could
// deadlock with them (see notify.commit).
func emitAll(tx *gorm.DB, evs []event) error {
	for _, e := range evs {
		if _, err := store.Emit(tx, e.typ, store.ScopeStaff, e.actor, fmt.Sprintf("review:%d", e.itemID), e.payload); err != nil {
			return err
		}
	}
	return nil
}

// encodeReasons stores flag counts by reason as a JSON object (keys sorted).
func encodeReasons(m map[string]int) string {
	b, err := json.Marshal(m)
	if err != nil {
		return "{}"
	}
	return string(b)
}

func decodeReasons(s string) map[string]int {
	m := map[string]int{}
	_ = json.Unmarshal([]byte(s), &m) // a damaged value shows as no reasons
	return m
}
