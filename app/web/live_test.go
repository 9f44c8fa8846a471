package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"testing"

	"parley/app/apptest"
)

var liveAttrs = regexp.MustCompile(`data-live="([^"]+)" data-last-event="(\d+)"`)

// The thread, forum and home pages tell static/js/live.js which channels
// to follow and where in the event log they were rendered. The position is
// read before the page's data, so it is never past what the page shows
// (the script asks for every event after it), nor past the log's end.
func TestLivePagesCarryLogPosition(t *testing.T) {
	w := newWorld(t)
	anna := w.a.Client().Register("anna")
	th := w.thread(anna, "general", "Live position", "Opening post")
	thread := fmt.Sprintf("/t/%d", th.Thread.ID)
	last := func() int64 {
		id, err := w.a.Store.LastEventID(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	for _, c := range []struct {
		name          string
		who           *apptest.Client
		path, channel string
	}{
		{"member", anna, "/", "home"},
		{"member", anna, "/f/general", "forum:general"},
		{"member", anna, thread, "thread:" + strconv.FormatInt(th.Thread.ID, 10)},
		{"visitor", w.a.Client(), "/", "home"},
		{"visitor", w.a.Client(), "/f/general", "forum:general"},
		{"visitor", w.a.Client(), thread, "thread:" + strconv.FormatInt(th.Thread.ID, 10)},
	} {
		for range 2 { // a visitor's second answer may come from the page cache
			before := last()
			body := page(t, c.who, c.path, http.StatusOK)
			after := last()
			m := liveAttrs.FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("%s %s: no data-live with data-last-event", c.name, c.path)
			}
			id, _ := strconv.ParseInt(m[2], 10, 64)
			if m[1] != c.channel || id <= 0 || id > after || (c.name == "member" && id < before) {
				t.Errorf("%s %s: data-live=%q data-last-event=%d, want %q and an id in [%d, %d]", c.name, c.path, m[1], id, c.channel, before, after)
			}
		}
	}
}
