package search_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"gorm.io/gorm"

	"parley/app/store"
)

// Any post.* event makes the index re-read its post, so a new kind of
// change to posts (written here straight to the tables, with an event
// type the indexer has never heard of) reaches the index unchanged.
func TestAnyPostEventRereadsThePost(t *testing.T) {
	c := newCommunity(t)
	th := c.thread(c.anna, "general", "Moth trap", "A moth trap by the shed.")
	rep := c.reply(c.anna, th.Thread.ID, "An emperor moth tonight.")
	c.indexed()
	s := c.a.Search

	err := c.a.Store.Tx(context.Background(), func(tx *gorm.DB) error {
		if err := tx.Exec("UPDATE posts SET deleted_at = ? WHERE id = ?", time.Now().UTC(), rep).Error; err != nil {
			return err
		}
		_, err := store.Emit(tx, "post.withdrawn", store.ForumScope(1), 0, fmt.Sprintf("post:%d", rep),
			map[string]any{"post_id": rep, "thread_id": th.Thread.ID})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	c.indexed()
	if got := matching(t, s, "emperor"); len(got) > 0 {
		t.Errorf("emperor finds %v after post.withdrawn", got)
	}
	if got, want := indexedIDs(t, s), visiblePosts(t, c.a); !slices.Equal(got, want) {
		t.Errorf("index holds %v, the database %v", got, want)
	}
}
