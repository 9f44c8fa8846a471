package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The watchers must see what they are there for: a blocked inline script
// (CSP), an uncaught exception and a dialog; and artifacts must be written.
func TestHarnessSeesProblems(t *testing.T) {
	site := Start(t)
	b := site.Browser(t, "probe")
	b.Visit("/")
	if p := b.problems(true); len(p) != 0 {
		t.Fatalf("a clean page reports %q", p)
	}
	b.Eval(`(() => {
		const s = document.createElement('script');
		s.textContent = 'window.__ran = 1';
		document.body.appendChild(s);
		setTimeout(() => { throw new Error('probe exception'); }, 0);
		setTimeout(() => alert('probe dialog'), 0);
	})()`, nil)
	b.WaitFor(`(window.__cspViolations || []).length > 0`, "the CSP violation event")
	if b.Bool(`window.__ran === 1`) {
		t.Fatal("CSP did not block an inline script")
	}
	got := strings.Join(b.problems(true), "\n")
	t.Log(got)
	for _, want := range []string{"CSP violation: script-src-elem inline", "probe exception", `alert dialog "probe dialog"`} {
		if !strings.Contains(got, want) {
			t.Errorf("problems %q lack %q", got, want)
		}
	}

	dir := t.TempDir()
	b.saveArtifacts(dir)
	for _, f := range []string{"probe.png", "probe.html"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("artifact %s: %v", f, err)
		}
	}
}
