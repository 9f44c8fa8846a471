package crash

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// repoRoot walks up from the test's folder to the folder holding go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test folder")
		}
		dir = parent
	}
}

// buildServer builds the real parley binary once for this test.
func buildServer(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "parley")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/parley")
	cmd.Dir = repoRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/parley: %v\n%s", err, out)
	}
	return bin
}

// childEnv is this process's environment without any PARLEY_* setting, so
// the server runs on its defaults plus the flags the test passes.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PARLEY_") {
			env = append(env, kv)
		}
	}
	return env
}

// runCLI runs one parley subcommand to completion.
func runCLI(bin string, args ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = childEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("parley %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

// tailBuffer keeps the last bytes a process wrote (for failure messages).
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
}

const tailSize = 64 << 10

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if len(b.buf) > tailSize {
		b.buf = append([]byte(nil), b.buf[len(b.buf)-tailSize:]...)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}

// lineWriter calls fn for every complete line written to it.
type lineWriter struct {
	mu      sync.Mutex
	partial []byte
	fn      func(string)
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.partial = append(w.partial, p...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			return len(p), nil
		}
		w.fn(string(w.partial[:i]))
		w.partial = w.partial[i+1:]
	}
}

// proc is one run of `parley serve`.
type proc struct {
	gen  int
	cmd  *exec.Cmd
	base string // http://127.0.0.1:PORT
	done chan struct{}
	err  error // the result of Wait, valid once done is closed
	log  *tailBuffer
}

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// killedBySIGKILL reports whether the process ended from our SIGKILL (and not
// on its own before it).
func (p *proc) killedBySIGKILL() bool {
	var ee *exec.ExitError
	if !errors.As(p.err, &ee) {
		return false
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}

// server runs `parley serve` on one data folder, one process at a time, and
// tells writers where it currently listens. Each start listens on a fresh
// port (127.0.0.1:0, read back from the start-up line), so a connection to a
// killed generation can never reach the next one.
type server struct {
	bin, data string

	mu    sync.Mutex
	cur   *proc // nil while down
	gen   int
	up    chan struct{} // closed while cur != nil
	procs []*proc
}

// startServer starts the first generation of the server on data and
// kills every generation when the test ends, logging the last one's
// output if the test failed.
func startServer(t *testing.T, bin, data string) (*server, *proc) {
	t.Helper()
	srv := newServer(bin, data)
	t.Cleanup(func() {
		srv.killAll()
		if t.Failed() {
			if p := srv.lastProc(); p != nil {
				t.Logf("log of the last server generation (%d):\n%s", p.gen, p.log.String())
			}
		}
	})
	p, err := srv.start()
	if err != nil {
		t.Fatal(err)
	}
	srv.markUp(p)
	return srv, p
}

func newServer(bin, data string) *server {
	return &server{bin: bin, data: data, up: make(chan struct{})}
}

// start launches a new generation and waits until /readyz answers 200. It
// does not publish it; markUp does.
func (s *server) start() (*proc, error) {
	s.mu.Lock()
	gen := s.gen + 1
	s.mu.Unlock()
	cmd := exec.Command(s.bin, "serve", "--data", s.data, "--addr", "127.0.0.1:0", "--log-level", "warn")
	cmd.Env = childEnv()
	addrc := make(chan string, 1)
	cmd.Stdout = &lineWriter{fn: func(line string) {
		if rest, ok := strings.CutPrefix(line, "Parley is running at "); ok {
			select {
			case addrc <- strings.TrimSpace(rest):
			default:
			}
		}
	}}
	p := &proc{gen: gen, cmd: cmd, done: make(chan struct{}), log: &tailBuffer{}}
	cmd.Stderr = p.log
	cmd.WaitDelay = 10 * time.Second
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start parley serve: %w", err)
	}
	s.mu.Lock()
	s.procs = append(s.procs, p)
	s.mu.Unlock()
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	fail := func(format string, args ...any) (*proc, error) {
		_ = cmd.Process.Kill()
		<-p.done
		return nil, fmt.Errorf("server generation %d: %s\nserver log:\n%s", gen, fmt.Sprintf(format, args...), p.log.String())
	}
	select {
	case p.base = <-addrc:
	case <-p.done:
		return fail("exited during start-up: %v", p.err)
	case <-time.After(90 * time.Second):
		return fail("no start-up line after 90 s")
	}
	hc := &http.Client{Timeout: 5 * time.Second}
	deadline := time.Now().Add(90 * time.Second)
	for {
		resp, err := hc.Get(p.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				hc.CloseIdleConnections()
				return p, nil
			}
		}
		if p.exited() {
			return fail("exited before it was ready: %v", p.err)
		}
		if time.Now().After(deadline) {
			return fail("/readyz not 200 after 90 s (last error %v)", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// markUp publishes p as the current generation.
func (s *server) markUp(p *proc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cur, s.gen = p, p.gen
	close(s.up)
}

// markDown withdraws the current generation (before it is killed or stopped)
// so that writers wait for the next one instead of hammering a dead port.
func (s *server) markDown() *proc {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.cur
	if p != nil {
		s.cur = nil
		s.up = make(chan struct{})
	}
	return p
}

// waitUp blocks until a generation is up and returns its address.
func (s *server) waitUp(ctx context.Context) (base string, gen int, err error) {
	for {
		s.mu.Lock()
		if s.cur != nil {
			base, gen = s.cur.base, s.cur.gen
			s.mu.Unlock()
			return base, gen, nil
		}
		up := s.up
		s.mu.Unlock()
		select {
		case <-up:
		case <-ctx.Done():
			return "", 0, ctx.Err()
		}
	}
}

// isUp reports whether generation gen is still the published one, i.e.
// nobody has killed or stopped it.
func (s *server) isUp(gen int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur != nil && s.cur.gen == gen
}

// killAll is the cleanup: no child outlives the test.
func (s *server) killAll() {
	s.mu.Lock()
	procs := append([]*proc(nil), s.procs...)
	s.mu.Unlock()
	for _, p := range procs {
		if !p.exited() {
			_ = p.cmd.Process.Kill()
			<-p.done
		}
	}
}

// logProblems returns the warning and error lines every generation logged.
func (s *server) logProblems() []string {
	s.mu.Lock()
	procs := append([]*proc(nil), s.procs...)
	s.mu.Unlock()
	var lines []string
	for _, p := range procs {
		for _, l := range strings.Split(p.log.String(), "\n") {
			if strings.Contains(l, "level=WARN") || strings.Contains(l, "level=ERROR") || strings.Contains(l, "panic") {
				lines = append(lines, fmt.Sprintf("gen %d: %s", p.gen, l))
			}
		}
	}
	return lines
}
