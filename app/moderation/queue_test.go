package moderation_test

import (
	"math"
	"strconv"
	"testing"
	"time"

	"parley/app/auth"
	"parley/app/errs"
	"parley/app/moderation"
)

func postIDs(q *moderation.Queue) []int64 {
	out := make([]int64, len(q.Items))
	for i, it := range q.Items {
		out[i] = it.Post.ID
	}
	return out
}

func sameIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The queue comes highest priority first: weight, the reporters' trust,
// the thread's reach and the time waited all count, ties oldest first;
// filters narrow it and a cursor pages through it; items in forums a
// moderator cannot see are not there.
func TestQueueOrderFiltersAndPaging(t *testing.T) {
	w := newWorld(t)
	author := w.user("author", auth.RoleMember, 0)
	mod := w.user("mod_mia", auth.RoleModerator, 0)
	m0 := w.user("member0", auth.RoleMember, 0)
	m1 := w.user("member1", auth.RoleMember, 1)
	m3 := w.user("member3", auth.RoleMember, 3)
	start := w.now

	old := w.post(author, "general", "Old single flag")
	w.flag(m0, old.ID, moderation.ReasonSpam) // 10 + 0 + log2(2) = 11, +7.5 after 30 h
	w.now = start.Add(30 * time.Hour)
	busy := w.post(author, "general", "Busy thread")
	for i := range 14 {
		w.reply(author, busy.ThreadID, "reply "+strconv.Itoa(i))
	}
	w.flag(m0, busy.ID, moderation.ReasonOffTopic) // 10 + 0 + log2(16) = 14
	trusted := w.post(author, "deutsch", "Trusted reporter")
	w.flag(m1, trusted.ID, moderation.ReasonRude) // 10 + 2 + 1 = 13
	heavy := w.post(author, "club", "Two flags")
	w.flag(m0, heavy.ID, moderation.ReasonRude)
	w.flag(m3, heavy.ID, moderation.ReasonSpam) // 30 + 6 + 1 = 37
	tieA := w.post(author, "general", "Tie number one")
	tieB := w.post(author, "general", "Tie number two")
	w.flag(m0, tieA.ID, moderation.ReasonOffTopic) // 11
	w.flag(m0, tieB.ID, moderation.ReasonOffTopic) // 11
	tester := w.user("tester", auth.RoleMember, 0)
	w.exec("INSERT INTO group_members (group_id, user_id) SELECT id, ? FROM user_groups WHERE slug = 'beta'", tester.ID)
	tester = w.viewer(tester.ID)
	beta := w.post(tester, "beta", "Beta feature leak")
	w.flag(w.admin, beta.ID, moderation.ReasonSpam)

	queue := func(v *auth.Viewer, f moderation.QueueFilter) *moderation.Queue {
		t.Helper()
		q, err := w.m.Queue(ctx, v, f)
		if err != nil {
			t.Fatalf("queue %+v: %v", f, err)
		}
		return q
	}
	want := []int64{heavy.ID, old.ID, busy.ID, trusted.ID, tieA.ID, tieB.ID}
	q := queue(mod, moderation.QueueFilter{})
	if got := postIDs(q); !sameIDs(got, want) {
		t.Fatalf("moderator's queue %v, want %v", got, want)
	}
	for i, p := range []float64{37, 18.5, 14, 13, 11, 11} {
		if math.Abs(q.Items[i].Priority-p) > 0.01 {
			t.Errorf("item %d priority %v, want %v", i, q.Items[i].Priority, p)
		}
	}
	if got := postIDs(queue(w.admin, moderation.QueueFilter{})); len(got) != 7 || got[0] != beta.ID {
		t.Fatalf("admin's queue %v should start with the beta item", got)
	}
	betaItem := w.itemOf(w.admin, beta.ID)
	if _, err := w.m.Item(ctx, mod, betaItem.ID); !errs.Is(err, errs.KindNotFound) {
		t.Fatalf("a moderator reads an item of a forum they cannot see: %v", err)
	}

	filters := []struct {
		f    moderation.QueueFilter
		want []int64
	}{
		{moderation.QueueFilter{Forum: "deutsch"}, []int64{trusted.ID}},
		{moderation.QueueFilter{Language: "de"}, []int64{trusted.ID}},
		{moderation.QueueFilter{Language: "en"}, []int64{heavy.ID, old.ID, busy.ID, tieA.ID, tieB.ID}},
		{moderation.QueueFilter{Reason: "spam"}, []int64{heavy.ID, old.ID}},
		{moderation.QueueFilter{Reason: "off_topic"}, []int64{busy.ID, tieA.ID, tieB.ID}},
		{moderation.QueueFilter{Reason: "rude", Forum: "club"}, []int64{heavy.ID}},
		{moderation.QueueFilter{Kind: "flag", Reason: "guideline"}, []int64{}},
		{moderation.QueueFilter{Kind: "held_post"}, []int64{}},
	}
	for _, c := range filters {
		if got := postIDs(queue(mod, c.f)); !sameIDs(got, c.want) {
			t.Errorf("filter %+v: %v, want %v", c.f, got, c.want)
		}
	}

	// Assignee: a claim shows under "me" for its holder, under their id
	// for others, and no more under "none".
	if _, err := w.m.Claim(ctx, mod, w.itemOf(mod, trusted.ID).ID); err != nil {
		t.Fatal(err)
	}
	if got := postIDs(queue(mod, moderation.QueueFilter{Assignee: "me"})); !sameIDs(got, []int64{trusted.ID}) {
		t.Errorf("assignee=me: %v", got)
	}
	if got := postIDs(queue(w.admin, moderation.QueueFilter{Assignee: strconv.FormatInt(mod.ID, 10)})); !sameIDs(got, []int64{trusted.ID}) {
		t.Errorf("assignee=<mod>: %v", got)
	}
	if got := postIDs(queue(mod, moderation.QueueFilter{Assignee: "none"})); !sameIDs(got, []int64{heavy.ID, old.ID, busy.ID, tieA.ID, tieB.ID}) {
		t.Errorf("assignee=none: %v", got)
	}

	// Paging by cursor, two at a time, ends with an empty cursor.
	var paged []int64
	f := moderation.QueueFilter{Limit: 2}
	for range 4 {
		q := queue(mod, f)
		paged = append(paged, postIDs(q)...)
		if q.NextCursor == "" {
			break
		}
		f.Cursor = q.NextCursor
	}
	if !sameIDs(paged, want) {
		t.Fatalf("paged %v, want %v", paged, want)
	}

	for _, bad := range []moderation.QueueFilter{{Kind: "post"}, {Reason: "ugly"}, {Language: "fr"}, {Assignee: "bob"},
		{Assignee: "-3"}, {Limit: -1}, {Limit: 101}, {Forum: "nope"}, {Forum: "beta"}, {Cursor: "garbage!"}, {Cursor: "YWJj"}} {
		_, err := w.m.Queue(ctx, mod, bad)
		wantErr(t, "filter "+strconv.Quote(bad.Kind+bad.Reason+bad.Language+bad.Assignee+bad.Forum+bad.Cursor), err, errs.KindBadRequest)
	}
	for _, v := range []*auth.Viewer{auth.Anonymous(), author} {
		_, err := w.m.Queue(ctx, v, moderation.QueueFilter{})
		if !errs.Is(err, errs.KindUnauthenticated) && !errs.Is(err, errs.KindForbidden) {
			t.Fatalf("%q reads the queue: %v", v.Username, err)
		}
	}
}

