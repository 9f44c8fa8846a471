// Package crash is Parley's crash-safety test: the real server binary is
// killed with SIGKILL again and again while clients post replies with
// Idempotency-Key and retry what went unanswered, and the SQLite file is
// then checked directly.
//
// Reproduce a run's kill schedule with PARLEY_CRASH_SEED=<seed from the log>;
// PARLEY_CRASH_KILLS sets the number of kills (default 25, at least 5; fewer when
// 20 s of chaos have passed).
package crash

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

const (
	numWriters  = 8
	password    = "tumbleweed-orbit-4417"
	minKills    = 5
	chaosBudget = 20 * time.Second // kills stop after this, once minKills is reached
	killMin     = 150 * time.Millisecond
	killSpread  = 450 * time.Millisecond
)

// attempt is one intended reply: its key and body never change, however
// often it is sent.
type attempt struct {
	key, body   string
	sends       int // requests sent with this key
	lostAnswers int // sends that got no answer (server killed)
	badAnswers  int // sends answered with something other than 201
}

// ack is a reply the server acknowledged with 201.
type ack struct {
	writer   string
	userID   int64
	threadID int64
	key      string
	body     string
	postID   int64
	number   int
	replayed bool // Idempotent-Replayed: true
	sends    int
	lost     int // answers lost before this 201
}

// writer is one client account posting into its own thread.
type writer struct {
	name     string
	token    string
	userID   int64
	threadID int64
	seed     uint64

	acks          []ack
	requests      int
	retries       int // requests that reused a key already sent
	transportErrs int // requests that got no answer at all
	problems      []string
}

