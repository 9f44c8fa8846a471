package realtime

import (
	"bytes"
	"encoding/json"
	"time"
)

// Close codes a client must understand (docs/api.md, "Real time").
const (
	// CloseTooSlow: the client could not keep up and its queue was dropped.
	// Reconnect and subscribe again with since = the last event id seen.
	CloseTooSlow = 4008
	// CloseSignedOut: the session or token that opened the connection is no
	// longer valid. Reconnect as whoever the client now is.
	CloseSignedOut = 4001

	tooSlowText = "too slow: reconnect and resubscribe with since"
)

// Error codes of {"type":"error"} messages.
const (
	codeBadMessage   = "bad_message"
	codeBadChannel   = "bad_channel"
	codeNotFound     = "not_found"
	codeUnauth       = "unauthenticated"
	codeTooMany      = "too_many_subscriptions"
	codeAlready      = "already_subscribed"
	codeNotSub       = "not_subscribed"
	codeRateLimited  = "rate_limited"
	codeUnavailable  = "unavailable"
	notFoundMessage  = "no such channel"
	typingExpiresSec = 6
)

// clientMsg is every message a client may send; Type says which fields count.
type clientMsg struct {
	Type    string `json:"type"`
	Channel string `json:"channel"`
	Since   *int64 `json:"since"`
	Thread  int64  `json:"thread"`
}

// eventMsg carries one event-log row to one channel.
type eventMsg struct {
	Type    string          `json:"type"`
	ID      int64           `json:"id"`
	Event   string          `json:"event"`
	Channel string          `json:"channel"`
	Data    json.RawMessage `json:"data"`
	At      time.Time       `json:"at"`
}

// posMsg is subscribed and resync: a channel and the log position the
// client stands at for it (0 on an empty log).
type posMsg struct {
	Type    string `json:"type"`
	Channel string `json:"channel"`
	ID      int64  `json:"id"`
}

type unsubscribedMsg struct {
	Type    string `json:"type"`
	Channel string `json:"channel"`
}

type errorMsg struct {
	Type    string `json:"type"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Channel string `json:"channel,omitempty"`
}

type presenceMsg struct {
	Type   string `json:"type"`
	Thread int64  `json:"thread"`
	Count  int    `json:"count"`
}

type typingMsg struct {
	Type      string `json:"type"`
	Thread    int64  `json:"thread"`
	User      string `json:"user"`
	UserID    int64  `json:"user_id"`
	ExpiresIn int    `json:"expires_in"`
}

// encode marshals a server message. Every type above marshals without
// error (no channels, funcs or invalid raw JSON from our own log), so an
// error here is a programming mistake and yields an empty message.
func encode(m any) []byte {
	b, err := json.Marshal(m)
	if err != nil {
		return nil
	}
	return b
}

// encodeEvent marshals an event message without HTML-escaping: a post's
// html is sent as it is stored, not with every < as \u003c (which would
// make a post's message several times longer). Clients parse it as JSON;
// nothing inserts the message into a page as markup.
func encodeEvent(m eventMsg) []byte {
	return encodeRaw(m)
}

func encodeRaw(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

const pongMsg = `{"type":"pong"}`
