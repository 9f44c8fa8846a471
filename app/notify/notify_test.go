package notify_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"parley/app/apptest"
	"parley/app/auth"
	"parley/app/config"
)

// world is a running app with a public forum, a staff-only forum and a few
// people. Everything goes through the HTTP API, as a browser would.
type world struct {
	a                      *apptest.App
	admin, mod             *apptest.Client
	anna, ben, carl        *apptest.Client
	annaID, benID, carlID  int64
	modID, adminID         int64
	generalSlug, staffSlug string
}

func newWorld(t *testing.T, opts ...apptest.Option) *world {
	t.Helper()
	a := apptest.New(t, opts...)
	w := &world{a: a, admin: a.User("root_admin", auth.RoleAdmin), mod: a.User("mod_mia", auth.RoleModerator),
		generalSlug: "general", staffSlug: "staff-room"}
	w.admin.Must(http.StatusCreated, "POST", "/api/v1/forums", map[string]any{"name": "General", "slug": "general", "visibility": "public"})
	w.admin.Must(http.StatusCreated, "POST", "/api/v1/forums", map[string]any{"name": "Staff room", "slug": "staff-room", "visibility": "staff"})
	w.anna, w.ben, w.carl = a.Client().Register("anna"), a.Client().Register("ben"), a.Client().Register("carl")
	for name, id := range map[string]*int64{"anna": &w.annaID, "ben": &w.benID, "carl": &w.carlID, "mod_mia": &w.modID, "root_admin": &w.adminID} {
		*id = userID(t, a, name)
	}
	return w
}

