package search_test

import (
	"net/http"
	"slices"
	"testing"
)

// TestSuggestEqualTitlesNewestFirst: titles that match equally well are
// suggested newest first.
func TestSuggestEqualTitlesNewestFirst(t *testing.T) {
	c := newCommunity(t)
	var want []int64
	for range 3 {
		want = append(want, c.thread(c.anna, "general", "Kayak trip", "Paddling notes.").Thread.ID)
	}
	c.indexed()
	var s struct {
		Suggestions []struct {
			ThreadID int64 `json:"thread_id"`
		} `json:"suggestions"`
	}
	c.anon.Must(http.StatusOK, "GET", "/api/v1/search/suggest?q=kayak+tr", nil).JSON(t, &s)
	var got []int64
	for _, x := range s.Suggestions {
		got = append(got, x.ThreadID)
	}
	slices.Reverse(want)
	if !slices.Equal(got, want) {
		t.Errorf("suggestions %v, want newest first %v", got, want)
	}
}
