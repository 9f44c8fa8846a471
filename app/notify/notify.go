// Package notify owns members' notifications: the bell, the notifications
// page and their API. Nothing that writes posts or reactions calls it; it is
// a consumer of the event log that turns post.created, post.edited,
// reaction.changed, post.hidden and post.deleted into stored notifications, each written
// with a notification.created event for the recipient's live bell.
package notify

import (
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"parley/app/auth"
	"parley/app/forum"
	"parley/app/store"
)

// Kinds of notification, as stored and as the API names them.
const (
	// KindMention: someone @mentioned you in a post.
	KindMention = "mention"
	// KindQuote: someone quoted one of your posts (Quote's header).
	KindQuote = "quote"
	// KindReplyThread: someone replied in a thread you started.
	KindReplyThread = "reply_thread"
	// KindReplyPost: someone replied directly to one of your posts. Posts
	// carry no reply-to link yet, and quoting is how a post answers another,
	// so today this kind is never written: quotes are KindQuote.
	KindReplyPost = "reply_post"
	// KindReaction: someone reacted to one of your posts.
	KindReaction = "reaction"
	// KindPostHidden: one of your posts was hidden pending review (members
	// flagged it, or a moderator hid it). Who did is not said: the author
	// stands as the actor.
	KindPostHidden = "post_hidden"
)

// postKinds are the kinds about a post's text. A recipient gets at most one
// of them per post, the first that applies in this order: being quoted
// says the most (and a quote's header also @mentions its author, which
// must not notify twice), a mention says more than a reply in your thread.
var postKinds = []string{KindQuote, KindMention, KindReplyThread, KindReplyPost}

// consumerName is this consumer's row in consumer_positions.
const consumerName = "notify"

// Options tune the consumer; zero values take the defaults.
type Options struct {
	PollEvery time.Duration // re-read the log without a wake-up, for other processes' writes (1 s)
	Batch     int           // events read per round, and at most one transaction per round (500)
	// SaveEvery: a round that writes no notification still records the
	// position once it has moved this many events past the stored one
	// (1,000), so a quiet log costs no writes and a restart re-reads little.
	SaveEvery int64
	Log       *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.PollEvery <= 0 {
		o.PollEvery = time.Second
	}
	if o.Batch <= 0 {
		o.Batch = 500
	}
	if o.SaveEvery <= 0 {
		o.SaveEvery = 1000
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return o
}

// Service stores and lists notifications and runs the consumer that
// writes them.
type Service struct {
	st     *store.Store
	users  *auth.Service
	forums *forum.Service
	opt    Options
	log    *slog.Logger
	now    func() time.Time

	// applied is the id of the last event the consumer has dealt with (in
	// memory; the stored position may lag it by up to SaveEvery events that
	// needed no notification). Read by Position, written by the consumer.
	applied atomic.Int64

	mu     sync.Mutex // guards stop and done
	stop   func()
	done   chan struct{}
	closed bool
}

// New builds the service; Start begins following the log.
func New(st *store.Store, users *auth.Service, forums *forum.Service, o Options) *Service {
	o = o.withDefaults()
	return &Service{st: st, users: users, forums: forums, opt: o, log: o.Log, now: func() time.Time { return time.Now().UTC() }}
}

// Position is the id of the last event the consumer has applied. Tests and
// health checks compare it with the log's newest id.
func (s *Service) Position() int64 { return s.applied.Load() }