// Claims: one holder at a time, named to the others; renewed by the
// holder; lapsing after ClaimFor without a renewal (the clock is moved,
// not waited for); released by the holder only.
func TestClaims(t *testing.T) {
	w := newWorld(t)
	author := w.user("author", auth.RoleMember, 0)
	anna := w.user("mod_anna", auth.RoleModerator, 0)
	ben := w.user("mod_ben", auth.RoleModerator, 0)
	p := w.post(author, "general", "Please look at this")
	w.flag(w.user("reporter", auth.RoleMember, 0), p.ID, moderation.ReasonSpam)
	id := w.itemOf(anna, p.ID).ID
	start := w.lastEvent()

	it, err := w.m.Claim(ctx, anna, id)
	if err != nil || it.Claim == nil || it.Claim.By.Username != "mod_anna" || !it.Claim.Until.Equal(w.now.Add(10*time.Minute)) {
		t.Fatalf("anna's claim: %+v, %v", it, err)
	}
	_, err = w.m.Claim(ctx, ben, id)
	wantErr(t, "ben claims anna's item", err, errs.KindConflict)
	if e, _ := errs.As(err); e.Message != "mod_anna has claimed this item until "+w.now.Add(10*time.Minute).Format("15:04")+" UTC" {
		t.Fatalf("conflict message %q", e.Message)
	}
	_, err = w.m.Act(ctx, ben, id, moderation.ActionInput{Action: "approve"})
	wantErr(t, "ben acts on anna's item", err, errs.KindConflict)
	_, err = w.m.Release(ctx, ben, id)
	wantErr(t, "ben releases anna's claim", err, errs.KindConflict)

	// Renewal: anna claims again at minute 8; at minute 12 it still holds.
	w.now = w.now.Add(8 * time.Minute)
	if _, err := w.m.Claim(ctx, anna, id); err != nil {
		t.Fatal(err)
	}
	w.now = w.now.Add(4 * time.Minute)
	_, err = w.m.Claim(ctx, ben, id)
	wantErr(t, "ben claims after anna renewed", err, errs.KindConflict)

	// Abandoned: 10 minutes after the renewal the claim is gone.
	w.now = w.now.Add(6*time.Minute + time.Second)
	if it := w.itemOf(ben, p.ID); it.Claim != nil {
		t.Fatalf("a lapsed claim still shows: %+v", it.Claim)
	}
	it, err = w.m.Claim(ctx, ben, id)
	if err != nil || it.Claim.By.ID != ben.ID {
		t.Fatalf("ben's claim after the lapse: %+v, %v", it, err)
	}
	// Release, then anna may take it again.
	if it, err := w.m.Release(ctx, ben, id); err != nil || it.Claim != nil {
		t.Fatalf("release: %+v, %v", it, err)
	}
	if it, err := w.m.Release(ctx, ben, id); err != nil || it.Claim != nil {
		t.Fatalf("releasing an unclaimed item: %+v, %v", it, err)
	}
	if _, err := w.m.Claim(ctx, anna, id); err != nil {
		t.Fatal(err)
	}
	claimed, released := w.events(start, "review.claimed"), w.events(start, "review.released")
	if len(claimed) != 4 || len(released) != 1 || claimed[3]["_scope"] != "staff" {
		t.Fatalf("events: %d claimed, %d released", len(claimed), len(released))
	}
	if by := claimed[0]["claimed_by"].(map[string]any); by["username"] != "mod_anna" || claimed[0]["item_id"] != float64(id) {
		t.Fatalf("review.claimed payload %v", claimed[0])
	}
	// Each claim and release is in the audit log, refused ones are not.
	if n := w.count("SELECT COUNT(*) FROM audit_log WHERE action = 'queue.claim' AND target_type = 'review_item' AND target_id = ?", id); n != 4 {
		t.Fatalf("%d queue.claim audit rows, want 4", n)
	}
	if n := w.count("SELECT COUNT(*) FROM audit_log WHERE action = 'queue.release' AND actor_id = ? AND target_id = ?", ben.ID, id); n != 1 {
		t.Fatalf("%d queue.release audit rows, want 1", n)
	}

	// Nobody claims an item about their own post.
	own := w.post(anna, "general", "Anna's own post")
	w.flag(w.user("critic", auth.RoleMember, 0), own.ID, moderation.ReasonRude)
	_, err = w.m.Claim(ctx, anna, w.itemOf(ben, own.ID).ID)
	wantErr(t, "claiming one's own post", err, errs.KindForbidden)
}
