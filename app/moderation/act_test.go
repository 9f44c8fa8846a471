package moderation_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"parley/app/auth"
	"parley/app/errs"
	"parley/app/forum"
	"parley/app/moderation"
)

// act runs an action and fails the test on an error.
func (w *world) act(v *auth.Viewer, itemID int64, action, note string) *moderation.Item {
	w.t.Helper()
	it, err := w.m.Act(ctx, v, itemID, moderation.ActionInput{Action: action, Note: note})
	if err != nil {
		w.t.Fatalf("%s %s item %d: %v", v.Username, action, itemID, err)
	}
	return it
}

func (w *world) flagStatuses(itemID int64) string {
	w.t.Helper()
	var s []string
	if err := w.a.Store.R.Raw("SELECT status FROM flags WHERE item_id = ? ORDER BY id", itemID).Scan(&s).Error; err != nil {
		w.t.Fatal(err)
	}
	return strings.Join(s, ",")
}

// What each action does to the post, the item, its flags and the log.
func TestActions(t *testing.T) {
	w := newWorld(t)
	author := w.user("author", auth.RoleMember, 0)
	anna := w.user("mod_anna", auth.RoleModerator, 0)
	strong := w.user("strong", auth.RoleMember, 4) // weight 3: hides alone
	weak := w.user("weak", auth.RoleMember, 0)
	first := w.post(author, "general", "Thread of flagged replies")
	posts := map[string]*forum.PostView{}
	for _, name := range []string{"approve", "hide", "delete", "dismissHidden", "dismiss", "lock"} {
		posts[name] = w.reply(author, first.ThreadID, "reply for "+name)
	}
	w.flag(strong, posts["approve"].ID, moderation.ReasonRude)
	w.flag(weak, posts["hide"].ID, moderation.ReasonRude)
	w.flag(weak, posts["delete"].ID, moderation.ReasonSpam)
	w.flag(strong, posts["dismissHidden"].ID, moderation.ReasonSpam)
	w.flag(weak, posts["dismiss"].ID, moderation.ReasonOffTopic)
	w.flag(weak, posts["lock"].ID, moderation.ReasonOffTopic)
	item := func(name string) int64 { return w.itemOf(anna, posts[name].ID).ID }
	ids := map[string]int64{}
	for name := range posts {
		ids[name] = item(name)
	}

	// approve: the hidden post is shown again; flags dismissed.
	start := w.lastEvent()
	it := w.act(anna, ids["approve"], "approve", "fine, just blunt")
	if it.Status != "resolved" || it.Resolution != "approved" || it.ResolvedBy.Username != "mod_anna" || it.FirstActionAt == nil || it.Claim != nil {
		t.Fatalf("approved item %+v", it)
	}
	if w.hidden(posts["approve"].ID) || w.flagStatuses(ids["approve"]) != "dismissed" {
		t.Fatal("approve left the post hidden or the flag pending")
	}
	if n := w.count("SELECT COUNT(*) FROM review_items WHERE id = ? AND note = ?", ids["approve"], "fine, just blunt"); n != 1 {
		t.Fatal("the note was not kept")
	}
	un, res := w.events(start, "post.unhidden"), w.events(start, "review.resolved")
	if len(un) != 1 || un[0]["post_id"] != float64(posts["approve"].ID) || un[0]["_scope"] != "forum:1" {
		t.Fatalf("post.unhidden %v", un)
	}
	if len(res) != 1 || res[0]["resolution"] != "approved" || res[0]["action"] != "approve" || res[0]["_scope"] != "staff" {
		t.Fatalf("review.resolved %v", res)
	}
	if _, ok := res[0]["note"]; ok {
		t.Fatal("the note travels to every staff member in the event")
	}
	var rows []struct {
		ActorID, TargetID, TargetUserID, ForumID int64
		ActorRole, Action, TargetType, Reason    string
		Note, BeforeJSON, AfterJSON              string
	}
	if err := w.a.Store.R.Raw("SELECT * FROM audit_log WHERE action LIKE 'review.%'").Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].ActorID != anna.ID || rows[0].ActorRole != "moderator" || rows[0].Action != "review.approve" ||
		rows[0].TargetType != "post" || rows[0].TargetID != posts["approve"].ID || rows[0].TargetUserID != author.ID ||
		rows[0].ForumID != 1 || rows[0].Reason != "Rude or abusive ×1" || rows[0].Note != "fine, just blunt" ||
		rows[0].BeforeJSON != `{"deleted":false,"hidden":true,"locked":false}` || rows[0].AfterJSON != `{"deleted":false,"hidden":false,"locked":false}` {
		t.Fatalf("audit rows %+v", rows)
	}
	_, err := w.m.Act(ctx, anna, ids["approve"], moderation.ActionInput{Action: "hide"})
	wantErr(t, "acting on a resolved item", err, errs.KindConflict)

	// hide: a visible post is hidden by the moderator; flags upheld.
	start = w.lastEvent()
	w.act(anna, ids["hide"], "hide", "")
	if !w.hidden(posts["hide"].ID) || w.flagStatuses(ids["hide"]) != "upheld" {
		t.Fatal("hide did not hide or uphold")
	}
	if h := w.events(start, "post.hidden"); len(h) != 1 || h[0]["reason"] != "moderator" {
		t.Fatalf("post.hidden %v", h)
	}

	// delete: the post is deleted, as its author would; flags upheld.
	start = w.lastEvent()
	w.act(anna, ids["delete"], "delete", "")
	if p, _, _ := w.a.Forum.PostByID(ctx, anna, posts["delete"].ID); !p.Deleted || w.flagStatuses(ids["delete"]) != "upheld" {
		t.Fatal("delete did not delete or uphold")
	}
	if d := w.events(start, "post.deleted"); len(d) != 1 || d[0]["thread_deleted"] != nil {
		t.Fatalf("post.deleted %v", d)
	}

	// dismiss is refused on a hidden post (approve or hide decide it) and
	// writes nothing; on a visible one it only closes the item.
	start, before := w.lastEvent(), w.changes()
	_, err = w.m.Act(ctx, anna, ids["dismissHidden"], moderation.ActionInput{Action: "dismiss"})
	wantErr(t, "dismiss on a hidden post", err, errs.KindConflict)
	if w.changes() != before || w.flagStatuses(ids["dismissHidden"]) != "pending" {
		t.Fatal("a refused dismiss wrote something")
	}
	w.act(anna, ids["dismiss"], "dismiss", "")
	if w.flagStatuses(ids["dismiss"]) != "dismissed" || len(w.events(start, "post.hidden"))+len(w.events(start, "post.unhidden")) != 0 {
		t.Fatal("dismiss touched the post or left the flag")
	}

	// lock: the thread is locked, the item stays open and anna holds it.
	start = w.lastEvent()
	it = w.act(anna, ids["lock"], "lock", "cooling down")
	if it.Status != "pending" || it.Claim == nil || it.Claim.By.ID != anna.ID || it.FirstActionAt == nil || !it.Thread.Locked {
		t.Fatalf("locked item %+v", it)
	}
	if u := w.events(start, "thread.updated"); len(u) != 1 || u[0]["locked"] != true || u[0]["thread_id"] != float64(first.ThreadID) {
		t.Fatalf("thread.updated %v", u)
	}
	if u := w.events(start, "review.updated"); len(u) != 1 || u[0]["action"] != "lock" {
		t.Fatalf("review.updated %v", u)
	}
	_, err = w.m.Act(ctx, anna, ids["lock"], moderation.ActionInput{Action: "lock"})
	wantErr(t, "locking a locked thread", err, errs.KindConflict)
	if w.flagStatuses(ids["lock"]) != "pending" {
		t.Fatal("lock settled the flags")
	}
	w.act(anna, ids["lock"], "approve", "")

	// Deleting the first post deletes the thread, like its author would.
	top := w.post(author, "general", "A thread opener")
	w.flag(weak, top.ID, moderation.ReasonSpam)
	start = w.lastEvent()
	w.act(anna, w.itemOf(anna, top.ID).ID, "delete", "")
	if d := w.events(start, "post.deleted"); len(d) != 1 || d[0]["thread_deleted"] != true {
		t.Fatalf("post.deleted of a first post %v", d)
	}

	// Bad input: a clear error, nothing written.
	before = w.changes()
	for _, in := range []moderation.ActionInput{{Action: ""}, {Action: "ban"}, {Action: "approve", Note: strings.Repeat("x", 1001)}, {Action: "approve", Note: "\x00"}} {
		_, err := w.m.Act(ctx, anna, ids["dismissHidden"], in)
		wantErr(t, "action "+in.Action, err, errs.KindInvalid)
	}
	_, err = w.m.Act(ctx, anna, 999999, moderation.ActionInput{Action: "approve"})
	wantErr(t, "a missing item", err, errs.KindNotFound)
	if w.changes() != before {
		t.Fatal("refused actions wrote events")
	}
	// One audit row per action taken: approve, hide, delete, dismiss, lock,
	// approve, delete; none for the refused ones.
	var actions []string
	if err := w.a.Store.R.Raw("SELECT action FROM audit_log WHERE action LIKE 'review.%' ORDER BY id").Scan(&actions).Error; err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(actions, ","); got != "review.approve,review.hide,review.delete,review.dismiss,review.lock,review.approve,review.delete" {
		t.Fatalf("audit actions %s", got)
	}
}

