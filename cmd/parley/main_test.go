package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestConfigErrorsNameTheSetting(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"serve", "--database-url", "mysql://x"}, nil, "PARLEY_DATABASE_URL"},
		{[]string{"serve"}, map[string]string{"PARLEY_DATABASE_URL": "not a url"}, "PARLEY_DATABASE_URL"},
		{[]string{"serve", "--addr", "nonsense"}, nil, "PARLEY_ADDR"},
		{[]string{"serve"}, map[string]string{"PARLEY_DEMO": "maybe"}, "PARLEY_DEMO"},
		{[]string{"serve"}, map[string]string{"PARLEY_POST_INTERVAL": "fast"}, "PARLEY_POST_INTERVAL"},
		{[]string{"serve", "--base-url", "ftp://x"}, nil, "PARLEY_BASE_URL"},
		{[]string{"frobnicate"}, nil, "unknown command"},
	} {
		err := run(context.Background(), tc.args, env(tc.env), io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v %v: error %v, want it to name %s", tc.args, tc.env, err, tc.want)
		}
	}
}

func TestUnreachablePostgresNamesTheSettingWithoutPassword(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens here now
	err = run(context.Background(), []string{"migrate", "--data", t.TempDir(), "--database-url", "postgres://u:s3cret@" + addr + "/db?connect_timeout=2"}, env(nil), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "PARLEY_DATABASE_URL") || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("error %v", err)
	}
}

func TestDemoSeedsOnceAndUserCreate(t *testing.T) {
	if os.Getenv("PARLEY_TEST_DATABASE_URL") != "" {
		t.Skip("covered on SQLite; this test owns its data folder")
	}
	data := t.TempDir()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"demo", "--data", data}, env(nil), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Seeded demo content") || !strings.Contains(out.String(), "Demo admin login: admin_fern") {
		t.Fatalf("first demo run printed %q", out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"demo", "--data", data}, env(nil), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "Seeded") {
		t.Fatal("a second start seeded again")
	}
	out.Reset()
	err := run(context.Background(), []string{"user", "create", "--data", data, "--username", "maya2", "--email", "maya2@example.com", "--password", "long-enough-pass", "--role", "manager"}, env(nil), &out, io.Discard)
	if err != nil || !strings.Contains(out.String(), "created manager maya2") {
		t.Fatalf("user create: %v %q", err, out.String())
	}
	err = run(context.Background(), []string{"user", "create", "--data", data, "--username", "maya2", "--email", "other@example.com", "--password", "long-enough-pass"}, env(nil), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "username") {
		t.Fatalf("duplicate user create: %v", err)
	}
	err = run(context.Background(), []string{"user", "create", "--data", data, "--username", "x1", "--role", "king"}, env(nil), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--role") {
		t.Fatalf("bad role: %v", err)
	}
	out.Reset()
	if err := run(context.Background(), []string{"reindex", "--data", data}, env(nil), &out, io.Discard); err != nil {
		t.Fatalf("reindex: %v", err)
	}
	if !strings.Contains(out.String(), "search index rebuilt:") || !strings.Contains(out.String(), "posts/s") {
		t.Fatalf("reindex printed %q", out.String())
	}
}

// serve starts, answers, and on cancellation shuts down cleanly.
func TestServeAndGracefulShutdown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--data", t.TempDir(), "--addr", addr, "--log-level", "error"}, env(nil), io.Discard, io.Discard)
	}()
	var resp *http.Response
	for range 100 {
		resp, err = http.Get("http://" + addr + "/readyz")
		if err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("readyz %d", resp.StatusCode)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"healthcheck", "--addr", addr}, env(nil), &out, io.Discard); err != nil || !strings.Contains(out.String(), "ok") {
		t.Fatalf("healthcheck: %v", err)
	}
	resp, err = http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(metrics), `parley_http_requests_total{method="GET",route="/readyz",status="200"}`) || !strings.Contains(string(metrics), "go_sql_") {
		t.Fatalf("metrics miss request or pool figures")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
}
