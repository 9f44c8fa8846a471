package crash

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	// The analysers the index's mapping names, for opening it here.
	_ "github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/de"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/en"
	_ "github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	_ "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/search/query"
)

// The search index under SIGKILL: writers create, edit and delete posts
// while the real server is killed again and again, at least twice during a
// background rebuild (the search folder deleted, the server started, killed
// while it answers "rebuilding": true). Then the last generation catches
// up and is stopped, and the index on disk is compared with the SQLite
// file: its checkpoint covers every event it consumes, it holds exactly the
// visible posts, and every post is found by its current text and by no
// text it had before.

const (
	searchWriters      = 4
	searchSeedPosts    = 120 // per writer, before the kills: a rebuild then takes long enough to catch
	searchKills        = 8
	searchRebuildKills = 2
	searchChaos        = 10 * time.Second // kills stop after this, once every rebuild kill is done
)

// searchPost is what a writer knows of one of its replies; every change it
// asked for was acknowledged (it retries until it is), so this is also
// what the database must hold.
type searchPost struct {
	id      int64
	word    string   // the word its text carries now
	old     []string // words of texts it had before
	deleted bool
}

// searchWriter creates, edits and deletes replies in its own thread.
type searchWriter struct {
	name, token string
	threadID    int64
	letter      byte
	rng         *rand.Rand
	seq         int
	posts       []*searchPost
	problems    []string
	ops         map[string]int
	lost        int // answers lost to kills
}

func (w *searchWriter) problem(format string, args ...any) {
	w.problems = append(w.problems, w.name+": "+fmt.Sprintf(format, args...))
}

// word is a new word of this writer's, one token to every analyser.
func (w *searchWriter) word(kind string) string {
	w.seq++
	return fmt.Sprintf("%s%c%dq", kind, w.letter, w.seq)
}

var filler = strings.Fields(`the kettle is on and the tent is up by the river we walked along the ridge
until the light went and the stove would not start so we ate bread and cheese under the stars`)

func (w *searchWriter) text(lead, word string) string {
	return lead + " " + word + " from " + w.name + ": " + strings.Join(filler, " ")
}

// call sends one request until it is answered, waiting for the next
// server generation when the current one is killed. It returns the
// answer and whether an earlier send's answer was lost.
func (w *searchWriter) call(ctx context.Context, srv *server, c *http.Client, method, path, key string, body any) (int, []byte, bool, error) {
	payload, _ := json.Marshal(body)
	lost := false
	unexplained := 0
	for {
		base, gen, err := srv.waitUp(ctx)
		if err != nil {
			return 0, nil, lost, err
		}
		req, err := http.NewRequestWithContext(ctx, method, base+path, bytes.NewReader(payload))
		if err != nil {
			return 0, nil, lost, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+w.token)
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		resp, err := c.Do(req)
		var b []byte
		if err == nil {
			b, err = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		if err != nil {
			if ctx.Err() != nil {
				return 0, nil, lost, ctx.Err()
			}
			lost = true
			w.lost++
			if srv.isUp(gen) {
				unexplained++
				w.problem("%s %s: no answer from generation %d while it was supposed to be up: %v", method, path, gen, err)
				if unexplained > 5 {
					return 0, nil, lost, errors.New("too many unexplained failures")
				}
				time.Sleep(50 * time.Millisecond)
			}
			continue
		}
		return resp.StatusCode, b, lost, nil
	}
}

func (w *searchWriter) reply(ctx context.Context, srv *server, c *http.Client, seed uint64) error {
	word := w.word("sc")
	key := fmt.Sprintf("search-%d-%s-%s", seed, w.name, word)
	status, b, _, err := w.call(ctx, srv, c, "POST", fmt.Sprintf("/api/v1/threads/%d/posts", w.threadID), key,
		map[string]string{"body": w.text("Search crash reply", word)})
	if err != nil {
		return err
	}
	var p struct {
		ID int64 `json:"id"`
	}
	if ok := status == http.StatusCreated && json.Unmarshal(b, &p) == nil && p.ID > 0; !ok {
		w.problem("reply %s: answer %d: %.300s", word, status, b) // a problem of the run, not a reason to stop
		return nil
	}
	w.posts = append(w.posts, &searchPost{id: p.ID, word: word})
	w.ops["reply"]++
	return nil
}

// live picks one of the writer's replies that is not deleted.
func (w *searchWriter) live() *searchPost {
	var ps []*searchPost
	for _, p := range w.posts {
		if !p.deleted {
			ps = append(ps, p)
		}
	}
	if len(ps) < 5 {
		return nil
	}
	return ps[w.rng.IntN(len(ps))]
}

func (w *searchWriter) edit(ctx context.Context, srv *server, c *http.Client, p *searchPost) error {
	word := w.word("ed")
	status, b, _, err := w.call(ctx, srv, c, "PATCH", fmt.Sprintf("/api/v1/posts/%d", p.id), "",
		map[string]string{"body": w.text("Edited search crash reply", word)})
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		w.problem("edit post %d to %s: answer %d: %.300s", p.id, word, status, b)
		return nil
	}
	p.old, p.word = append(p.old, p.word), word
	w.ops["edit"]++
	return nil
}

