// Package loadgen builds large, realistic Parley data sets quickly (a bulk
// path beside the services) and drives a running server over HTTP to measure
// requests per second, latency percentiles and memory. cmd/parley-load is its
// command line.
package loadgen

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	mrand "math/rand/v2"
	"slices"
	"strconv"
	"time"

	"parley/app"
	"parley/app/auth"
	"parley/app/forum"
	"parley/app/notify"
	"parley/app/render"
	"parley/app/store"
)

// Limits of Build (they keep the in-memory plan's int32 fields safe).
const (
	MaxPosts = 100_000_000
	MaxUsers = 1_000_000
)

// BuildOptions size the data set.
type BuildOptions struct {
	Posts   int    // total posts (thread openers included)
	Users   int    // generated members who write the content
	Forums  int    // forums; the last one is members-only when there are two or more
	Writers int    // moderator accounts with API tokens for the driver (plus one admin)
	Seed    uint64 // the same seed builds the same content
	// Bodies is the number of distinct post bodies, each rendered once.
	Bodies int
	// PostsPerTx is how many posts (with their events, reactions and
	// mentions) one transaction writes.
	PostsPerTx int
	// KeepSync keeps the configured synchronous mode during the load; by
	// default SQLite runs with synchronous=OFF until the end (see build).
	KeepSync bool
	// Progress receives a line every ProgressEvery (nil: quiet).
	Progress      io.Writer
	ProgressEvery time.Duration
	// Now is the end of the generated history (default: the current time).
	Now time.Time
}

func (o *BuildOptions) defaults() error {
	if o.Posts < 1 || o.Posts > MaxPosts {
		return fmt.Errorf("loadgen: posts must be 1 to %d", MaxPosts)
	}
	if o.Users < 2 || o.Users > MaxUsers {
		return fmt.Errorf("loadgen: users must be 2 to %d", MaxUsers)
	}
	if o.Forums < 1 {
		o.Forums = 1
	}
	if o.Writers < 1 {
		o.Writers = 1
	}
	if o.Writers > 99 {
		return errors.New("loadgen: at most 99 writers")
	}
	if o.Bodies < 1 {
		o.Bodies = 2000
	}
	if o.PostsPerTx < 1 {
		o.PostsPerTx = 25000
	}
	if o.ProgressEvery <= 0 {
		o.ProgressEvery = 2 * time.Second
	}
	if o.Now.IsZero() {
		o.Now = time.Now().UTC()
	}
	return nil
}

// BuildResult counts what Build wrote.
type BuildResult struct {
	Manifest                                    *Manifest
	Users, Forums, Threads, Posts, Reactions    int64
	Mentions, Events, BigThreads, BiggestThread int64
	Took                                        time.Duration
}

type userRow struct {
	id       int64
	name     string
	key      string
	role     auth.Role
	posts    int64
	lastPost int64 // unix ms, 0 = never
}

type forumSpec struct {
	slug, name, desc, vis string
	weight                float64
}

var forumSpecs = []forumSpec{
	{"announcements", "Announcements", "News from the team.", forum.VisPublic, 2},
	{"gear-talk", "Gear Talk", "Tents, packs, stoves and everything you carry.", forum.VisPublic, 25},
	{"trip-reports", "Trip Reports", "Where you went and how it went.", forum.VisPublic, 20},
	{"repairs", "Repairs & Care", "Fix it, clean it, make it last.", forum.VisPublic, 15},
	{"beginners", "Beginners", "No question is too small.", forum.VisPublic, 12},
	{"off-topic", "Off Topic", "Everything else.", forum.VisPublic, 10},
	{"marketplace", "Marketplace", "Buy, sell and swap used gear.", forum.VisPublic, 8},
}

var membersForum = forumSpec{"members-lounge", "Members Lounge", "For signed-in members only.", forum.VisMembers, 8}

func forumPlan(n int) []forumSpec {
	var out []forumSpec
	public := n
	if n >= 2 {
		public = n - 1
	}
	for i := range public {
		if i < len(forumSpecs) {
			out = append(out, forumSpecs[i])
		} else {
			out = append(out, forumSpec{fmt.Sprintf("forum-%d", i+1), fmt.Sprintf("Forum %d", i+1), "More talk.", forum.VisPublic, 8})
		}
	}
	if n >= 2 {
		out = append(out, membersForum)
	}
	return out
}

