package search_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"parley/app/apptest"
	"parley/app/search"
)

// These tests run a Service of their own beside the app's, on its own
// folder, with small chunks and hooks into its rebuild; the database is
// the app's real one.

type logWriter struct{ t testing.TB }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// newService builds (but does not start) a Service on a fresh folder that
// rebuilds chunk posts at a time.
func newService(t *testing.T, a *apptest.App, chunk int) *search.Service {
	t.Helper()
	s, err := search.New(a.Store, a.Forum, a.Auth, search.Options{
		Dir: t.TempDir(), Chunk: chunk, PollEvery: 20 * time.Millisecond,
		Log: slog.New(slog.NewTextHandler(logWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close) // before the app's cleanup closes the database
	return s
}

// caughtUp waits until s has applied the whole log and is not rebuilding.
func caughtUp(t *testing.T, a *apptest.App, s *search.Service) {
	t.Helper()
	last, err := a.Store.LastEventID(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	apptest.Eventually(t, fmt.Sprintf("the index at event %d", last), 10*time.Second, func() bool {
		return s.Position() >= last && !s.Rebuilding()
	})
}

// visiblePosts reads, sorted, the ids of the posts the index must hold:
// neither the post nor its thread deleted.
func visiblePosts(t *testing.T, a *apptest.App) []int64 {
	t.Helper()
	var ids []int64
	err := a.Store.R.Raw(`SELECT p.id FROM posts p JOIN threads t ON t.id = p.thread_id
		WHERE p.deleted_at IS NULL AND t.deleted_at IS NULL ORDER BY p.id`).Scan(&ids).Error
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func indexedIDs(t *testing.T, s *search.Service) []int64 {
	t.Helper()
	ids, err := search.IndexedIDs(s)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func matching(t *testing.T, s *search.Service, text string) []int64 {
	t.Helper()
	ids, err := search.Matching(s, text)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// parley reindex on a missing index: start-up begins a build, and the
// Reindex call joins it instead of running a second one after it.
func TestReindexOnMissingIndexBuildsOnce(t *testing.T) {
	c := newCommunity(t)
	th := c.thread(c.anna, "general", "Fox tracks", "Fox tracks in the snow.")
	for i := range 4 {
		c.reply(c.anna, th.Thread.ID, fmt.Sprintf("Fox number %d.", i))
	}
	want := visiblePosts(t, c.a)

	s := newService(t, c.a, 2)
	// Hold the start-up build after its first chunk until the call below
	// waits, so it arrives mid-build however the goroutines are scheduled.
	var once sync.Once
	search.OnChunk(s, func() {
		once.Do(func() {
			deadline := time.Now().Add(10 * time.Second)
			for search.Waiting(s) == 0 {
				if time.Now().After(deadline) {
					t.Error("Reindex did not wait for the build under way")
					return
				}
				time.Sleep(time.Millisecond)
			}
		})
	})
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !s.Rebuilding() {
		t.Error("a missing index: not rebuilding after Start")
	}
	var last search.Progress
	reports := 0
	if err := s.Reindex(context.Background(), func(p search.Progress) { last, reports = p, reports+1 }); err != nil {
		t.Fatal(err)
	}
	caughtUp(t, c.a, s)
	st := s.Stats()
	if st.Builds != 1 || st.BuildDocs != int64(len(want)) {
		t.Errorf("builds %d writing %d posts; want 1 build of %d posts", st.Builds, st.BuildDocs, len(want))
	}
	if reports == 0 || last.Done != int64(len(want)) || last.Total != int64(len(want)) {
		t.Errorf("progress: %d reports, last %+v; want %d of %d", reports, last, len(want), len(want))
	}
	if got := indexedIDs(t, s); !slices.Equal(got, want) {
		t.Errorf("index holds %v, want %v", got, want)
	}

	// Asked for again with the index in place, it builds again, once.
	if err := s.Reindex(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if st := s.Stats(); st.Builds != 2 || st.BuildDocs != 2*int64(len(want)) {
		t.Errorf("after a second reindex: %+v", st)
	}
}

// pauser stops a rebuild after chunk number at (counted over the
// Service's life) and lets the test goroutine write before it goes on.
type pauser struct {
	ctx    context.Context
	chunks atomic.Int64
	at     atomic.Int64
	paused chan int64
	resume chan struct{}
}

func newPauser(t *testing.T) *pauser {
	return &pauser{ctx: t.Context(), paused: make(chan int64), resume: make(chan struct{})}
}

func (p *pauser) hook() {
	n := p.chunks.Add(1)
	if n != p.at.Load() {
		return
	}
	select {
	case p.paused <- n:
	case <-p.ctx.Done():
		return
	}
	select {
	case <-p.resume:
	case <-p.ctx.Done():
	}
}

// during runs write while the build stops after its next chunk.
func (p *pauser) during(t *testing.T, write func()) {
	t.Helper()
	p.at.Store(p.chunks.Load() + 1)
	select {
	case <-p.paused:
	case <-time.After(10 * time.Second):
		t.Fatal("the rebuild did not reach its next chunk")
	}
	write()
	p.resume <- struct{}{}
}

// Posts created, edited and deleted while a rebuild runs (after it read
// its log position, before and after the scan passed them) end up in the
// index as the database has them: the events after that position are
// applied after the swap.
func TestWritesDuringRebuild(t *testing.T) {
	c := newCommunity(t)
	// Each post carries a word of its own, the current one in text.
	text := map[int64]string{}
	var old []string // words of edited texts, found nowhere afterwards
	var threads []thread
	var posts []int64
	threadOf := map[int64]int64{}
	for i := range 3 {
		w := fmt.Sprintf("trail%dx", i)
		th := c.thread(c.anna, "general", fmt.Sprintf("Trail %d", i), "Opening "+w+".")
		threads, posts, text[th.Post.ID] = append(threads, th), append(posts, th.Post.ID), w
		threadOf[th.Post.ID] = th.Thread.ID
		for j := range 4 {
			w := fmt.Sprintf("step%dx%dx", i, j)
			id := c.reply(c.anna, th.Thread.ID, "Reply "+w+".")
			posts, text[id], threadOf[id] = append(posts, id), w, th.Thread.ID
		}
	}
	c.indexed()
	edit := func(id int64, w string) {
		c.anna.Must(http.StatusOK, "PATCH", fmt.Sprintf("/api/v1/posts/%d", id), map[string]string{"body": "Edited " + w + "."})
		old = append(old, text[id])
		text[id] = w
	}
	gone := func(id int64) {
		old = append(old, text[id])
		delete(text, id)
	}
	del := func(id int64) {
		c.anna.Must(http.StatusNoContent, "DELETE", fmt.Sprintf("/api/v1/posts/%d", id), nil)
		gone(id)
	}
	delThread := func(th thread) { // deleting the opening post deletes the thread
		c.anna.Must(http.StatusNoContent, "DELETE", fmt.Sprintf("/api/v1/posts/%d", th.Post.ID), nil)
		for id := range text {
			if threadOf[id] == th.Thread.ID {
				gone(id)
			}
		}
	}
	reply := func(th thread, w string) int64 {
		id := c.reply(c.anna, th.Thread.ID, "Late "+w+".")
		text[id], threadOf[id] = w, th.Thread.ID
		return id
	}

	s := newService(t, c.a, 3)
	p := newPauser(t)
	search.OnChunk(s, p.hook)
	check := func(when string) {
		t.Helper()
		caughtUp(t, c.a, s)
		if got, want := indexedIDs(t, s), visiblePosts(t, c.a); !slices.Equal(got, want) {
			t.Errorf("%s: index holds %v, the database %v", when, got, want)
		}
		for id, w := range text {
			if got := matching(t, s, w); !slices.Equal(got, []int64{id}) {
				t.Errorf("%s: %q finds %v, want post %d", when, w, got, id)
			}
		}
		for _, w := range old {
			if got := matching(t, s, w); len(got) > 0 {
				t.Errorf("%s: the replaced or deleted %q still finds %v", when, w, got)
			}
		}
	}

	// The start-up build of a missing index, stopped after each of its
	// first two chunks of three posts.
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	var late int64
	p.during(t, func() { // the scan has passed the first thread's posts 1-3
		edit(posts[1], "behind1x")  // scanned already
		del(posts[2])               // scanned already
		edit(posts[11], "ahead11x") // not scanned yet
		del(posts[12])              // not scanned yet
		late = reply(threads[0], "late0x")
	})
	p.during(t, func() { // the scan has passed posts 4-5 and the second thread's first
		delThread(threads[1])       // scanned in part
		edit(posts[11], "ahead11y") // edited twice while the scan ran
	})
	check("after the start-up build")

	// parley reindex with the index in place: the old index serves while
	// the new one is built, then the new one takes the writes made meanwhile.
	done := make(chan error, 1)
	go func() { done <- s.Reindex(context.Background(), nil) }()
	p.during(t, func() {
		edit(posts[1], "behind1y")
		del(late)
		reply(threads[2], "late2x")
		th := c.thread(c.anna, "kaffee", "Neuer Faden", "Ein neuer faden4x.")
		text[th.Post.ID] = "faden4x"
	})
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("reindex did not finish")
	}
	check("after reindex")
	if st := s.Stats(); st.Builds != 2 {
		t.Errorf("builds: %d, want 2", st.Builds)
	}
}