// The figures: waiting items, the oldest, the median time to first action
// over the last 7 days and resolutions per moderator.
func TestStats(t *testing.T) {
	w := newWorld(t)
	author := w.user("author", auth.RoleMember, 0)
	anna := w.user("mod_anna", auth.RoleModerator, 0)
	ben := w.user("mod_ben", auth.RoleModerator, 0)
	reporter := w.user("reporter", auth.RoleMember, 0)
	t0 := w.now
	flagged := func(title string) int64 {
		p := w.post(author, "general", title)
		w.flag(reporter, p.ID, moderation.ReasonSpam)
		return w.itemOf(anna, p.ID).ID
	}
	// Long ago: acted on after 5 hours, outside the window.
	w.now = t0.Add(-10 * 24 * time.Hour)
	ancient := flagged("Ancient item")
	w.now = w.now.Add(5 * time.Hour)
	w.act(ben, ancient, "approve", "")
	// Three items acted on after 10, 30 and 50 minutes; one still waits.
	w.now = t0
	a, b, c := flagged("Item a"), flagged("Item b"), flagged("Item c")
	w.now = t0.Add(10 * time.Minute)
	w.act(anna, a, "approve", "")
	w.now = t0.Add(30 * time.Minute)
	w.act(anna, b, "lock", "")
	w.now = t0.Add(50 * time.Minute)
	w.act(ben, c, "dismiss", "")
	w.now = t0.Add(60 * time.Minute)
	waiting := flagged("Item d")
	w.now = t0.Add(100 * time.Minute)

	st, err := w.m.Stats(ctx, anna)
	if err != nil {
		t.Fatal(err)
	}
	// b is locked, not resolved: it still waits, and is the oldest.
	if st.Waiting != 2 || st.OldestAt == nil || st.OldestAgeSeconds != 100*60 {
		t.Fatalf("waiting %d, oldest %v (%d s)", st.Waiting, st.OldestAt, st.OldestAgeSeconds)
	}
	if st.MedianFirstActionSeconds == nil || *st.MedianFirstActionSeconds != 30*60 || st.FirstActions != 3 {
		t.Fatalf("median %v over %d", st.MedianFirstActionSeconds, st.FirstActions)
	}
	got := fmt.Sprint(st.Moderators)
	// Actions, not items: anna approved and locked, ben dismissed (his
	// approval 10 days ago is outside the window).
	if len(st.Moderators) != 2 || st.Moderators[0].User.Username != "mod_anna" || st.Moderators[0].Actions != 2 ||
		st.Moderators[1].User.Username != "mod_ben" || st.Moderators[1].Actions != 1 {
		t.Fatalf("per moderator %s", got)
	}
	_ = waiting
	if _, err := w.m.Stats(ctx, author); !errs.Is(err, errs.KindForbidden) {
		t.Fatalf("a member reads the figures: %v", err)
	}
}

