// Package errs holds the typed errors that domain packages return and the
// one web error handler maps to HTML pages and RFC 9457 problem details.
package errs

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Kind classifies an error for the client.
type Kind int

// The kinds map one to one onto HTTP statuses in the web error handler.
const (
	KindInvalid         Kind = iota + 1 // 422: input fails validation
	KindNotFound                        // 404: missing, or not visible to this viewer
	KindUnauthenticated                 // 401: sign-in required or failed
	KindForbidden                       // 403: signed in but not allowed
	KindConflict                        // 409: clashes with existing state
	KindRateLimited                     // 429: too many attempts
	KindTooLarge                        // 413: body too large
	KindBadRequest                      // 400: malformed request
)

// Error is a client-facing error. Message is safe to show; Fields maps a form
// field to its own message so the form and the API show the same text.
type Error struct {
	Kind       Kind
	Message    string
	Fields     map[string]string
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+": "+e.Fields[k])
	}
	return e.Message + " (" + strings.Join(parts, "; ") + ")"
}

// NotFound is the single answer for both missing and invisible things, so a
// viewer cannot tell a private post from a deleted one.
func NotFound(what string) error {
	return &Error{Kind: KindNotFound, Message: what + " not found"}
}

// Forbidden refuses an action the viewer may not take.
func Forbidden(msg string) error { return &Error{Kind: KindForbidden, Message: msg} }

// Unauthenticated asks the client to sign in.
func Unauthenticated(msg string) error { return &Error{Kind: KindUnauthenticated, Message: msg} }

// Conflict reports a clash with existing state.
func Conflict(msg string) error { return &Error{Kind: KindConflict, Message: msg} }

// BadRequest reports a malformed request.
func BadRequest(msg string) error { return &Error{Kind: KindBadRequest, Message: msg} }

// TooLarge reports an oversized body.
func TooLarge(msg string) error { return &Error{Kind: KindTooLarge, Message: msg} }

// RateLimited asks the client to wait.
func RateLimited(msg string, retry time.Duration) error {
	return &Error{Kind: KindRateLimited, Message: msg, RetryAfter: retry}
}

// Field is a validation error on one field.
func Field(field, format string, args ...any) error {
	return &Error{Kind: KindInvalid, Message: "Please correct the highlighted fields.", Fields: map[string]string{field: fmt.Sprintf(format, args...)}}
}

// Fields collects validation errors; Err returns nil when there are none.
type Fields map[string]string

// Add records msg for field unless the field already has a message.
func (f Fields) Add(field, msg string) {
	if _, ok := f[field]; !ok {
		f[field] = msg
	}
}

// AddErr records err: a field error keeps its field, others go under fallback.
func (f Fields) AddErr(fallback string, err error) {
	var e *Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		for k, v := range e.Fields {
			f.Add(k, v)
		}
		return
	}
	f.Add(fallback, err.Error())
}

// Err returns the collected errors as one *Error, or nil.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Kind: KindInvalid, Message: "Please correct the highlighted fields.", Fields: f}
}

// As returns the *Error inside err, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Is reports whether err is an *Error of kind k.
func Is(err error, k Kind) bool {
	e, ok := As(err)
	return ok && e.Kind == k
}
