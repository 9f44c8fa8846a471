// Package apptest builds a whole Parley (real database, real HTTP server) in
// one line for tests: SQLite in a temp folder by default, or a fresh
// PostgreSQL database per test when PARLEY_TEST_DATABASE_URL is set.
package apptest

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver for creating test databases

	"parley/app"
	"parley/app/auth"
	"parley/app/config"
	"parley/app/web"
)

// App is a running test instance.
type App struct {
	*app.App
	T      testing.TB
	Server *httptest.Server
	URL    string
}

// Option adjusts the configuration before the app is built.
type Option func(*config.Config)

// CheapPasswords keeps argon2id fast in tests; production uses the default.
func cheapPasswords() auth.PasswordParams {
	return auth.PasswordParams{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}
}

// New starts a whole app on a fresh database and an httptest server.
func New(t testing.TB, opts ...Option) *App {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.PostEvery, cfg.NewPostEvery = 0, 0
	cfg.LogLevel = "error"
	if base := os.Getenv("PARLEY_TEST_DATABASE_URL"); base != "" {
		cfg.DatabaseURL = FreshPostgres(t, base)
	}
	for _, o := range opts {
		o(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	pp := cheapPasswords()
	a, err := app.New(context.Background(), cfg, app.Options{PasswordParams: &pp, LogOutput: testWriter{t}})
	if err != nil {
		t.Fatalf("apptest: build app: %v", err)
	}
	srv, err := web.New(a)
	if err != nil {
		t.Fatalf("apptest: build server: %v", err)
	}
	ctx, stop := context.WithCancel(context.Background())
	srv.Start(ctx)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		stop()
		ts.Close()
		if err := a.Close(); err != nil {
			t.Errorf("apptest: close: %v", err)
		}
	})
	return &App{App: a, T: t, Server: ts, URL: ts.URL}
}

// Settle waits until the notifications consumer has applied every event in
// the log. It writes events of its own in the background, so a test that
// compares counts of events (or looks for a notification) settles first.
func (a *App) Settle() {
	a.T.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		last, err := a.Store.LastEventID(context.Background())
		if err != nil {
			a.T.Fatalf("apptest: settle: %v", err)
		}
		if a.Notify.Position() >= last {
			return
		}
		if time.Now().After(deadline) {
			a.T.Fatalf("apptest: notifications stuck at event %d of %d", a.Notify.Position(), last)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// FreshPostgres creates an empty database on the server of base and returns
// its URL; the database is dropped when the test ends.
func FreshPostgres(t testing.TB, base string) string {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "parley_t_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("apptest: create database: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		admin.Close()
	})
	u, _ := url.Parse(base)
	u.Path = "/" + name
	return u.String()
}

// Client is an HTTP client with its own cookie jar: one browser, one user.
type Client struct {
	a      *App
	HTTP   *http.Client
	Token  string // Bearer token, when set
	CSRF   string // session CSRF token after Login
	Origin bool   // send a same-origin Origin header (as browsers do)
}

// Client returns a new anonymous client.
func (a *App) Client() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{a: a, Origin: true, HTTP: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Response is a finished response with its body read.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test on error.
func (r *Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %d response %q: %v", r.Status, truncate(r.Body), err)
	}
}

// Map decodes the body as a JSON object.
func (r *Response) Map(t testing.TB) map[string]any {
	m := map[string]any{}
	r.JSON(t, &m)
	return m
}

func truncate(b []byte) string {
	if len(b) > 400 {
		return string(b[:400]) + "…"
	}
	return string(b)
}

// Do sends a request; body is JSON-encoded unless it is a string, []byte or url.Values.
func (c *Client) Do(method, path string, body any) *Response {
	c.a.T.Helper()
	var rd io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case string:
		rd, ct = strings.NewReader(b), "application/json"
	case []byte:
		rd, ct = bytes.NewReader(b), "application/json"
	case url.Values:
		rd, ct = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.a.T.Fatal(err)
		}
		rd, ct = bytes.NewReader(j), "application/json"
	}
	req, err := http.NewRequest(method, c.a.URL+path, rd)
	if err != nil {
		c.a.T.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	if c.Origin {
		req.Header.Set("Origin", c.a.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		c.a.T.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}

// Must sends a request and fails the test unless the status matches.
func (c *Client) Must(status int, method, path string, body any) *Response {
	c.a.T.Helper()
	r := c.Do(method, path, body)
	if r.Status != status {
		c.a.T.Fatalf("%s %s: got %d, want %d: %s", method, path, r.Status, status, truncate(r.Body))
	}
	return r
}

// Password is the password of every user made by Register.
const Password = "correct-horse-battery"

// Register creates a member through the API and signs this client in.
func (c *Client) Register(username string) *Client {
	c.a.T.Helper()
	c.Must(http.StatusCreated, "POST", "/api/v1/users", map[string]string{"username": username, "email": username + "@example.com", "password": Password})
	return c.Login(username)
}

// Login signs in through the API.
func (c *Client) Login(username string) *Client {
	c.a.T.Helper()
	r := c.Must(http.StatusOK, "POST", "/api/v1/session", map[string]string{"login": username, "password": Password})
	var s struct {
		CSRFToken string `json:"csrf_token"`
	}
	r.JSON(c.a.T, &s)
	c.CSRF = s.CSRFToken
	return c
}

// User creates an account with a role directly through the service and
// returns a signed-in client for it.
func (a *App) User(username string, role auth.Role) *Client {
	a.T.Helper()
	if _, err := a.Auth.CreateUser(context.Background(), auth.Registration{Username: username, Email: username + "@example.com", Password: Password}, role, 0); err != nil {
		a.T.Fatalf("create %s: %v", username, err)
	}
	return a.Client().Login(username)
}

// Form posts an HTML form with the client's CSRF token.
func (c *Client) Form(path string, values url.Values) *Response {
	c.a.T.Helper()
	if values == nil {
		values = url.Values{}
	}
	if values.Get("_csrf") == "" {
		values.Set("_csrf", c.CSRF)
	}
	return c.Do("POST", path, values)
}

// Eventually polls cond until it holds, failing the test after wait. For
// what background consumers (page cache, hub, indexer) do after a write.
func Eventually(t testing.TB, what string, wait time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