func (w *writer) problem(format string, args ...any) {
	w.problems = append(w.problems, w.name+": "+fmt.Sprintf(format, args...))
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func (w *writer) send(ctx context.Context, c *http.Client, base string, a *attempt) (*answer, error) {
	payload, _ := json.Marshal(map[string]string{"body": a.body})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, fmt.Sprintf("%s/api/v1/threads/%d/posts", base, w.threadID), bytes.NewReader(payload))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+w.token)
	req.Header.Set("Idempotency-Key", a.key)
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err // the server died while sending the answer
	}
	return &answer{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// run posts replies until stop is set, then finishes its pending attempt: a
// key whose answer was lost is retried with the same body until it gets a
// 201, as a careful client does.
func (w *writer) run(ctx context.Context, srv *server, c *http.Client, stop *atomic.Bool) {
	seq := 0
	unexplained := 0
	var cur *attempt
	for {
		if cur == nil {
			if stop.Load() {
				return
			}
			seq++
			cur = &attempt{
				key:  fmt.Sprintf("crash-%d-%s-%05d", w.seed, w.name, seq),
				body: fmt.Sprintf("Crash test reply %d from %s (seed %d): the kettle is on, the tent is up", seq, w.name, w.seed),
			}
		}
		base, gen, err := srv.waitUp(ctx)
		if err != nil {
			w.problem("gave up waiting for the server with key %s pending (%d sends): %v", cur.key, cur.sends, err)
			return
		}
		if cur.sends > 0 {
			w.retries++
		}
		cur.sends++
		w.requests++
		ans, err := w.send(ctx, c, base, cur)
		if err != nil {
			if ctx.Err() != nil {
				w.problem("deadline passed with key %s pending (%d sends): %v", cur.key, cur.sends, err)
				return
			}
			w.transportErrs++
			cur.lostAnswers++
			if srv.isUp(gen) {
				// Nobody killed this generation: the server dropped the
				// request on its own, or died by itself.
				unexplained++
				w.problem("key %s: no answer from generation %d while it was supposed to be up: %v", cur.key, gen, err)
				if unexplained > 20 {
					return
				}
				time.Sleep(50 * time.Millisecond)
			}
			continue // waitUp blocks until the next generation is ready
		}
		if ans.status != http.StatusCreated {
			cur.badAnswers++
			w.problem("key %s (send %d): answer %d: %.300s", cur.key, cur.sends, ans.status, ans.body)
			if cur.badAnswers > 5 {
				return
			}
			time.Sleep(100 * time.Millisecond)
			continue
		}
		var p struct {
			ID       int64  `json:"id"`
			ThreadID int64  `json:"thread_id"`
			Number   int    `json:"number"`
			Body     string `json:"body"`
		}
		if err := json.Unmarshal(ans.body, &p); err != nil || p.ID == 0 {
			w.problem("key %s: 201 with an unreadable post (%v): %.300s", cur.key, err, ans.body)
			return
		}
		replayed := ans.header.Get("Idempotent-Replayed") == "true"
		if replayed && cur.lostAnswers == 0 {
			w.problem("key %s: 201 marked as a replay although no earlier answer was lost (post %d)", cur.key, p.ID)
		}
		if p.Body != cur.body || p.ThreadID != w.threadID {
			w.problem("key %s: 201 with post %d in thread %d, body %q; sent thread %d, body %q", cur.key, p.ID, p.ThreadID, p.Body, w.threadID, cur.body)
		}
		w.acks = append(w.acks, ack{writer: w.name, userID: w.userID, threadID: w.threadID, key: cur.key, body: cur.body,
			postID: p.ID, number: p.Number, replayed: replayed, sends: cur.sends, lost: cur.lostAnswers})
		cur = nil
	}
}

func TestCrashSafety(t *testing.T) {
	if os.Getenv("PARLEY_TEST_DATABASE_URL") != "" {
		t.Skip("the crash test targets the embedded default (SQLite) and checks its file directly; PARLEY_TEST_DATABASE_URL is set")
	}
	if testing.Short() {
		t.Skip("the crash test runs for about half a minute; skipped with -short")
	}
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("PARLEY_CRASH_SEED"); v != "" {
		s, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("PARLEY_CRASH_SEED: %v", err)
		}
		seed = s
	}
	targetKills := 25
	if v := os.Getenv("PARLEY_CRASH_KILLS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < minKills {
			t.Fatalf("PARLEY_CRASH_KILLS: want a number >= %d, got %q", minKills, v)
		}
		targetKills = n
	}
	t.Logf("seed %d (reproduce the kill schedule with PARLEY_CRASH_SEED=%d)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	began := time.Now()

	bin := buildServer(t)
	data := t.TempDir()
	t.Logf("built %s in %v; data folder %s", bin, time.Since(began).Round(time.Millisecond), data)

	// Accounts from the command line: an admin for the forum and moderators
	// (staff are not throttled) as writers.
	setupStart := time.Now()
	if err := runCLI(bin, "user", "create", "--data", data, "--username", "crashboss", "--email", "crashboss@example.com",
		"--password", password, "--role", "admin"); err != nil {
		t.Fatal(err)
	}
	// One at a time: two concurrent `parley user create` processes fail with
	// SQLITE_BUSY, because the store's _txlock=immediate is not applied (see
	// the store's DSN) and a read-then-write transaction cannot wait.
	writers := make([]*writer, numWriters)
	for i := range writers {
		name := "crashw" + string(rune('a'+i))
		writers[i] = &writer{name: name, seed: seed}
		if err := runCLI(bin, "user", "create", "--data", data, "--username", name, "--email", name+"@example.com",
			"--password", password, "--role", "moderator"); err != nil {
			t.Fatal(err)
		}
	}

	srv, p := startServer(t, bin, data)

	admin := signIn(t, p.base, "crashboss")
	mustJSON(t, p.base, admin.token, "POST", "/api/v1/forums",
		map[string]string{"name": "Crash Lab", "slug": "crash-lab", "visibility": "public"}, http.StatusCreated, nil)
	for _, w := range writers {
		s := signIn(t, p.base, w.name)
		w.token, w.userID = s.token, s.userID
		var created struct {
			Thread struct {
				ID int64 `json:"id"`
			} `json:"thread"`
		}
		mustJSON(t, p.base, w.token, "POST", "/api/v1/forums/crash-lab/threads",
			map[string]string{"title": "Crash thread of " + w.name, "body": "Opening post of " + w.name + "."}, http.StatusCreated, &created)
		w.threadID = created.Thread.ID
	}
	t.Logf("set-up (9 accounts, forum, %d threads) took %v", numWriters, time.Since(setupStart).Round(time.Millisecond))

	// Chaos: writers post while the server is killed at random moments.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{
		MaxIdleConns: 64, MaxIdleConnsPerHost: 2 * numWriters, IdleConnTimeout: 30 * time.Second}}
	defer client.CloseIdleConnections()
	var stop atomic.Bool
	var writersWG sync.WaitGroup
	for _, w := range writers {
		writersWG.Go(func() { w.run(ctx, srv, client, &stop) })
	}
	stopWriters := func() {
		stop.Store(true)
		writersWG.Wait()
	}
	chaosStart := time.Now()
	kills := 0
	var killProblems []string
	for kills < targetKills && (kills < minKills || time.Since(chaosStart) < chaosBudget) {
		time.Sleep(killMin + time.Duration(rng.Int64N(int64(killSpread))))
		p := srv.markDown()
		if p.exited() {
			killProblems = append(killProblems, fmt.Sprintf("generation %d had exited by itself before the kill: %v", p.gen, p.err))
		}
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		select {
		case <-p.done:
		case <-time.After(60 * time.Second):
			cancel()
			stopWriters()
			t.Fatalf("generation %d still running 60 s after SIGKILL", p.gen)
		}
		if !p.killedBySIGKILL() {
			killProblems = append(killProblems, fmt.Sprintf("generation %d did not end by our SIGKILL: %v", p.gen, p.err))
		}
		kills++
		next, err := srv.start()
		if err != nil {
			cancel()
			stopWriters()
			t.Fatalf("restart after kill %d: %v", kills, err)
		}
		srv.markUp(next)
	}
	chaos := time.Since(chaosStart)
	// No new replies from here; every writer finishes its pending key on the
	// last generation, which nobody kills.
	stopWriters()
	drained := time.Since(chaosStart) - chaos

	var acks []ack
	var problems []string
	problems = append(problems, killProblems...)
	requests, retries, transportErrs, replays, retriedNew := 0, 0, 0, 0, 0
	for _, w := range writers {
		acks = append(acks, w.acks...)
		problems = append(problems, w.problems...)
		requests += w.requests
		retries += w.retries
		transportErrs += w.transportErrs
		for _, a := range w.acks {
			if a.replayed {
				replays++
			} else if a.lost > 0 {
				retriedNew++
			}
		}
	}

	// Graceful shutdown: SIGTERM while a reply is in flight; it must be
	// answered and stored, and the process must exit 0.
	last := srv.markDown()
	if graceful, err := inFlightThroughShutdown(last, writers[0], seed); err != nil {
		problems = append(problems, "graceful shutdown: "+err.Error())
	} else {
		acks = append(acks, graceful)
		t.Logf("graceful shutdown: the reply in flight at SIGTERM was answered 201 (post %d) and the server exited 0", graceful.postID)
	}

	t.Logf("kills: %d in %v of chaos (+%v to drain pending keys); server generations: %d", kills, chaos.Round(time.Millisecond), drained.Round(time.Millisecond), last.gen)
	t.Logf("requests: %d; acknowledged replies: %d; retries with a used key: %d; answers lost to kills: %d", requests, len(acks), retries, transportErrs)
	t.Logf("of the acknowledged replies after a lost answer: %d replays (the first send had committed), %d new posts (it had not)", replays, retriedNew)
	if lines := srv.logProblems(); len(lines) > 0 {
		t.Logf("the server logged %d warning/error lines, e.g.:\n%s", len(lines), strings.Join(lines[:min(len(lines), 10)], "\n"))
	}
	for _, pr := range problems[:min(len(problems), 50)] {
		t.Error(pr)
	}
	if len(problems) > 50 {
		t.Errorf("… and %d more problems", len(problems)-50)
	}
	if kills < minKills {
		t.Errorf("only %d kills, want at least %d", kills, minKills)
	}

	verifyDatabase(t, filepath.Join(data, "parley.db"), writers, acks)
	t.Logf("total time %v", time.Since(began).Round(time.Millisecond))
}