func userID(t *testing.T, a *apptest.App, name string) int64 {
	t.Helper()
	u, err := a.Auth.UserByName(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// thread starts a thread and returns its id and its first post's id.
func thread(c *apptest.Client, t *testing.T, slug, title, body string) (threadID, postID int64) {
	t.Helper()
	var out struct {
		Thread struct{ ID int64 } `json:"thread"`
		Post   struct{ ID int64 } `json:"post"`
	}
	c.Must(http.StatusCreated, "POST", "/api/v1/forums/"+slug+"/threads", map[string]string{"title": title, "body": body}).JSON(t, &out)
	return out.Thread.ID, out.Post.ID
}

func reply(c *apptest.Client, t *testing.T, threadID int64, body string) int64 {
	t.Helper()
	var out struct{ ID int64 }
	c.Must(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/threads/%d/posts", threadID), map[string]string{"body": body}).JSON(t, &out)
	return out.ID
}

// quote is what the quote button puts into the composer.
func quote(c *apptest.Client, t *testing.T, postID int64) string {
	t.Helper()
	var q struct {
		Markdown string `json:"markdown"`
	}
	c.Must(http.StatusOK, "GET", fmt.Sprintf("/api/v1/posts/%d/quote", postID), nil).JSON(t, &q)
	if !strings.Contains(q.Markdown, fmt.Sprintf("(/p/%d)", postID)) {
		t.Fatalf("quote of %d: %q", postID, q.Markdown)
	}
	return q.Markdown
}

// note is one stored notification, read straight from the table.
type note struct {
	UserID, ActorID, PostID, ThreadID int64
	Kind                              string
}

func (n note) String() string {
	return fmt.Sprintf("%s to %d by %d on post %d", n.Kind, n.UserID, n.ActorID, n.PostID)
}

// stored lists every notification once the consumer has caught up.
func stored(t *testing.T, a *apptest.App) []note {
	t.Helper()
	a.Settle()
	var out []note
	if err := a.Store.R.Raw("SELECT user_id, actor_id, post_id, thread_id, kind FROM notifications ORDER BY id").Scan(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

func sameNotes(t *testing.T, got, want []note) {
	t.Helper()
	str := func(ns []note) []string {
		var s []string
		for _, n := range ns {
			s = append(s, n.String())
		}
		slices.Sort(s)
		return s
	}
	if g, w := str(got), str(want); !slices.Equal(g, w) {
		t.Fatalf("notifications:\n got  %v\n want %v", g, w)
	}
}

// Each kind reaches the right person exactly once, and nobody hears about
// their own doing.
func TestEachKindNotifiesTheRightPersonOnce(t *testing.T) {
	w := newWorld(t)
	th, first := thread(w.anna, t, w.generalSlug, "Trail conditions this week", "Anyone been up the north ridge?")

	plain := reply(w.ben, t, th, "Muddy but fine.")
	mention := reply(w.ben, t, th, "@carl was there on Sunday, ask him.")
	// carl quotes anna: she is the quoted author, @mentioned by the quote's
	// header and the thread's author; she gets one notification, a quote.
	quoted := reply(w.carl, t, th, quote(w.carl, t, first)+"Still muddy, take poles.")
	// Talking to yourself rings no bell.
	reply(w.anna, t, th, "Thanks all, and a note to self: @anna buy poles.")
	w.carl.Must(http.StatusForbidden, "PUT", fmt.Sprintf("/api/v1/posts/%d/reactions/like", quoted), nil) // one's own post
	w.ben.Must(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/posts/%d/reactions/like", first), nil)
	// Switching kind, taking it back and adding it again notify nobody new.
	w.ben.Must(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/posts/%d/reactions/thanks", first), nil)
	w.ben.Must(http.StatusOK, "DELETE", fmt.Sprintf("/api/v1/posts/%d/reactions/thanks", first), nil)
	w.ben.Must(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/posts/%d/reactions/like", first), nil)
	// A second person's reaction to the same post: still one reaction
	// notification per post (the dedupe rule), so no new one.
	w.carl.Must(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/posts/%d/reactions/insightful", first), nil)

	sameNotes(t, stored(t, w.a), []note{
		{UserID: w.annaID, ActorID: w.benID, PostID: plain, ThreadID: th, Kind: "reply_thread"},
		{UserID: w.annaID, ActorID: w.benID, PostID: mention, ThreadID: th, Kind: "reply_thread"},
		{UserID: w.carlID, ActorID: w.benID, PostID: mention, ThreadID: th, Kind: "mention"},
		{UserID: w.annaID, ActorID: w.carlID, PostID: quoted, ThreadID: th, Kind: "quote"},
		{UserID: w.annaID, ActorID: w.benID, PostID: first, ThreadID: th, Kind: "reaction"},
	})

	// Each written notification has exactly one notification.created event,
	// addressed to its recipient, with the unread count after it.
	var evs []struct{ Scope, Payload string }
	w.a.Store.R.Raw("SELECT scope, payload FROM events WHERE type = 'notification.created' ORDER BY id").Scan(&evs)
	if len(evs) != 5 {
		t.Fatalf("%d notification.created events, want 5", len(evs))
	}
	annaScope := fmt.Sprintf("user:%d", w.annaID)
	if last := evs[len(evs)-1]; last.Scope != annaScope || !strings.Contains(last.Payload, `"unread":4`) ||
		!strings.Contains(last.Payload, `"kind":"reaction"`) || !strings.Contains(last.Payload, `"thread_title":"Trail conditions this week"`) ||
		!strings.Contains(last.Payload, `"username":"ben"`) {
		t.Errorf("last event %+v", last)
	}
}

// A mention in a forum the mentioned member cannot see tells them nothing,
// not even that the thread exists; staff in the same post are notified.
func TestMentionInAForumYouCannotSeeNotifiesNobody(t *testing.T) {
	w := newWorld(t)
	th, first := thread(w.admin, t, w.staffSlug, "About @anna's report", "@anna and @mod_mia: please look at this.")
	sameNotes(t, stored(t, w.a), []note{{UserID: w.modID, ActorID: w.adminID, PostID: first, ThreadID: th, Kind: "mention"}})
	if r := w.anna.Must(http.StatusOK, "GET", "/api/v1/notifications", nil).Map(t); r["unread"] != 0.0 {
		t.Fatalf("anna's list: %v", r)
	}
}

// An edit that adds a mention notifies the newly mentioned; editing again
// (or mentioning someone already told about the post) does not repeat it.
func TestEditAddingAMentionNotifiesOnce(t *testing.T) {
	w := newWorld(t)
	th, _ := thread(w.anna, t, w.generalSlug, "Gear swap on Saturday", "Bring what you do not use.")
	p := reply(w.ben, t, th, "I have a spare stove.")
	edit := func(body string) {
		t.Helper()
		w.ben.Must(http.StatusOK, "PATCH", fmt.Sprintf("/api/v1/posts/%d", p), map[string]string{"body": body})
	}
	edit("I have a spare stove, @carl wanted one.")
	edit("I have a spare stove, @carl wanted one. Also a tent.")
	edit("I have a spare stove, @carl wanted one. @anna, can we meet at noon?") // anna already heard (reply_thread)
	sameNotes(t, stored(t, w.a), []note{
		{UserID: w.annaID, ActorID: w.benID, PostID: p, ThreadID: th, Kind: "reply_thread"},
		{UserID: w.carlID, ActorID: w.benID, PostID: p, ThreadID: th, Kind: "mention"},
	})
}

// Deleting a post takes its notifications with it (their links would lead
// nowhere), and the bell hears about it.
func TestDeletedPostTakesItsNotifications(t *testing.T) {
	w := newWorld(t)
	th, _ := thread(w.anna, t, w.generalSlug, "Lost and found", "A blue glove at the hut.")
	p := reply(w.ben, t, th, "@carl is it yours?")
	if n := len(stored(t, w.a)); n != 2 {
		t.Fatalf("%d notifications before the delete, want 2", n)
	}
	w.ben.Must(http.StatusNoContent, "DELETE", fmt.Sprintf("/api/v1/posts/%d", p), nil)
	if n := stored(t, w.a); len(n) != 0 {
		t.Fatalf("left after the delete: %v", n)
	}
	var reads []string
	w.a.Store.R.Raw("SELECT payload FROM events WHERE type = 'notification.read' AND scope = ?", fmt.Sprintf("user:%d", w.carlID)).Scan(&reads)
	if len(reads) != 1 || !strings.Contains(reads[0], `"unread":0`) {
		t.Fatalf("carl's notification.read events: %v", reads)
	}
}

// The consumer keeps its position in the database with the notifications
// it writes: a new process on the same data neither repeats what the old
// one wrote nor skips what happened while none was running. Even from a
// position rewound to the start, nothing is written twice.
func TestRestartNeitherDuplicatesNorSkips(t *testing.T) {
	w := newWorld(t)
	th, _ := thread(w.anna, t, w.generalSlug, "Hut booking", "Who is in for March?")
	before := reply(w.ben, t, th, "Me, and @carl too.")
	if n := len(stored(t, w.a)); n != 2 {
		t.Fatalf("%d notifications before the stop, want 2", n)
	}

	w.a.Notify.Close() // the notifier is down; the forum goes on
	during := reply(w.carl, t, th, "Count me in, @ben.")
	sameDir := func(c *config.Config) { c.DataDir, c.DatabaseURL = w.a.Config.DataDir, w.a.Config.DatabaseURL }
	b := apptest.New(t, sameDir)
	want := []note{
		{UserID: w.annaID, ActorID: w.benID, PostID: before, ThreadID: th, Kind: "reply_thread"},
		{UserID: w.carlID, ActorID: w.benID, PostID: before, ThreadID: th, Kind: "mention"},
		{UserID: w.annaID, ActorID: w.carlID, PostID: during, ThreadID: th, Kind: "reply_thread"},
		{UserID: w.benID, ActorID: w.carlID, PostID: during, ThreadID: th, Kind: "mention"},
	}
	sameNotes(t, stored(t, b), want)

	b.Notify.Close()
	if err := b.Store.W.Exec("UPDATE consumer_positions SET position = 0").Error; err != nil {
		t.Fatal(err)
	}
	c := apptest.New(t, sameDir)
	sameNotes(t, stored(t, c), want)
	var events int64
	c.Store.R.Raw("SELECT COUNT(*) FROM events WHERE type = 'notification.created'").Scan(&events)
	if events != int64(len(want)) {
		t.Fatalf("%d notification.created events for %d notifications", events, len(want))
	}
}

// A fresh install or an upgrade starts at the end of the log: old posts
// do not turn into notifications.
func TestFirstStartDoesNotBackfill(t *testing.T) {
	w := newWorld(t)
	th, _ := thread(w.anna, t, w.generalSlug, "Old news", "From before notifications existed.")
	if n := len(stored(t, w.a)); n != 0 {
		t.Fatalf("%d notifications", n)
	}
	w.a.Notify.Close()
	old := reply(w.ben, t, th, "@carl, from the old days.")
	// Forget the position, as on a database from before this feature.
	if err := w.a.Store.W.Exec("DELETE FROM consumer_positions").Error; err != nil {
		t.Fatal(err)
	}
	b := apptest.New(t, func(c *config.Config) { c.DataDir, c.DatabaseURL = w.a.Config.DataDir, w.a.Config.DatabaseURL })
	if n := stored(t, b); len(n) != 0 {
		t.Fatalf("backfilled %v (post %d)", n, old)
	}
	fresh := reply(w.ben, t, th, "@carl, from today.")
	sameNotes(t, stored(t, b), []note{
		{UserID: w.annaID, ActorID: w.benID, PostID: fresh, ThreadID: th, Kind: "reply_thread"},
		{UserID: w.carlID, ActorID: w.benID, PostID: fresh, ThreadID: th, Kind: "mention"},
	})
}