type planThread struct {
	id         int64
	forum      int
	size       int
	start, end int64 // unix ms of the first and last post
	author     int   // index into users
	lastPoster int
	pinned     bool
	locked     bool
	big        bool
	title      string
}

type planPost struct {
	at     int64 // unix ms
	thread int32
	number int32
	author int32
}

type bodyDoc struct {
	body, html string
	mentions   []int64
	mentionsJS string // the "mentions" value of the post.created payload
}

// Big threads: 1% of the posts each (10,000, 12,500 and 15,000 posts for a
// million), so the set has at least three threads of 10,000+ posts at full size.
func bigSizes(posts int) []int {
	if posts < 1000 {
		return nil
	}
	base := posts / 100
	return []int{base, base * 5 / 4, base * 3 / 2}
}

// threadSize draws the size of an ordinary thread: most have 1–15 posts, a
// few dozen to a few hundred, a handful thousands.
func threadSize(r *mrand.Rand, posts int) int {
	logUniform := func(lo, hi int) int {
		if hi <= lo {
			return lo
		}
		return int(math.Exp(math.Log(float64(lo)) + r.Float64()*(math.Log(float64(hi+1))-math.Log(float64(lo)))))
	}
	switch u := r.Float64(); {
	case u < 0.93:
		return min(15, 1+int(r.ExpFloat64()*3.5))
	case u < 0.995:
		return logUniform(16, 200)
	default:
		return logUniform(201, min(3000, max(250, posts/300)))
	}
}

func classOf(t *planThread) string {
	switch {
	case t.big:
		return ClassBig
	case t.size <= 15:
		return ClassSmall
	case t.size <= 200:
		return ClassMedium
	}
	return ClassLarge
}

func pagesOf(n int) int { return max(1, (n+forum.PageSize-1)/forum.PageSize) }

// reservoir keeps a uniform sample of at most max items.
type reservoir[T any] struct {
	max   int
	seen  int
	items []T
}

func (s *reservoir[T]) add(r *mrand.Rand, x T) {
	s.seen++
	if len(s.items) < s.max {
		s.items = append(s.items, x)
	} else if j := r.IntN(s.seen); j < s.max {
		s.items[j] = x
	}
}