// lastProc is the newest generation (for failure logs).
func (s *server) lastProc() *proc {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.procs) == 0 {
		return nil
	}
	return s.procs[len(s.procs)-1]
}

// inFlightThroughShutdown sends a reply over a raw connection, stops halfway
// through its body, sends SIGTERM, waits until the server no longer accepts
// connections (so shutdown has begun while the request is in flight), then
// sends the rest. The request must still be answered 201 and the process
// must then exit 0.
func inFlightThroughShutdown(p *proc, w *writer, seed uint64) (ack, error) {
	a := ack{writer: w.name, userID: w.userID, threadID: w.threadID, key: fmt.Sprintf("crash-%d-graceful", seed),
		body: fmt.Sprintf("Crash test reply in flight at SIGTERM (seed %d)", seed), sends: 1}
	u, err := url.Parse(p.base)
	if err != nil {
		return a, err
	}
	sigterm := func() error { return p.cmd.Process.Signal(syscall.SIGTERM) }
	waitExit := func() error {
		select {
		case <-p.done:
		case <-time.After(60 * time.Second):
			return errors.New("the server did not exit within 60 s of SIGTERM")
		}
		if p.err != nil {
			return fmt.Errorf("the server exited with %w after SIGTERM, want exit status 0", p.err)
		}
		return nil
	}
	conn, err := net.DialTimeout("tcp", u.Host, 10*time.Second)
	if err != nil {
		_ = sigterm()
		return a, errors.Join(err, waitExit())
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(2 * time.Minute))
	body, _ := json.Marshal(map[string]string{"body": a.body})
	head := fmt.Sprintf("POST /api/v1/threads/%d/posts HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/json\r\nIdempotency-Key: %s\r\nContent-Length: %d\r\n\r\n", w.threadID, u.Host, w.token, a.key, len(body))
	half := len(body) / 2
	if _, err := io.WriteString(conn, head+string(body[:half])); err != nil {
		_ = sigterm()
		return a, errors.Join(err, waitExit())
	}
	// Give the server a moment to read the header and enter the handler
	// (not a correctness condition: a connection that has sent nothing yet
	// is also left alone by shutdown for 5 s).
	time.Sleep(300 * time.Millisecond)
	if err := sigterm(); err != nil {
		return a, err
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", u.Host, 2*time.Second)
		if err != nil {
			break // the listener is closed: shutdown is under way
		}
		c.Close()
		if p.exited() || time.Now().After(deadline) {
			return a, fmt.Errorf("the listener did not close after SIGTERM (exited: %v, %w)", p.exited(), p.err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if p.exited() {
		return a, fmt.Errorf("the server exited (%w) while a request was in flight", p.err)
	}
	if _, err := conn.Write(body[half:]); err != nil {
		return a, errors.Join(fmt.Errorf("finish the body: %w", err), waitExit())
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return a, errors.Join(fmt.Errorf("no answer to the request in flight: %w", err), waitExit())
	}
	rb, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return a, errors.Join(fmt.Errorf("the request in flight was answered %d: %.300s", resp.StatusCode, rb), waitExit())
	}
	var pv struct {
		ID     int64  `json:"id"`
		Number int    `json:"number"`
		Body   string `json:"body"`
	}
	if err := json.Unmarshal(rb, &pv); err != nil || pv.ID == 0 || pv.Body != a.body {
		return a, errors.Join(fmt.Errorf("the request in flight got an odd 201 (%w): %.300s", err, rb), waitExit())
	}
	a.postID, a.number = pv.ID, pv.Number
	return a, waitExit()
}

// setupClient makes the set-up requests (no kills happen during set-up).
var setupClient = &http.Client{Timeout: 60 * time.Second}

type session struct {
	token  string
	userID int64
}

// signIn opens a session and trades it for a personal API token.
func signIn(t *testing.T, base, username string) session {
	t.Helper()
	payload, _ := json.Marshal(map[string]string{"login": username, "password": password})
	resp, err := setupClient.Post(base+"/api/v1/session", "application/json", bytes.NewReader(payload))
	if err != nil {
		t.Fatalf("sign in %s: %v", username, err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("sign in %s: %d %s", username, resp.StatusCode, b)
	}
	var sv struct {
		User struct {
			ID int64 `json:"id"`
		} `json:"user"`
	}
	if err := json.Unmarshal(b, &sv); err != nil || sv.User.ID == 0 {
		t.Fatalf("sign in %s: odd answer (%v): %s", username, err, b)
	}
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "parley_session" {
			cookie = c
		}
	}
	if cookie == nil {
		t.Fatalf("sign in %s: no session cookie", username)
	}
	req, _ := http.NewRequest("POST", base+"/api/v1/tokens", strings.NewReader(`{"name":"crash test"}`))
	req.Header.Set("Content-Type", "application/json")
	req.AddCookie(cookie)
	resp, err = setupClient.Do(req)
	if err != nil {
		t.Fatalf("token for %s: %v", username, err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	var tok struct {
		Token string `json:"token"`
	}
	if resp.StatusCode != http.StatusCreated || json.Unmarshal(b, &tok) != nil || !strings.HasPrefix(tok.Token, "prl_") {
		t.Fatalf("token for %s: %d %s", username, resp.StatusCode, b)
	}
	return session{token: tok.Token, userID: sv.User.ID}
}

// mustJSON sends a JSON request with a Bearer token and decodes the answer.
func mustJSON(t *testing.T, base, token, method, path string, in any, want int, out any) {
	t.Helper()
	payload, _ := json.Marshal(in)
	req, _ := http.NewRequest(method, base+path, bytes.NewReader(payload))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := setupClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != want {
		t.Fatalf("%s %s: %d, want %d: %s", method, path, resp.StatusCode, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: decode %s: %v", method, path, b, err)
		}
	}
}
