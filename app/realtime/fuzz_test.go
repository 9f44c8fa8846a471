package realtime

import (
	"strconv"
	"strings"
	"testing"
)

// FuzzParseChannel: any string a client sends as a channel either parses to
// exactly what it says or is refused; nothing panics, and a parsed name
// always round-trips.
func FuzzParseChannel(f *testing.F) {
	for _, s := range []string{"home", "user", "thread:1", "thread:01", "thread:-1", "thread:9223372036854775808",
		"forum:gear-talk", "forum:Gear", "forum:a--b", "forum:", "thread:", ":", "user:5", "home ", "forum:" + strings.Repeat("a", 65)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ch, ok := parseChannel(s)
		if !ok {
			return
		}
		if ch.name != s {
			t.Fatalf("parsed %q as name %q", s, ch.name)
		}
		switch ch.kind {
		case kindThread:
			if ch.thread <= 0 || "thread:"+strconv.FormatInt(ch.thread, 10) != s || ch.key != s {
				t.Fatalf("thread channel %q parsed as %+v", s, ch)
			}
		case kindForum:
			if ch.slug == "" || len(ch.slug) > 64 || "forum:"+ch.slug != s || strings.ToLower(ch.slug) != ch.slug {
				t.Fatalf("forum channel %q parsed as %+v", s, ch)
			}
		case kindHome, kindUser:
			if s != "home" && s != "user" {
				t.Fatalf("%q parsed as kind %d", s, ch.kind)
			}
		default:
			t.Fatalf("%q: unknown kind %d", s, ch.kind)
		}
	})
}
