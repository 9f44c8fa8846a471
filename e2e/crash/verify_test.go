package crash

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	_ "github.com/glebarez/sqlite" // registers the "sqlite" driver the app uses
)

// report collects failures and prints at most a few of each kind.
type report struct {
	t      *testing.T
	counts map[string]int
}

func (r *report) fail(kind, format string, args ...any) {
	r.t.Helper()
	r.counts[kind]++
	if r.counts[kind] <= 10 {
		r.t.Errorf("%s: %s", kind, fmt.Sprintf(format, args...))
	}
}

func (r *report) summary() {
	for kind, n := range r.counts {
		if n > 10 {
			r.t.Errorf("%s: %d failures in all (first 10 shown)", kind, n)
		}
	}
}

type postRow struct {
	id, threadID, userID int64
	number               int
	body                 string
}

// verifyDatabase opens the stopped server's SQLite file and checks it
// against what the clients were told.
func verifyDatabase(t *testing.T, path string, writers []*writer, acks []ack) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r := &report{t: t, counts: map[string]int{}}
	defer r.summary()

	// 2. The file is sound.
	var checks []string
	rows, err := db.Query("PRAGMA integrity_check")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		checks = append(checks, s)
	}
	closeRows(t, rows)
	if len(checks) != 1 || checks[0] != "ok" {
		r.fail("integrity_check", "%q", checks)
	}
	rows, err = db.Query("PRAGMA foreign_key_check")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fkid int64
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			t.Fatal(err)
		}
		r.fail("foreign_key_check", "%s row %v refers to a missing %s (constraint %d)", table, rowid, parent, fkid)
	}
	closeRows(t, rows)

	// 1. Every acknowledged reply is there exactly once, with its body.
	posts := map[int64]postRow{}
	bodies := map[string][]int64{}
	rows, err = db.Query("SELECT id, thread_id, user_id, number, body FROM posts ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var p postRow
		if err := rows.Scan(&p.id, &p.threadID, &p.userID, &p.number, &p.body); err != nil {
			t.Fatal(err)
		}
		posts[p.id] = p
		bodies[p.body] = append(bodies[p.body], p.id)
	}
	closeRows(t, rows)
	ackedIDs := map[int64]ack{}
	for _, a := range acks {
		if prev, dup := ackedIDs[a.postID]; dup {
			r.fail("one post acknowledged for two keys", "post %d answered for key %s and key %s", a.postID, prev.key, a.key)
		}
		ackedIDs[a.postID] = a
		p, ok := posts[a.postID]
		switch {
		case !ok:
			r.fail("acknowledged post missing", "post %d (key %s, replayed %v, %d sends, %d lost answers) is not in the database; posts with its body: %v",
				a.postID, a.key, a.replayed, a.sends, a.lost, bodies[a.body])
		case p.body != a.body || p.threadID != a.threadID || p.userID != a.userID || p.number != a.number:
			r.fail("acknowledged post changed", "post %d is thread %d #%d by user %d %q; acknowledged as thread %d #%d by user %d %q",
				p.id, p.threadID, p.number, p.userID, p.body, a.threadID, a.number, a.userID, a.body)
		}
		if n := len(bodies[a.body]); n != 1 {
			r.fail("acknowledged body not stored exactly once", "key %s (replayed %v, %d sends, %d lost answers): body stored %d times, posts %v",
				a.key, a.replayed, a.sends, a.lost, n, bodies[a.body])
		}
	}
	// Every intended reply was retried until acknowledged, so every post is
	// either a thread's opening post or an acknowledged reply.
	for id, p := range posts {
		if _, ok := ackedIDs[id]; !ok && p.number != 1 {
			r.fail("post nobody was told about", "post %d (thread %d #%d by user %d) %q", id, p.threadID, p.number, p.userID, p.body)
		}
	}

	// The key table maps each acknowledged key to its post.
	keyPost := map[string]int64{}
	rows, err = db.Query("SELECT user_id, idem_key, post_id FROM idempotency_keys")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var uid, pid int64
		var key string
		if err := rows.Scan(&uid, &key, &pid); err != nil {
			t.Fatal(err)
		}
		keyPost[strconv.FormatInt(uid, 10)+" "+key] = pid
	}
	closeRows(t, rows)
	for _, a := range acks {
		if pid, ok := keyPost[strconv.FormatInt(a.userID, 10)+" "+a.key]; !ok || pid != a.postID {
			r.fail("idempotency key", "key %s of user %d: stored post %d (present %v), acknowledged post %d", a.key, a.userID, pid, ok, a.postID)
		}
	}
	if len(keyPost) != len(acks) {
		r.fail("idempotency key", "%d keys stored, %d replies acknowledged", len(keyPost), len(acks))
	}

	// 3. The event log: one post.created per post, one thread.created per
	// thread, one user.registered per user, and nothing about rows that
	// do not exist.
	threads := map[int64]struct{ forumID, lastNumber, replyCount int64 }{}
	rows, err = db.Query("SELECT id, forum_id, last_number, reply_count FROM threads")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var th struct{ forumID, lastNumber, replyCount int64 }
		if err := rows.Scan(&id, &th.forumID, &th.lastNumber, &th.replyCount); err != nil {
			t.Fatal(err)
		}
		threads[id] = th
	}
	closeRows(t, rows)
	users := map[int64]int64{} // id -> post_count
	rows, err = db.Query("SELECT id, post_count FROM users")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		users[id] = n
	}
	closeRows(t, rows)

	postEvents := map[int64]int{}
	threadEvents := map[int64]int{}
	userEvents := map[int64]int{}
	rows, err = db.Query("SELECT id, type, subject, payload FROM events WHERE type IN ('post.created', 'thread.created', 'user.registered') ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var typ, subject, payload string
		if err := rows.Scan(&id, &typ, &subject, &payload); err != nil {
			t.Fatal(err)
		}
		var pl struct {
			PostID   int64 `json:"post_id"`
			ThreadID int64 `json:"thread_id"`
			Number   int   `json:"number"`
		}
		if err := json.Unmarshal([]byte(payload), &pl); err != nil {
			r.fail("event payload", "event %d (%s): %v: %s", id, typ, err, payload)
			continue
		}
		kind, idText, _ := strings.Cut(subject, ":")
		subj, _ := strconv.ParseInt(idText, 10, 64)
		switch typ {
		case "post.created":
			if kind != "post" || subj != pl.PostID {
				r.fail("event subject", "event %d: subject %q, payload post_id %d", id, subject, pl.PostID)
			}
			postEvents[subj]++
			p, ok := posts[subj]
			if !ok {
				r.fail("event for a missing post", "event %d: post.created for post %d, which does not exist", id, subj)
			} else if p.threadID != pl.ThreadID || p.number != pl.Number {
				r.fail("event payload", "event %d: post %d is thread %d #%d, the event says thread %d #%d", id, subj, p.threadID, p.number, pl.ThreadID, pl.Number)
			}
		case "thread.created":
			if kind != "thread" || subj != pl.ThreadID {
				r.fail("event subject", "event %d: subject %q, payload thread_id %d", id, subject, pl.ThreadID)
			}
			threadEvents[subj]++
			if _, ok := threads[subj]; !ok {
				r.fail("event for a missing thread", "event %d: thread.created for thread %d, which does not exist", id, subj)
			}
		case "user.registered":
			userEvents[subj]++
			if _, ok := users[subj]; kind != "user" || !ok {
				r.fail("event for a missing user", "event %d: user.registered with subject %q", id, subject)
			}
		}
	}
	closeRows(t, rows)
	for id := range posts {
		if n := postEvents[id]; n != 1 {
			r.fail("post.created events", "post %d has %d post.created events, want 1", id, n)
		}
	}
	for id := range threads {
		if n := threadEvents[id]; n != 1 {
			r.fail("thread.created events", "thread %d has %d thread.created events, want 1", id, n)
		}
	}
	for id := range users {
		if n := userEvents[id]; n != 1 {
			r.fail("user.registered events", "user %d has %d user.registered events, want 1", id, n)
		}
	}
	for id, n := range postEvents {
		if n > 1 {
			if _, ok := posts[id]; !ok {
				r.fail("post.created events", "missing post %d has %d post.created events", id, n)
			}
		}
	}

	// 4. Numbers and counters.
	numbers := map[int64][]int{}
	perUser := map[int64]int64{}
	perForum := map[int64]int64{}
	for _, p := range posts {
		numbers[p.threadID] = append(numbers[p.threadID], p.number)
		perUser[p.userID]++
		perForum[threads[p.threadID].forumID]++
	}
	for id, th := range threads {
		seen := map[int]int{}
		for _, n := range numbers[id] {
			seen[n]++
		}
		for n := 1; n <= int(th.lastNumber); n++ {
			if seen[n] != 1 {
				r.fail("post numbers", "thread %d: number %d used %d times (last_number %d)", id, n, seen[n], th.lastNumber)
			}
		}
		if int64(len(numbers[id])) != th.lastNumber {
			r.fail("post numbers", "thread %d has %d posts, last_number %d", id, len(numbers[id]), th.lastNumber)
		}
		if th.replyCount != th.lastNumber-1 {
			r.fail("thread counters", "thread %d: reply_count %d, last_number %d", id, th.replyCount, th.lastNumber)
		}
	}
	for id, n := range users {
		if n != perUser[id] {
			r.fail("users.post_count", "user %d: post_count %d, %d posts", id, n, perUser[id])
		}
	}
	rows, err = db.Query("SELECT id, thread_count, post_count FROM forums")
	if err != nil {
		t.Fatal(err)
	}
	perForumThreads := map[int64]int64{}
	for _, th := range threads {
		perForumThreads[th.forumID]++
	}
	for rows.Next() {
		var id, tc, pc int64
		if err := rows.Scan(&id, &tc, &pc); err != nil {
			t.Fatal(err)
		}
		if tc != perForumThreads[id] || pc != perForum[id] {
			r.fail("forum counters", "forum %d: thread_count %d post_count %d; rows: %d threads, %d posts", id, tc, pc, perForumThreads[id], perForum[id])
		}
	}
	closeRows(t, rows)

	// Each writer's thread holds its opening post and its acknowledged replies.
	perThreadAcks := map[int64]int{}
	for _, a := range acks {
		perThreadAcks[a.threadID]++
	}
	for _, w := range writers {
		if got, want := len(numbers[w.threadID]), 1+perThreadAcks[w.threadID]; got != want {
			r.fail("thread contents", "%s's thread %d holds %d posts, want 1 + %d acknowledged", w.name, w.threadID, got, perThreadAcks[w.threadID])
		}
	}
	t.Logf("database: %d posts in %d threads, %d events checked, integrity_check %q", len(posts), len(threads),
		sum(postEvents)+sum(threadEvents)+sum(userEvents), checks)
}

func sum(m map[int64]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func closeRows(t *testing.T, rows *sql.Rows) {
	t.Helper()
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
}
