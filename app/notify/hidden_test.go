package notify_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"gorm.io/gorm"

	"parley/app/forum"
)

// hide hides a post the way the moderation package does: forum.HidePost
// inside a transaction, as actor.
func (w *world) hide(t *testing.T, actorID, postID int64) {
	t.Helper()
	err := w.a.Store.Tx(context.Background(), func(tx *gorm.DB) error {
		ps, err := w.a.Forum.PostStateIn(tx, postID)
		if err != nil {
			return err
		}
		_, err = w.a.Forum.HidePost(tx, actorID, ps, forum.HiddenByFlags)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A hidden post tells its author, once, without naming who hid it, and
// the list page says so in words.
func TestPostHiddenNotifiesAuthor(t *testing.T) {
	w := newWorld(t)
	_, postID := thread(w.anna, t, w.generalSlug, "A post that gets hidden", "Borderline text")
	w.hide(t, w.modID, postID)
	w.a.Settle()
	var l struct {
		Notifications []struct {
			Kind  string `json:"kind"`
			Actor struct {
				ID int64 `json:"id"`
			} `json:"actor"`
			PostID int64 `json:"post_id"`
		} `json:"notifications"`
		Unread int `json:"unread"`
	}
	w.anna.Must(http.StatusOK, "GET", "/api/v1/notifications", nil).JSON(t, &l)
	if len(l.Notifications) != 1 || l.Notifications[0].Kind != "post_hidden" || l.Notifications[0].PostID != postID ||
		l.Notifications[0].Actor.ID != w.annaID || l.Unread != 1 {
		t.Fatalf("anna's notifications %+v", l)
	}
	page := string(w.anna.Must(http.StatusOK, "GET", "/notifications", nil).Body)
	if !strings.Contains(page, "Your post in <a class=\"notification-link\" href=\"/p/"+fmt.Sprint(postID)+"\">A post that gets hidden</a> was hidden pending review") ||
		strings.Contains(page, "mod_mia") {
		t.Fatal("the notifications page does not say that the post was hidden, or names who hid it")
	}
	// Hidden again after being shown: the author is not told twice.
	err := w.a.Store.Tx(context.Background(), func(tx *gorm.DB) error {
		ps, err := w.a.Forum.PostStateIn(tx, postID)
		if err != nil {
			return err
		}
		_, err = w.a.Forum.UnhidePost(tx, w.modID, ps)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	w.hide(t, w.modID, postID)
	w.a.Settle()
	w.anna.Must(http.StatusOK, "GET", "/api/v1/notifications", nil).JSON(t, &l)
	if len(l.Notifications) != 1 {
		t.Fatalf("%d notifications after a second hide", len(l.Notifications))
	}
}
