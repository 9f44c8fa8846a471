package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// parley reindex builds the index once: when the index is missing, the
// build start-up begins is the one the command waits for, not a first of two.
func TestReindexBuildsOnce(t *testing.T) {
	data := t.TempDir()
	reindex := func() (out, log string) {
		t.Helper()
		var o, l bytes.Buffer
		if err := run(context.Background(), []string{"reindex", "--data", data, "--log-level", "info"}, env(nil), &o, &l); err != nil {
			t.Fatalf("reindex: %v\n%s", err, l.String())
		}
		return o.String(), l.String()
	}
	for _, when := range []string{"missing index", "index in place"} {
		out, log := reindex()
		if n := strings.Count(log, `msg="search: index rebuilt"`); n != 1 {
			t.Errorf("%s: %d builds, want 1; log:\n%s", when, n, log)
		}
		if !strings.Contains(out, "search index rebuilt: 0 posts") {
			t.Errorf("%s: printed %q", when, out)
		}
		if _, err := os.Stat(filepath.Join(data, "search", "index")); err != nil {
			t.Errorf("%s: %v", when, err)
		}
	}
}