// Build writes a whole data set into the (empty, migrated) database of a,
// bypassing the services for speed but keeping every invariant they keep:
// post numbers, thread, forum and user counters, reaction counts, rendered
// HTML, mentions and one event per change with the services' scope and
// payload. It writes the manifest and the token file into a's data folder.
func Build(ctx context.Context, a *app.App, o BuildOptions) (*BuildResult, error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	started := time.Now()
	pg := a.Store.Dialect == "postgres"
	db := a.Store.SQL()
	var nUsers int64
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&nUsers); err != nil {
		return nil, err
	}
	if nUsers > 0 {
		return nil, fmt.Errorf("loadgen: the database already has %d accounts; build into an empty data folder", nUsers)
	}
	logf := func(format string, args ...any) {
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, format+"\n", args...)
		}
	}
	r := mrand.New(mrand.NewPCG(o.Seed, 0x5eed_1e55_0f_fa11)) //nolint:gosec // reproducible test data, not secrets
	hash, err := auth.HashPassword(auth.DefaultPasswordParams(), Password)
	if err != nil {
		return nil, err
	}

	// Accounts: the admin, the writers (moderators: staff are exempt from
	// the posting interval), then the members who wrote the history.
	users := make([]userRow, 0, 1+o.Writers+o.Users)
	addUser := func(name string, role auth.Role) error {
		disp, key, err := auth.NormalizeUsername(name)
		if err != nil {
			return fmt.Errorf("loadgen: username %q: %w", name, err)
		}
		users = append(users, userRow{id: int64(len(users) + 1), name: disp, key: key, role: role})
		return nil
	}
	if err := addUser("load_admin", auth.RoleAdmin); err != nil {
		return nil, err
	}
	for i := range o.Writers {
		if err := addUser(fmt.Sprintf("load_writer_%02d", i+1), auth.RoleModerator); err != nil {
			return nil, err
		}
	}
	firstMember := len(users)
	for i := range o.Users {
		if err := addUser(Username(i), auth.RoleMember); err != nil {
			return nil, err
		}
	}
	members := users[firstMember:]

	// History: three years up to a minute ago.
	end := o.Now.Add(-time.Minute).UnixMilli()
	window := int64(3 * 365 * 24 * time.Hour / time.Millisecond)
	begin := end - window
	ms := func(at int64) time.Time { return time.UnixMilli(at).UTC() }

	// Threads and their sizes.
	specs := forumPlan(o.Forums)
	var threads []planThread
	left := o.Posts
	for _, n := range bigSizes(o.Posts) {
		n = min(n, left)
		threads = append(threads, planThread{size: n, big: true})
		left -= n
	}
	for left > 0 {
		n := min(threadSize(r, o.Posts), left)
		threads = append(threads, planThread{size: n})
		left -= n
	}
	// Forums: big threads go to the busiest public forums, the rest by weight.
	var bigForums []int
	for i, s := range specs {
		if s.vis == forum.VisPublic && s.slug != "announcements" {
			bigForums = append(bigForums, i)
		}
	}
	if len(bigForums) == 0 {
		bigForums = []int{0}
	}
	var wsum float64
	for _, s := range specs {
		wsum += s.weight
	}
	nb := 0
	for i := range threads {
		t := &threads[i]
		if t.big {
			t.forum = bigForums[nb%len(bigForums)]
			nb++
			t.start = begin + r.Int64N(window/10)
			t.end = end - r.Int64N(int64(48*time.Hour/time.Millisecond))
		} else {
			x := r.Float64() * wsum
			for j, s := range specs {
				if x -= s.weight; x < 0 || j == len(specs)-1 {
					t.forum = j
					break
				}
			}
			t.start = begin + r.Int64N(window-int64(time.Hour/time.Millisecond))
			span := int64(float64(t.size) * 4 * float64(time.Hour/time.Millisecond) * (0.25 + 1.5*r.Float64()))
			if t.size == 1 {
				span = 0
			}
			t.end = min(end, t.start+span)
		}
		t.title = Title(r)
		t.locked = !t.big && r.IntN(200) == 0
	}
	// Ids in order of creation.
	order := make([]int, len(threads))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(threads[x].start, threads[y].start) })
	pinnedIn := make([]int, len(specs))
	for rank, i := range order {
		threads[i].id = int64(rank + 1)
		// The oldest thread of each forum (and a few more) is pinned.
		if f := threads[i].forum; pinnedIn[f] == 0 || (pinnedIn[f] < 3 && !threads[i].big && r.IntN(2000) == 0) {
			threads[i].pinned = true
			pinnedIn[f]++
		}
	}

	// The timeline: every post with its time, in global time order, so post
	// ids interleave across threads the way a live forum's do.
	timeline := make([]planPost, 0, o.Posts)
	var ats []int64
	for i := range threads {
		t := &threads[i]
		timeline = append(timeline, planPost{at: t.start, thread: int32(i), number: 1}) //nolint:gosec // posts ≤ MaxPosts
		ats = ats[:0]
		for range t.size - 1 {
			ats = append(ats, t.start+r.Int64N(t.end-t.start+1))
		}
		slices.Sort(ats)
		for k, at := range ats {
			timeline = append(timeline, planPost{at: at, thread: int32(i), number: int32(k + 2)}) //nolint:gosec // posts ≤ MaxPosts
		}
	}
	slices.SortFunc(timeline, func(x, y planPost) int {
		if c := cmp.Compare(x.at, y.at); c != 0 {
			return c
		}
		if c := cmp.Compare(threads[x.thread].id, threads[y.thread].id); c != 0 {
			return c
		}
		return cmp.Compare(x.number, y.number)
	})
	// Authors: a long tail (a few members write a lot, most a little).
	perm := r.Perm(len(members))
	zipf := mrand.NewZipf(r, 1.05, 10, uint64(len(members)-1)) //nolint:gosec // users ≥ 2
	for i := range timeline {
		p := &timeline[i]
		t := &threads[p.thread]
		var who int
		if p.number == 1 {
			who = perm[zipf.Uint64()]
			t.author = who
		} else if r.IntN(5) == 0 {
			who = t.author // the starter answers
		} else {
			who = perm[zipf.Uint64()]
		}
		p.author = int32(who) //nolint:gosec // users ≤ MaxUsers
		t.lastPoster = who
		t.end = p.at // the timeline is in time order: the last one stays
		members[who].posts++
		members[who].lastPost = p.at
	}
	logf("planned %d threads (%d big: %v posts) and %d posts in %s", len(threads), nb, bigSizes(o.Posts), len(timeline), time.Since(started).Round(time.Millisecond))

	// Bodies: a pool, each rendered once exactly as the forum would
	// (mentions resolved against real accounts).
	rendStart := time.Now()
	byKey := make(map[string]*userRow, len(users))
	for i := range users {
		byKey[users[i].key] = &users[i]
	}
	mentionable := members[:min(len(members), 300)]
	pool := make([]bodyDoc, o.Bodies)
	rnd := render.New()
	for i := range pool {
		var mention func() string
		if r.IntN(6) == 0 {
			mention = func() string { return mentionable[r.IntN(len(mentionable))].name }
		}
		d, err := renderBody(rnd, Body(r, BodyLength(r), mention), byKey)
		if err != nil {
			return nil, fmt.Errorf("loadgen: render body %d: %w", i, err)
		}
		pool[i] = d
	}
	logf("rendered %d distinct bodies in %s", len(pool), time.Since(rendStart).Round(time.Millisecond))

	// One connection for the whole load (on SQLite it is the only writer).
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer func() { _ = conn.Close() }()
	restore, err := fastMode(ctx, conn, pg, !o.KeepSync, a.Config.SQLiteSync)
	if err != nil {
		return nil, err
	}
	res := &BuildResult{}
	// Users with their final post counts, and their user.registered events.
	joined := ms(begin).Add(-30 * 24 * time.Hour)
	var eventID int64
	tokens := make([]string, 0, 1+o.Writers)
	err = inTx(ctx, conn, func(tx *sql.Tx) error {
		ub := newBulk(ctx, tx, pg, "users", 500, "id", "username", "username_key", "username_skeleton", "email", "email_key",
			"password_hash", "role", "bio", "post_count", "last_posted_at", "created_at", "updated_at")
		eb := newBulk(ctx, tx, pg, "events", 500, "id", "type", "scope", "actor_id", "subject", "payload", "created_at")
		tb := newBulk(ctx, tx, pg, "api_tokens", 100, "token_hash", "user_id", "name", "created_at")
		tb.before = ub // foreign key
		for i := range users {
			u := &users[i]
			var last any
			if u.lastPost > 0 {
				last = ms(u.lastPost)
			}
			email := u.key + "@load.example"
			if err := ub.add(u.id, u.name, u.key, auth.UsernameSkeleton(u.key), email, email, hash, string(u.role), "",
				u.posts, last, joined, joined); err != nil {
				return err
			}
			payload, _ := json.Marshal(map[string]any{"user_id": u.id, "username": u.name, "role": u.role})
			eventID++
			if err := eb.add(eventID, "user.registered", store.ScopeStaff, nil, "user:"+strconv.FormatInt(u.id, 10), string(payload), joined); err != nil {
				return err
			}
			if u.role != auth.RoleMember {
				raw := auth.TokenPrefix + randomToken()
				sum := sha256.Sum256([]byte(raw))
				tokens = append(tokens, raw)
				if err := tb.add(hex.EncodeToString(sum[:]), u.id, "parley-load", time.Now().UTC()); err != nil {
					return err
				}
			}
		}
		for _, b := range []*bulk{ub, eb, tb} {
			if err := b.flush(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if pg {
		if err := fixSequences(ctx, conn, "users", "events", "api_tokens"); err != nil {
			return nil, err
		}
	}
	res.Users = int64(len(users))

	// Forums through the service (their events and defaults are the app's own);
	// the connection goes back to the pool meanwhile.
	if err := conn.Close(); err != nil {
		return nil, err
	}
	admin := &auth.Viewer{ID: users[0].id, Username: users[0].name, Role: auth.RoleAdmin, CreatedAt: joined}
	forumIDs := make([]int64, len(specs))
	for i, s := range specs {
		f, err := a.Forum.CreateForum(ctx, admin, forum.ForumInput{Name: s.name, Slug: s.slug, Description: s.desc, Visibility: s.vis, Position: i})
		if err != nil {
			return nil, fmt.Errorf("loadgen: create forum %s: %w", s.slug, err)
		}
		forumIDs[i] = f.ID
	}
	res.Forums = int64(len(specs))
	if conn, err = db.Conn(ctx); err != nil {
		return nil, err
	}
	defer func() { _ = conn.Close() }()
	if err := conn.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM events").Scan(&eventID); err != nil {
		return nil, err
	}
	scopes := make([]string, len(specs))
	for i := range specs {
		scopes[i] = store.ForumScope(forumIDs[i])
	}

	// Threads, already with their final counters.
	err = inTx(ctx, conn, func(tx *sql.Tx) error {
		b := newBulk(ctx, tx, pg, "threads", 1000, "id", "forum_id", "user_id", "title", "pinned", "locked", "last_number",
			"reply_count", "last_posted_at", "last_poster_id", "created_at", "updated_at")
		for _, i := range order {
			t := &threads[i]
			last := ms(t.end)
			if err := b.add(t.id, forumIDs[t.forum], members[t.author].id, t.title, t.pinned, t.locked, t.size, t.size-1,
				last, members[t.lastPoster].id, ms(t.start), last); err != nil {
				return err
			}
		}
		return b.flush()
	})
	if err != nil {
		return nil, err
	}
	res.Threads = int64(len(threads))
	// Manifest samples.
	m := &Manifest{Version: 1, Seed: o.Seed, BuiltAt: time.Now().UTC(), Password: Password, ThreadSample: map[string][]ThreadRef{}}
	for _, u := range users[:firstMember] {
		m.TokenUsers = append(m.TokenUsers, u.name)
	}
	samples := map[string]*reservoir[ThreadRef]{}
	replies := &reservoir[int64]{max: 2000}
	var biggest int
	for _, i := range order {
		t := &threads[i]
		if specs[t.forum].vis != forum.VisPublic {
			continue
		}
		c := classOf(t)
		if samples[c] == nil {
			samples[c] = &reservoir[ThreadRef]{max: 5000}
		}
		samples[c].add(r, ThreadRef{ID: t.id, Posts: t.size, Pages: pagesOf(t.size), Forum: specs[t.forum].slug})
		if !t.locked {
			replies.add(r, t.id)
		}
		biggest = max(biggest, t.size)
	}
	for c, s := range samples {
		slices.SortFunc(s.items, func(x, y ThreadRef) int { return cmp.Compare(x.ID, y.ID) })
		m.ThreadSample[c] = s.items
	}
	m.ReplyThreads = replies.items
	m.DeepFrom = 100
	if big := m.ThreadSample[ClassBig]; len(big) > 0 {
		minPages := big[0].Pages
		for _, b := range big {
			minPages = min(minPages, b.Pages)
		}
		m.DeepFrom = min(100, max(1, minPages/2))
	}

	// Posts, in time order, with their events, reactions and mentions.
	kinds := forum.ReactionKinds()
	reactPosts := &reservoir[int64]{max: 5000}
	type fstat struct {
		threads, posts int64
		last           int64
	}
	fstats := make([]fstat, len(specs))
	for i := range threads {
		fs := &fstats[threads[i].forum]
		fs.threads++
		fs.posts += int64(threads[i].size)
		fs.last = max(fs.last, threads[i].end)
	}
	const (
		minuteMs      = int64(time.Minute / time.Millisecond)
		twoDaysMs     = int64(48 * time.Hour / time.Millisecond)
		threadEvent   = "thread.created"
		postEvent     = "post.created"
		reactionEvent = "reaction.changed"
	)
	var (
		tx                    *sql.Tx
		pb, eb, rb, mb        *bulk // posts, events, reactions, mentions
		done                  int
		lastReport, loadStart = time.Now(), time.Now()
		payload               []byte
		reactors              []int
		reactedAt             []int64
		reactionKinds         []string
		nReactions, nMentions int64
		maxReactors           = min(60, len(members)-1)
	)
	beginTx := func() error { // a new transaction with its bulk writers
		var err error
		if tx, err = conn.BeginTx(ctx, nil); err != nil {
			return err
		}
		pb = newBulk(ctx, tx, pg, "posts", 250, "id", "thread_id", "number", "user_id", "body", "html", "like_count",
			"thanks_count", "insightful_count", "created_at", "updated_at")
		eb = newBulk(ctx, tx, pg, "events", 500, "id", "type", "scope", "actor_id", "subject", "payload", "created_at")
		rb = newBulk(ctx, tx, pg, "reactions", 1000, "post_id", "user_id", "kind", "created_at")
		mb = newBulk(ctx, tx, pg, "mentions", 1000, "post_id", "user_id")
		rb.before, mb.before = pb, pb
		return nil
	}
	commit := func() error {
		for _, b := range []*bulk{pb, eb, rb, mb} {
			if err := b.flush(); err != nil {
				_ = tx.Rollback()
				return err
			}
		}
		res.Posts += pb.total
		// History, not news: the notifier skips what this writes.
		if err := notify.MarkSeen(ctx, tx, pg, eventID); err != nil {
			_ = tx.Rollback()
			return err
		}
		return tx.Commit()
	}
	if err := beginTx(); err != nil {
		return nil, err
	}
	for i := range timeline {
		p := &timeline[i]
		t := &threads[p.thread]
		postID := int64(i + 1)
		author := &members[p.author]
		at := ms(p.at)
		fid := forumIDs[t.forum]
		d := &pool[r.IntN(len(pool))]
		// Reactions: about a third of posts, most with one to three, a few with dozens.
		reactors, reactedAt, reactionKinds = reactors[:0], reactedAt[:0], reactionKinds[:0]
		var counts [3]int
		if maxReactors > 0 && r.IntN(10) < 3 {
			k := 1 + int(r.ExpFloat64()*1.5)
			if r.IntN(100) == 0 {
				k = 10 + r.IntN(50)
			}
			k = min(k, maxReactors)
			for len(reactors) < k {
				who := r.IntN(len(members))
				if who == int(p.author) || slices.Contains(reactors, who) {
					continue
				}
				kind := 0
				switch x := r.IntN(20); {
				case x >= 18:
					kind = 2
				case x >= 13:
					kind = 1
				}
				counts[kind]++ //nolint:gosec // kind is 0, 1 or 2
				reactors = append(reactors, who)
				reactionKinds = append(reactionKinds, kinds[kind])
				reactedAt = append(reactedAt, min(end, p.at+minuteMs+r.Int64N(twoDaysMs)))
			}
		}
		if p.number == 1 {
			eventID++
			title, _ := json.Marshal(t.title)
			payload = append(payload[:0], `{"forum_id":`...)
			payload = strconv.AppendInt(payload, fid, 10)
			payload = append(payload, `,"thread_id":`...)
			payload = strconv.AppendInt(payload, t.id, 10)
			payload = append(payload, `,"title":`...)
			payload = append(payload, title...)
			payload = append(payload, '}')
			if err := eb.add(eventID, threadEvent, scopes[t.forum], author.id, "thread:"+strconv.FormatInt(t.id, 10), string(payload), at); err != nil {
				return nil, err
			}
		}
		if err := pb.add(postID, t.id, int(p.number), author.id, d.body, d.html, counts[0], counts[1], counts[2], at, at); err != nil {
			return nil, err
		}
		eventID++
		payload = append(payload[:0], `{"forum_id":`...)
		payload = strconv.AppendInt(payload, fid, 10)
		payload = append(payload, `,"mentions":`...)
		payload = append(payload, d.mentionsJS...)
		payload = append(payload, `,"number":`...)
		payload = strconv.AppendInt(payload, int64(p.number), 10)
		payload = append(payload, `,"post_id":`...)
		payload = strconv.AppendInt(payload, postID, 10)
		payload = append(payload, `,"thread_id":`...)
		payload = strconv.AppendInt(payload, t.id, 10)
		payload = append(payload, '}')
		postSubject := "post:" + strconv.FormatInt(postID, 10)
		if err := eb.add(eventID, postEvent, scopes[t.forum], author.id, postSubject, string(payload), at); err != nil {
			return nil, err
		}
		for _, uid := range d.mentions {
			if err := mb.add(postID, uid); err != nil {
				return nil, err
			}
			nMentions++
		}
		for j, who := range reactors {
			uid := members[who].id
			rat := ms(reactedAt[j])
			if err := rb.add(postID, uid, reactionKinds[j], rat); err != nil {
				return nil, err
			}
			eventID++
			payload = append(payload[:0], `{"author_id":`...)
			payload = strconv.AppendInt(payload, author.id, 10)
			payload = append(payload, `,"forum_id":`...)
			payload = strconv.AppendInt(payload, fid, 10)
			payload = append(payload, `,"from":"","post_id":`...)
			payload = strconv.AppendInt(payload, postID, 10)
			payload = append(payload, `,"thread_id":`...)
			payload = strconv.AppendInt(payload, t.id, 10)
			payload = append(payload, `,"to":"`...)
			payload = append(payload, reactionKinds[j]...)
			payload = append(payload, `","user_id":`...)
			payload = strconv.AppendInt(payload, uid, 10)
			payload = append(payload, '}')
			if err := eb.add(eventID, reactionEvent, scopes[t.forum], uid, postSubject, string(payload), rat); err != nil {
				return nil, err
			}
		}
		nReactions += int64(len(reactors))
		if specs[t.forum].vis == forum.VisPublic {
			reactPosts.add(r, postID)
		}
		done++
		if done%o.PostsPerTx == 0 || done == len(timeline) {
			if err := commit(); err != nil {
				return nil, err
			}
			if done < len(timeline) {
				if err := beginTx(); err != nil {
					return nil, err
				}
			}
		}
		if o.Progress != nil && (time.Since(lastReport) >= o.ProgressEvery || done == len(timeline)) {
			lastReport = time.Now()
			el := time.Since(loadStart).Seconds()
			logf("posts %9d / %d (%3.0f%%)  %8.0f posts/s  %6.1fs", done, len(timeline), 100*float64(done)/float64(len(timeline)), float64(done)/el, el)
		}
	}
	res.Reactions, res.Mentions = nReactions, nMentions
	m.ReactionPosts = reactPosts.items

	// Forum counters.
	err = inTx(ctx, conn, func(tx *sql.Tx) error {
		for i := range specs {
			var last any
			if fstats[i].last > 0 {
				last = ms(fstats[i].last)
			}
			if _, err := tx.ExecContext(ctx, rebind(pg, "UPDATE forums SET thread_count = ?, post_count = ?, last_posted_at = ? WHERE id = ?"),
				fstats[i].threads, fstats[i].posts, last, forumIDs[i]); err != nil {
				return err
			}
			m.Forums = append(m.Forums, ForumRef{ID: forumIDs[i], Slug: specs[i].slug, Name: specs[i].name, Visibility: specs[i].vis,
				Threads: fstats[i].threads, Posts: fstats[i].posts, Pages: pagesOf(int(fstats[i].threads))})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if pg {
		if err := fixSequences(ctx, conn, "threads", "posts", "events"); err != nil {
			return nil, err
		}
	}
	if err := restore(conn); err != nil {
		return nil, err
	}
	if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM events").Scan(&res.Events); err != nil {
		return nil, err
	}
	res.BigThreads, res.BiggestThread = int64(nb), int64(biggest)
	m.Users, m.Threads, m.Posts, m.Reactions, m.Events = res.Users, res.Threads, res.Posts, res.Reactions, res.Events
	res.Manifest = m
	if err := m.Save(a.Config.DataDir); err != nil {
		return nil, err
	}
	if err := saveTokens(a.Config.DataDir, tokens); err != nil {
		return nil, err
	}
	res.Took = time.Since(started)
	return res, nil
}

// renderBody renders a body like forum.prepare does: mentions of existing
// accounts become links and are recorded, in order of first appearance.
func renderBody(rnd *render.Renderer, body string, byKey map[string]*userRow) (bodyDoc, error) {
	keyOf := map[string]string{}
	for _, n := range render.Mentions(body) {
		if _, k, err := auth.NormalizeUsername(n); err == nil {
			keyOf[n] = k
		}
	}
	d := bodyDoc{body: body}
	seen := map[int64]bool{}
	html, err := rnd.Render(body, func(name string) (string, bool) {
		u, ok := byKey[keyOf[name]]
		if !ok {
			return "", false
		}
		if !seen[u.id] {
			seen[u.id] = true
			d.mentions = append(d.mentions, u.id)
		}
		return u.name, true
	})
	if err != nil {
		return d, err
	}
	d.html = html
	js, _ := json.Marshal(d.mentions) // nil marshals to null, as in the service
	d.mentionsJS = string(js)
	return d, nil
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func inTx(ctx context.Context, conn *sql.Conn, fn func(*sql.Tx) error) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// rebind turns ? placeholders into PostgreSQL's $n.
func rebind(pg bool, q string) string {
	if !pg {
		return q
	}
	out := make([]byte, 0, len(q)+8)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			out = append(out, '$')
			out = strconv.AppendInt(out, int64(n), 10)
			continue
		}
		out = append(out, q[i])
	}
	return string(out)
}

// fixSequences moves PostgreSQL identity sequences past the ids written
// explicitly, so the app's next insert does not collide.
func fixSequences(ctx context.Context, conn *sql.Conn, tables ...string) error {
	for _, t := range tables {
		// t is one of our own table names, never input.
		q := fmt.Sprintf("SELECT setval(pg_get_serial_sequence('%s', 'id'), GREATEST((SELECT MAX(id) FROM %s), 1))", t, t) //nolint:gosec // see above
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("loadgen: sequence of %s: %w", t, err)
		}
	}
	return nil
}

// fastMode trades durability for speed during the load, on this connection
// only, and returns the function that restores the normal settings.
//
// SQLite: synchronous=OFF skips the fsyncs of each commit and checkpoint (a
// crash during the build can corrupt the half-built file: delete it and
// build again; nothing else uses it yet), and a 512 MB page cache keeps the
// (thread_id, number) and (user_id, id) indexes in memory while rows arrive
// in time order. Afterwards: the configured synchronous mode, the default
// cache, and a checkpoint that moves the WAL into the database file.
// PostgreSQL: synchronous_commit=off for the session.
func fastMode(ctx context.Context, conn *sql.Conn, pg, fast bool, sync string) (func(*sql.Conn) error, error) {
	if pg {
		if fast {
			if _, err := conn.ExecContext(ctx, "SET synchronous_commit = off"); err != nil {
				return nil, err
			}
		}
		return func(conn *sql.Conn) error {
			_, err := conn.ExecContext(ctx, "RESET synchronous_commit")
			return err
		}, nil
	}
	if sync == "" {
		sync = "FULL"
	}
	pragmas := []string{"PRAGMA cache_size = -524288", "PRAGMA temp_store = MEMORY"}
	if fast {
		pragmas = append(pragmas, "PRAGMA synchronous = OFF")
	}
	for _, p := range pragmas {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			return nil, fmt.Errorf("loadgen: %s: %w", p, err)
		}
	}
	return func(conn *sql.Conn) error {
		// The big page cache stays until the connection closes: shrinking it
		// frees every page one by one (seconds per 100 MB with this driver).
		for _, p := range []string{"PRAGMA synchronous = " + sync, "PRAGMA temp_store = DEFAULT", "PRAGMA wal_checkpoint(TRUNCATE)"} {
			if _, err := conn.ExecContext(ctx, p); err != nil {
				return fmt.Errorf("loadgen: %s: %w", p, err)
			}
		}
		return nil
	}, nil
}