// Two moderators acting at once: one wins, the other learns who did, and
// the post changes once. Many first flags at once make one item.
func TestConcurrentFlagsAndActions(t *testing.T) {
	w := newWorld(t)
	author := w.user("author", auth.RoleMember, 0)
	p := w.post(author, "general", "Everyone flags this at once")
	var reporters []*auth.Viewer
	for i := range 8 {
		reporters = append(reporters, w.user(fmt.Sprintf("reporter%d", i), auth.RoleMember, 0))
	}
	var wg sync.WaitGroup
	errc := make(chan error, len(reporters))
	for _, r := range reporters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := w.m.Flag(ctx, r, p.ID, moderation.FlagInput{Reason: moderation.ReasonSpam})
			errc <- err
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Fatalf("concurrent flag: %v", err)
		}
	}
	if n := w.count("SELECT COUNT(*) FROM review_items WHERE post_id = ?", p.ID); n != 1 {
		t.Fatalf("%d items for one post", n)
	}
	it := w.itemOf(w.admin, p.ID)
	if it.Weight != 8 || len(it.Flags) != 8 || !w.hidden(p.ID) {
		t.Fatalf("item weight %v with %d flags, hidden %v", it.Weight, len(it.Flags), w.hidden(p.ID))
	}
	if n := len(w.events(0, "post.hidden")); n != 1 {
		t.Fatalf("%d post.hidden events", n)
	}

	anna := w.user("mod_anna", auth.RoleModerator, 0)
	ben := w.user("mod_ben", auth.RoleModerator, 0)
	start := w.lastEvent()
	results := make(chan error, 2)
	for _, c := range []struct {
		v      *auth.Viewer
		action string
	}{{anna, "approve"}, {ben, "delete"}} {
		go func() {
			_, err := w.m.Act(ctx, c.v, it.ID, moderation.ActionInput{Action: c.action})
			results <- err
		}()
	}
	var ok, conflict int
	for range 2 {
		switch err := <-results; {
		case err == nil:
			ok++
		case errs.Is(err, errs.KindConflict) && strings.Contains(err.Error(), "already resolved"):
			conflict++
		default:
			t.Fatalf("concurrent action: %v", err)
		}
	}
	if ok != 1 || conflict != 1 {
		t.Fatalf("%d succeeded, %d conflicted", ok, conflict)
	}
	if n := len(w.events(start, "review.resolved")); n != 1 {
		t.Fatalf("%d review.resolved events", n)
	}
	if n := len(w.events(start, "post.unhidden")) + len(w.events(start, "post.deleted")); n != 1 {
		t.Fatalf("the post changed %d times", n)
	}
}
