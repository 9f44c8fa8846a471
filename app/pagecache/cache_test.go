package pagecache

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"parley/app/store"
)

var testPacker = NewPacker(1, 32)

func entry(body string, tags ...string) *Entry {
	p, err := testPacker.Pack([][]byte{[]byte(body)})
	if err != nil {
		panic(err)
	}
	return &Entry{Status: 200, ContentType: "text/html", Body: p, Tags: tags}
}

func plain(t *testing.T, e *Entry) string {
	t.Helper()
	var b bytes.Buffer
	if err := e.Body.WritePlain(&b, nil); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestGetPutAndTTL(t *testing.T) {
	now := time.Unix(1000, 0)
	c := New(Options{TTL: 5 * time.Second, Now: func() time.Time { return now }}, nil)
	if _, ok := c.Get("/t/1"); ok {
		t.Fatal("empty cache returned an entry")
	}
	if !c.Put("/t/1", entry("page one", ThreadTag(1)), c.Snapshot()) {
		t.Fatal("put refused on an idle cache")
	}
	e, ok := c.Get("/t/1")
	if !ok || plain(t, e) != "page one" {
		t.Fatalf("get = %v, %v", e, ok)
	}
	now = now.Add(5 * time.Second)
	if _, ok := c.Get("/t/1"); ok {
		t.Fatal("entry outlived its TTL")
	}
	if st := c.Stats(); st.Entries != 0 || st.Bytes != 0 || st.Hits != 1 || st.Misses != 2 {
		t.Fatalf("stats after expiry = %+v", st)
	}
}

func TestPutWithoutTagsIsRefused(t *testing.T) {
	c := New(Options{}, nil)
	if c.Put("/x", entry("x"), c.Snapshot()) {
		t.Fatal("an untagged entry could never be invalidated, yet it was stored")
	}
}

// A response rendered from a read that raced a write must not be stored:
// the write's invalidation happened after the snapshot.
func TestPutRefusedAfterInvalidationSinceSnapshot(t *testing.T) {
	c := New(Options{}, nil)
	snap := c.Snapshot()
	c.Invalidate(ThreadTag(7))
	if c.Put("/t/7", entry("old", ThreadTag(7)), snap) {
		t.Fatal("stale page stored after its thread changed")
	}
	other, seven := ThreadTag(8), ThreadTag(7)
	if c.bucket(other) != c.bucket(seven) { // a shared bucket would refuse it too, by design
		if !c.Put("/t/8", entry("fine", other), snap) {
			t.Fatal("unrelated thread refused")
		}
	}
	if !c.Put("/t/7", entry("new", ThreadTag(7)), c.Snapshot()) {
		t.Fatal("fresh page refused")
	}
	snap = c.Snapshot()
	c.Flush()
	if c.Put("/t/9", entry("x", ThreadTag(9)), snap) {
		t.Fatal("stored across a flush")
	}
}

func TestInvalidateDropsOnlyTagged(t *testing.T) {
	c := New(Options{}, nil)
	c.Put("/t/1", entry("a", ThreadTag(1), ForumTag(1)), c.Snapshot())
	c.Put("/t/2", entry("b", ThreadTag(2), ForumTag(1)), c.Snapshot())
	c.Put("/f/x", entry("c", ForumTag(1)), c.Snapshot())
	c.Put("/", entry("d", HomeTag), c.Snapshot())
	c.Invalidate(ThreadTag(1))
	if _, ok := c.Get("/t/1"); ok {
		t.Fatal("invalidated entry still served")
	}
	for _, k := range []string{"/t/2", "/f/x", "/"} {
		if _, ok := c.Get(k); !ok {
			t.Fatalf("%s dropped by another thread's change", k)
		}
	}
	c.Invalidate(ForumTag(1))
	if st := c.Stats(); st.Entries != 1 {
		t.Fatalf("after forum invalidation %d entries left, want only home", st.Entries)
	}
}

func TestEvictsLeastRecentlyUsedToStayInBudget(t *testing.T) {
	c := New(Options{MaxBytes: 8000}, nil)
	for i := range 20 {
		c.Put(string(rune('a'+i)), entry(randomText(900, uint64(i)), HomeTag), c.Snapshot())
		c.Get("a") // keep the first one hot
	}
	st := c.Stats()
	if st.Bytes > 8000 || st.Evictions == 0 {
		t.Fatalf("budget not kept: %+v", st)
	}
	if _, ok := c.Get("a"); !ok {
		t.Fatal("the most recently used entry was evicted")
	}
	if c.Put("big", entry(randomText(2000, 99), HomeTag), c.Snapshot()) {
		t.Fatal("an entry over an eighth of the budget was stored")
	}
}

func TestSplitKeepsBytesAroundPlaceholder(t *testing.T) {
	parts := Split([]byte(`<script nonce="PH">x</script><style nonce="PH">`), []byte("PH"))
	if len(parts) != 3 || !bytes.Equal(bytes.Join(parts, []byte("n1")), []byte(`<script nonce="n1">x</script><style nonce="n1">`)) {
		t.Fatalf("split = %q", parts)
	}
}

func TestTagsOf(t *testing.T) {
	cases := []struct {
		ev   store.Event
		tags []string
		all  bool
	}{
		{store.Event{Type: "post.created", Payload: `{"post_id":3,"thread_id":5,"forum_id":2}`}, []string{"thread:5", "forum:2", "home"}, false},
		{store.Event{Type: "reaction.changed", Payload: `{"thread_id":5,"forum_id":2}`}, []string{"thread:5", "forum:2", "home"}, false},
		{store.Event{Type: "thread.updated", Payload: `{"thread_id":6,"forum_id":2,"locked":true}`}, []string{"thread:6", "forum:2", "home"}, false},
		{store.Event{Type: "post.created", Payload: `{"post_id":3}`}, nil, true}, // cannot tell: everything
		{store.Event{Type: "forum.updated", Payload: `{"forum_id":2}`}, nil, true},
		{store.Event{Type: "user.updated", Payload: `{}`}, nil, true},
		{store.Event{Type: "site.updated", Payload: `{}`}, nil, true},
		{store.Event{Type: "something.new", Payload: `{}`}, nil, true},
		{store.Event{Type: "user.registered", Payload: `{}`}, nil, false},
		{store.Event{Type: "notification.created", Payload: `{"id":1,"post_id":3,"thread_id":5}`}, nil, false},
		{store.Event{Type: "notification.read", Payload: `{"all":true}`}, nil, false},
		// The review queue is busy; it must not empty the cache each time.
		{store.Event{Type: "review.created", Scope: store.ScopeStaff, Payload: `{"item_id":1,"thread_id":5,"forum_id":2}`}, nil, false},
		{store.Event{Type: "site.moderation_updated", Scope: store.ScopeStaff, Payload: `{"flag_threshold":3}`}, nil, false},
		{store.Event{Type: "post.hidden", Scope: "forum:2", Payload: `{"post_id":3,"thread_id":5,"forum_id":2}`}, []string{"thread:5", "forum:2", "home"}, false},
	}
	for _, tc := range cases {
		tags, all := TagsOf(tc.ev)
		if all != tc.all || strings.Join(tags, ",") != strings.Join(tc.tags, ",") {
			t.Errorf("%s %s: tags %v all %v, want %v %v", tc.ev.Type, tc.ev.Payload, tags, all, tc.tags, tc.all)
		}
	}
}

// The Follower against a real SQLite event log: a committed post event
// drops its thread's pages, and the cache reports itself stale from the
// commit until the event is applied.
func TestFollowerAppliesCommittedEvents(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := store.Open(ctx, store.Options{SQLitePath: filepath.Join(t.TempDir(), "p.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	c := New(Options{}, st.Commits().Seq)
	done := make(chan struct{})
	go func() { c.Follow(ctx, st, slog.New(slog.NewTextHandler(io.Discard, nil))); close(done) }()
	waitFor(t, "follower start", c.Fresh)

	c.Put("/t/5", entry("five", ThreadTag(5)), c.Snapshot())
	c.Put("/t/6", entry("six", ThreadTag(6)), c.Snapshot())
	emit := func(typ, payload string) {
		t.Helper()
		err := st.Tx(ctx, func(tx *gorm.DB) error {
			_, err := store.Emit(tx, typ, store.ScopePublic, 0, "x", rawJSON(payload))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	emit("post.created", `{"thread_id":5,"forum_id":1}`)
	waitFor(t, "post event applied", func() bool { _, ok := c.Get("/t/5"); return !ok && c.Fresh() })
	if _, ok := c.Get("/t/6"); !ok {
		t.Fatalf("another thread's page was dropped: %+v", c.Stats())
	}
	emit("site.updated", `{}`)
	waitFor(t, "site event flushes", func() bool { return c.Stats().Entries == 0 && c.Fresh() })

	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Follow did not return after cancel")
	}
}

// A commit the Follower has not applied makes the cache stale at once.
func TestFreshTracksCommitSequence(t *testing.T) {
	var head uint64 = 3
	c := New(Options{}, func() uint64 { return head })
	if c.Fresh() {
		t.Fatal("fresh before the follower caught up")
	}
	c.caughtUp(3)
	if !c.Fresh() {
		t.Fatal("not fresh after catching up")
	}
	head = 4
	if c.Fresh() {
		t.Fatal("fresh although a newer commit exists")
	}
}

type rawJSON string

func (r rawJSON) MarshalJSON() ([]byte, error) { return []byte(r), nil }

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// randomText does not compress, so its packed size is about n.
func randomText(n int, seed uint64) string {
	r := rand.New(rand.NewPCG(seed, 7))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + r.IntN(26))
	}
	return string(b)
}
