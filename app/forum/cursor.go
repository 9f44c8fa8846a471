package forum

import (
	"encoding/base64"
	"encoding/json"
	"time"

	"parley/app/errs"
)

// threadCursor is the sort key of the last thread a client has seen.
type threadCursor struct {
	Pinned bool      `json:"p"`
	At     time.Time `json:"t"`
	ID     int64     `json:"i"`
}

func encodeCursor(c threadCursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (threadCursor, error) {
	var c threadCursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(s) > 200 || json.Unmarshal(b, &c) != nil || c.ID <= 0 {
		return c, errs.BadRequest("cursor is not one this server handed out")
	}
	c.At = c.At.UTC()
	return c, nil
}
