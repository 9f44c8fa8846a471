package main

import (
	"context"
	"strings"
	"testing"
)

func TestBuildCheckAndRefusals(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var out, errOut strings.Builder
	if err := run(ctx, []string{"build", "--data", dir, "--posts", "1500", "--users", "30", "--forums", "3", "--writers", "2", "--bodies", "40"}, &out, &errOut); err != nil {
		t.Fatalf("build: %v\n%s%s", err, out.String(), errOut.String())
	}
	for _, want := range []string{"1500 posts", "role moderator", "load-tokens.txt", "database "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("build output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if err := run(ctx, []string{"check", "--data", dir, "--fk"}, &out, &errOut); err != nil || strings.Contains(out.String(), "FAILED") {
		t.Fatalf("check: %v\n%s", err, out.String())
	}
	// A second build into the same folder is refused.
	if err := run(ctx, []string{"build", "--data", dir, "--posts", "10"}, &out, &errOut); err == nil {
		t.Fatal("a second build into the same folder was accepted")
	}
	if err := run(ctx, []string{"run", "--data", dir, "--url", "http://192.0.2.7:8080", "--duration", "1s"}, &out, &errOut); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("run against another host: %v", err)
	}
	if err := run(ctx, []string{"watch", "--data", dir, "--url", "http://192.0.2.7:8080", "--clients", "1"}, &out, &errOut); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("watch against another host: %v", err)
	}
	if err := run(ctx, []string{"search", "--data", dir, "--url", "http://192.0.2.7:8080", "--duration", "1s"}, &out, &errOut); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("search against another host: %v", err)
	}
	if err := run(ctx, []string{"search", "--data", dir, "--ordinary", "0.5-0.1"}, &out, &errOut); err == nil || !strings.Contains(err.Error(), "band") {
		t.Fatalf("an upside-down band: %v", err)
	}
	if err := run(ctx, []string{"nope"}, &out, &errOut); err == nil {
		t.Fatal("unknown command accepted")
	}
}