func (w *searchWriter) remove(ctx context.Context, srv *server, c *http.Client, p *searchPost) error {
	status, b, lost, err := w.call(ctx, srv, c, "DELETE", fmt.Sprintf("/api/v1/posts/%d", p.id), "", nil)
	if err != nil {
		return err
	}
	// A 404 after a lost answer: the first delete had committed.
	if status != http.StatusNoContent && (status != http.StatusNotFound || !lost) {
		w.problem("delete post %d: answer %d: %.300s", p.id, status, b)
		return nil
	}
	p.deleted = true
	w.ops["delete"]++
	return nil
}

// run writes until stop is set: mostly replies, some edits and deletes.
// Every request is sent until it is answered, so nothing is left pending.
func (w *searchWriter) run(ctx context.Context, srv *server, c *http.Client, seed uint64, stop func() bool) {
	for !stop() {
		var err error
		switch r := w.rng.IntN(100); {
		case r < 25 && w.live() != nil:
			err = w.edit(ctx, srv, c, w.live())
		case r < 40 && w.live() != nil:
			err = w.remove(ctx, srv, c, w.live())
		default:
			err = w.reply(ctx, srv, c, seed)
		}
		if err != nil {
			w.problem("gave up: %v", err)
			return
		}
	}
}

// searchState asks the search API whether the server is rebuilding and
// how many visible posts match q.
func searchState(base, q string) (rebuilding bool, total int64, err error) {
	resp, err := setupClient.Get(base + "/api/v1/search?q=" + url.QueryEscape(q))
	if err != nil {
		return false, 0, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return false, 0, fmt.Errorf("search answered %d: %.300s", resp.StatusCode, b)
	}
	var r struct {
		Total      int64 `json:"total"`
		Rebuilding bool  `json:"rebuilding"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return false, 0, fmt.Errorf("search: %w: %.300s", err, b)
	}
	return r.Rebuilding, r.Total, nil
}

// kill SIGKILLs p and waits for it; it reports what went wrong.
func kill(p *proc) error {
	if p.exited() {
		return fmt.Errorf("generation %d had exited by itself before the kill: %w", p.gen, p.err)
	}
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	select {
	case <-p.done:
	case <-time.After(60 * time.Second):
		return fmt.Errorf("generation %d still running 60 s after SIGKILL", p.gen)
	}
	if !p.killedBySIGKILL() {
		return fmt.Errorf("generation %d did not end by our SIGKILL: %w", p.gen, p.err)
	}
	return nil
}

func TestSearchIndexCrashSafety(t *testing.T) {
	if os.Getenv("PARLEY_TEST_DATABASE_URL") != "" {
		t.Skip("the crash test targets the embedded default (SQLite) and checks its file directly; PARLEY_TEST_DATABASE_URL is set")
	}
	if testing.Short() {
		t.Skip("the search crash test runs for about 20 seconds; skipped with -short")
	}
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("PARLEY_CRASH_SEED"); v != "" {
		s, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("PARLEY_CRASH_SEED: %v", err)
		}
		seed = s
	}
	t.Logf("seed %d (reproduce the kill schedule with PARLEY_CRASH_SEED=%d)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, seed^0x5ea2c4))
	began := time.Now()

	bin := buildServer(t)
	data := t.TempDir()
	t.Logf("built %s in %v", bin, time.Since(began).Round(time.Millisecond))
	setupStart := time.Now()
	if err := runCLI(bin, "user", "create", "--data", data, "--username", "searchboss", "--email", "searchboss@example.com",
		"--password", password, "--role", "admin"); err != nil {
		t.Fatal(err)
	}
	writers := make([]*searchWriter, searchWriters)
	for i := range writers {
		name := "searchw" + string(rune('a'+i))
		writers[i] = &searchWriter{name: name, letter: byte('a' + i), rng: rand.New(rand.NewPCG(seed, uint64(i))), ops: map[string]int{}}
		if err := runCLI(bin, "user", "create", "--data", data, "--username", name, "--email", name+"@example.com",
			"--password", password, "--role", "moderator"); err != nil {
			t.Fatal(err)
		}
	}

	srv, p := startServer(t, bin, data)
	admin := signIn(t, p.base, "searchboss")
	mustJSON(t, p.base, admin.token, "POST", "/api/v1/forums",
		map[string]string{"name": "Search Lab", "slug": "search-lab", "visibility": "public"}, http.StatusCreated, nil)
	for _, w := range writers {
		w.token = signIn(t, p.base, w.name).token
		var created struct {
			Thread struct {
				ID int64 `json:"id"`
			} `json:"thread"`
		}
		mustJSON(t, p.base, w.token, "POST", "/api/v1/forums/search-lab/threads",
			map[string]string{"title": "Search crash thread of " + w.name, "body": "Opening post of " + w.name + "."}, http.StatusCreated, &created)
		w.threadID = created.Thread.ID
	}

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{
		MaxIdleConns: 32, MaxIdleConnsPerHost: 2 * searchWriters, IdleConnTimeout: 30 * time.Second}}
	defer client.CloseIdleConnections()

	t.Logf("accounts, forum and threads took %v", time.Since(setupStart).Round(time.Millisecond))
	seedStart := time.Now()
	// Replies before the kills, so that a rebuild has work to do.
	var wg sync.WaitGroup
	for _, w := range writers {
		wg.Go(func() {
			for range searchSeedPosts {
				if err := w.reply(ctx, srv, client, seed); err != nil {
					w.problem("seed: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	t.Logf("%d replies took %v", searchWriters*searchSeedPosts, time.Since(seedStart).Round(time.Millisecond))

	var stop atomic.Bool
	for _, w := range writers {
		wg.Go(func() { w.run(ctx, srv, client, seed, stop.Load) })
	}
	stopWriters := func() {
		stop.Store(true)
		wg.Wait()
	}
	fatal := func(format string, args ...any) {
		t.Helper()
		cancel()
		stopWriters()
		t.Fatalf(format, args...)
	}

	// Kills at random moments; on some, the search folder goes and the
	// next generation is killed while it rebuilds (writers write
	// meanwhile), which leaves an unfinished index.new and no index.
	chaosStart := time.Now()
	kills, rebuildKills, misses := 0, 0, 0
	var problems []string
	for kills < searchKills || rebuildKills < searchRebuildKills {
		if time.Since(chaosStart) > searchChaos && rebuildKills >= searchRebuildKills {
			break
		}
		if misses > 5 {
			fatal("six rebuilds were over before the kill; the rebuild kill needs more posts")
		}
		time.Sleep(150*time.Millisecond + time.Duration(rng.Int64N(int64(450*time.Millisecond))))
		rebuildKill := rebuildKills < searchRebuildKills && (kills%3 == 1 || kills >= searchKills)
		if err := kill(srv.markDown()); err != nil {
			fatal("%v", err)
		}
		kills++
		if rebuildKill {
			if err := os.RemoveAll(filepath.Join(data, "search")); err != nil {
				fatal("remove the search folder: %v", err)
			}
		}
		next, err := srv.start()
		if err != nil {
			fatal("restart after kill %d: %v", kills, err)
		}
		srv.markUp(next)
		if !rebuildKill {
			continue
		}
		rebuilding, _, err := searchState(next.base, "kettle")
		if err != nil {
			problems = append(problems, fmt.Sprintf("generation %d: %v", next.gen, err))
		}
		if !rebuilding {
			misses++
			t.Logf("generation %d had finished its rebuild before the first search; trying again", next.gen)
			continue
		}
		// Let the writers and the rebuild run a random moment, then kill.
		// With no index in place the build was unfinished (the complete
		// one is moved into place in one rename).
		time.Sleep(time.Duration(rng.Int64N(int64(100 * time.Millisecond))))
		if err := kill(srv.markDown()); err != nil {
			fatal("%v", err)
		}
		kills++
		if _, err := os.Stat(filepath.Join(data, "search", "index")); err == nil {
			misses++
			t.Logf("generation %d finished its rebuild before the kill; trying again", next.gen)
		} else {
			rebuildKills++
		}
		if next, err = srv.start(); err != nil {
			fatal("restart after the rebuild kill %d: %v", kills, err)
		}
		srv.markUp(next)
	}
	stopWriters()
	t.Logf("kills: %d (%d during a rebuild, %d rebuilds missed) in %v; server generations: %d",
		kills, rebuildKills, misses, time.Since(chaosStart).Round(time.Millisecond), srv.lastProc().gen)
	if lines := srv.logProblems(); len(lines) > 0 {
		t.Logf("the server logged %d warning/error lines, e.g.:\n%s", len(lines), strings.Join(lines[:min(len(lines), 10)], "\n"))
	}

	// One more reply, the last event the index consumes. Once a search
	// finds it and does not say it is rebuilding, the index has applied
	// the log up to it (events are applied in order, a batch with its
	// checkpoint; a rebuilt index says it is rebuilding until it has
	// applied the events written while it was built).
	last := srv.markDown()
	w0 := writers[0]
	sentinel := w0.word("fin")
	var sp struct {
		ID int64 `json:"id"`
	}
	mustJSON(t, last.base, w0.token, "POST", fmt.Sprintf("/api/v1/threads/%d/posts", w0.threadID),
		map[string]string{"body": w0.text("Last reply", sentinel)}, http.StatusCreated, &sp)
	w0.posts = append(w0.posts, &searchPost{id: sp.ID, word: sentinel})
	deadline := time.Now().Add(30 * time.Second)
	for {
		rebuilding, total, err := searchState(last.base, sentinel)
		if err == nil && !rebuilding && total == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the index did not catch up within 30 s (rebuilding %v, %d hits for %s, %v)", rebuilding, total, sentinel, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	caughtUp := time.Since(chaosStart)
	if err := last.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-last.done:
		if last.err != nil {
			t.Fatalf("the last generation exited with %v after SIGTERM", last.err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the last generation did not exit within 60 s of SIGTERM")
	}

	ops := map[string]int{}
	lost := 0
	for _, w := range writers {
		problems = append(problems, w.problems...)
		for k, n := range w.ops {
			ops[k] += n
		}
		lost += w.lost
	}
	t.Logf("writes: %d replies, %d edits, %d deletes; %d answers lost to kills; caught up %v after the chaos began",
		ops["reply"], ops["edit"], ops["delete"], lost, caughtUp.Round(time.Millisecond))
	for _, pr := range problems[:min(len(problems), 30)] {
		t.Error(pr)
	}
	if len(problems) > 30 {
		t.Errorf("… and %d more problems", len(problems)-30)
	}
	if ops["edit"] == 0 || ops["delete"] == 0 {
		t.Errorf("the writers made %d edits and %d deletes; want some of each", ops["edit"], ops["delete"])
	}
	verifySearchIndex(t, data, writers)
	t.Logf("total time %v", time.Since(began).Round(time.Millisecond))
}

// verifySearchIndex opens the stopped server's index and database and
// compares them.
func verifySearchIndex(t *testing.T, data string, writers []*searchWriter) {
	db := openDB(t, filepath.Join(data, "parley.db"))
	r := &report{t: t, counts: map[string]int{}}
	defer r.summary()

	idx, err := bleve.OpenUsing(filepath.Join(data, "search", "index"), map[string]any{"read_only": true})
	if err != nil {
		t.Fatalf("open the index: %v", err)
	}
	defer idx.Close()
	internal := func(key string) string {
		v, err := idx.GetInternal([]byte(key))
		if err != nil {
			t.Fatalf("index key %s: %v", key, err)
		}
		return string(v)
	}
	if internal("version") == "" {
		r.fail("index version", "the index has no version: an unfinished build was put in place")
	}

	// Caught up: the checkpoint covers every event the index consumes.
	checkpoint, err := strconv.ParseInt(internal("checkpoint"), 10, 64)
	if err != nil {
		t.Fatalf("index checkpoint: %v", err)
	}
	var lastEvent, lastContent int64
	if err := db.QueryRow("SELECT COALESCE(MAX(id), 0) FROM events").Scan(&lastEvent); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT COALESCE(MAX(id), 0) FROM events WHERE type LIKE 'post.%'
		OR type IN ('reaction.changed', 'thread.updated', 'forum.created', 'forum.updated')`).Scan(&lastContent); err != nil {
		t.Fatal(err)
	}
	if checkpoint < lastContent || checkpoint > lastEvent {
		r.fail("checkpoint", "the index's checkpoint is event %d; the last content event is %d, the last event %d", checkpoint, lastContent, lastEvent)
	}

	// The index holds exactly the visible posts.
	var visible []int64
	rows, err := db.Query(`SELECT p.id FROM posts p JOIN threads t ON t.id = p.thread_id
		WHERE p.deleted_at IS NULL AND t.deleted_at IS NULL ORDER BY p.id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		visible = append(visible, id)
	}
	closeRows(t, rows)
	indexed := searchIDs(t, idx, bleve.NewMatchAllQuery())
	missing, extra := difference(visible, indexed), difference(indexed, visible)
	for _, id := range missing {
		r.fail("visible post not in the index", "post %d", id)
	}
	for _, id := range extra {
		r.fail("index holds a post that is not visible", "post %d", id)
	}

	// Every post is found by the word of its current text and by none of
	// its earlier texts; deleted posts by none. What the writers were told
	// is what the database holds.
	bodies := map[int64]string{}
	deleted := map[int64]bool{}
	rows, err = db.Query("SELECT id, body, deleted_at IS NOT NULL FROM posts")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var body string
		var del bool
		if err := rows.Scan(&id, &body, &del); err != nil {
			t.Fatal(err)
		}
		bodies[id], deleted[id] = body, del
	}
	closeRows(t, rows)
	edited, checked := 0, 0
	for _, w := range writers {
		for _, p := range w.posts {
			checked++
			if len(p.old) > 0 {
				edited++
			}
			if deleted[p.id] != p.deleted || (!p.deleted && !strings.Contains(bodies[p.id], " "+p.word+" ")) {
				r.fail("database", "post %d: deleted %v, body %.80q; %s was told deleted %v, word %s", p.id, deleted[p.id], bodies[p.id], w.name, p.deleted, p.word)
			}
			want := []int64{p.id}
			if p.deleted {
				want = nil
			}
			if got := searchIDs(t, idx, matchWord(p.word)); !slices.Equal(got, want) {
				r.fail("current text", "post %d (deleted %v): %s finds %v", p.id, p.deleted, p.word, got)
			}
			for _, o := range p.old {
				if got := searchIDs(t, idx, matchWord(o)); len(got) > 0 {
					r.fail("earlier text", "post %d: %s, replaced by %s, still finds %v", p.id, o, p.word, got)
				}
			}
		}
	}
	t.Logf("index: checkpoint %d (last content event %d, last event %d), %d posts (%d visible in the database); %d replies checked by text, %d of them edited",
		checkpoint, lastContent, lastEvent, len(indexed), len(visible), checked, edited)
}

func openDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() }) // read only; nothing to lose
	return db
}

// matchWord finds a word in the posts' text in any language.
func matchWord(w string) query.Query {
	var either []query.Query
	for _, f := range []string{"body_en", "body_de"} {
		q := query.NewMatchQuery(w)
		q.SetField(f)
		either = append(either, q)
	}
	return query.NewDisjunctionQuery(either)
}

// searchIDs runs q and returns every matching post id, sorted.
func searchIDs(t *testing.T, idx bleve.Index, q query.Query) []int64 {
	t.Helper()
	n, err := idx.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	res, err := idx.Search(bleve.NewSearchRequestOptions(q, int(n)+1, 0, false))
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, 0, len(res.Hits))
	for _, h := range res.Hits {
		id, err := strconv.ParseInt(h.ID, 10, 64)
		if err != nil {
			t.Fatalf("index document id %q: %v", h.ID, err)
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// difference lists the ids of a (sorted) that b (sorted) lacks.
func difference(a, b []int64) []int64 {
	var out []int64
	for _, id := range a {
		if _, ok := slices.BinarySearch(b, id); !ok {
			out = append(out, id)
		}
	}
	return out
}
