package search_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"parley/app/apptest"
	"parley/app/search"
)

// TestHiddenForumsAcrossIDs checks the forum exclusion where forum ids
// sort differently as text than as numbers (1, 10, 11, 12, 2, …): the
// must-not ranges between the allowed ids are in the dictionary's byte
// order, and must hide exactly the forums a viewer may not see.
func TestHiddenForumsAcrossIDs(t *testing.T) {
	c := newCommunity(t) // forums 1–4: general (public), club (members), staff-room (staff), kaffee (public)
	vis := []string{"members", "public", "staff", "public", "members", "public", "staff", "public"}
	for i, v := range vis {
		c.admin.Must(http.StatusCreated, "POST", "/api/v1/forums", map[string]string{
			"name": fmt.Sprintf("Forum %d", i+5), "slug": fmt.Sprintf("forum-%d", i+5), "visibility": v})
	}
	slugs := []string{"general", "club", "staff-room", "kaffee"}
	for i := range vis {
		slugs = append(slugs, fmt.Sprintf("forum-%d", i+5))
	}
	for _, s := range slugs {
		c.thread(c.mod, s, "Wombat sighting in "+s, "A wombat crossed the trail.")
	}
	c.indexed()
	public := []string{"general", "kaffee", "forum-6", "forum-8", "forum-10", "forum-12"}
	members := append(slices.Clone(public), "club", "forum-5", "forum-9")
	for _, tt := range []struct {
		name   string
		client *apptest.Client
		want   []string
	}{
		{"anonymous", c.anon, public},
		{"member", c.anna, members},
		{"staff", c.mod, slugs},
	} {
		t.Run(tt.name, func(t *testing.T) {
			want := slices.Sorted(slices.Values(tt.want))
			r := find(t, tt.client, "wombat")
			got := slices.Sorted(slices.Values(r.forums()))
			if r.Total != int64(len(want)) || strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("wombat: total %d, forums %v; want %v", r.Total, got, want)
			}
			// Operators only, no words: the exclusion applies alone.
			if r := find(t, tt.client, "author:moritz"); r.Total != int64(len(want)) {
				t.Errorf("author:moritz: total %d, want %d", r.Total, len(want))
			}
			var s struct {
				Suggestions []struct{ Forum struct{ Slug string } } `json:"suggestions"`
			}
			tt.client.Must(http.StatusOK, "GET", "/api/v1/search/suggest?q=womb", nil).JSON(t, &s)
			if len(s.Suggestions) != min(len(want), search.MaxSuggestions) {
				t.Errorf("%d suggestions, want %d", len(s.Suggestions), min(len(want), search.MaxSuggestions))
			}
			for _, x := range s.Suggestions {
				if !slices.Contains(want, x.Forum.Slug) {
					t.Errorf("suggestion from %s leaked", x.Forum.Slug)
				}
			}
		})
	}
}

// TestEqualScoresNewestFirst: posts that score the same (the same words)
// read newest first on a page sorted by relevance.
func TestEqualScoresNewestFirst(t *testing.T) {
	c := newCommunity(t)
	th := c.thread(c.anna, "general", "Burrows", "Where do they live?")
	var ids []int64
	for range 4 {
		ids = append(ids, c.reply(c.anna, th.Thread.ID, "A quokka smiled at me."))
	}
	c.indexed()
	r := find(t, c.anon, "quokka")
	slices.Reverse(ids)
	if got := r.ids(); !slices.Equal(got, ids) {
		t.Errorf("quokka: %v, want newest first %v", got, ids)
	}
	if len(r.Results) > 0 && !strings.Contains(r.Results[0].Snippet, "<mark>quokka</mark>") {
		t.Errorf("snippet %q", r.Results[0].Snippet)
	}
}

// TestCommonWordUnscored: a word in most posts, beside a rare one, is
// required without being scored; it still narrows the results and is
// marked in the snippets.
func TestCommonWordUnscored(t *testing.T) {
	c := newCommunity(t)
	th := c.thread(c.anna, "general", "Trail log", "The trail was muddy.")
	for i := range 20 {
		c.reply(c.anna, th.Thread.ID, fmt.Sprintf("Day %d on the trail, dry.", i))
	}
	want := c.reply(c.anna, th.Thread.ID, "An otter crossed the trail.")
	c.reply(c.anna, th.Thread.ID, "An otter in the river.")
	c.indexed()
	r := find(t, c.anon, "trail otter")
	if r.Total != 1 || len(r.Results) != 1 || r.Results[0].PostID != want {
		t.Fatalf("trail otter: total %d, %v; want [%d]", r.Total, r.ids(), want)
	}
	if s := r.Results[0].Snippet; !strings.Contains(s, "<mark>otter</mark>") || !strings.Contains(s, "<mark>trail</mark>") {
		t.Errorf("snippet %q", s)
	}
	if r := find(t, c.anon, "trail dry"); r.Total != 20 {
		t.Errorf("trail dry (both common): total %d, want 20", r.Total)
	}
	if r := find(t, c.anon, `trail "otter crossed"`); r.Total != 1 {
		t.Errorf(`trail "otter crossed": total %d`, r.Total)
	}
}
