package moderation_test

import (
	"strings"
	"testing"

	"parley/app/auth"
	"parley/app/errs"
	"parley/app/moderation"
	"parley/app/notify"
	"parley/app/site"
)

// Flags add up by the reporters' trust levels; the post hides the moment
// the pending weight reaches the threshold, once, with one post.hidden.
func TestFlagWeightsHideAtThreshold(t *testing.T) {
	w := newWorld(t)
	author := w.user("author", auth.RoleMember, 0)
	tl0 := w.user("newbie", auth.RoleMember, 0)
	tl2 := w.user("regular", auth.RoleMember, 2)
	tl1 := w.user("basic", auth.RoleMember, 1)
	tl4 := w.user("leader", auth.RoleMember, 4)
	p := w.post(author, "general", "Buy cheap boots here")
	start := w.lastEvent()

	w.flag(tl0, p.ID, moderation.ReasonSpam) // 1.0
	w.flag(tl2, p.ID, moderation.ReasonSpam) // 2.5
	if w.hidden(p.ID) {
		t.Fatal("hidden at 2.5 of 3")
	}
	w.flag(tl1, p.ID, moderation.ReasonRude) // 3.5
	if !w.hidden(p.ID) {
		t.Fatal("not hidden at 3.5 of 3")
	}
	w.flag(tl4, p.ID, moderation.ReasonSpam) // already hidden: no second event
	it := w.itemOf(w.admin, p.ID)
	if it.Weight != 6.5 || it.Reasons["spam"] != 3 || it.Reasons["rude"] != 1 || len(it.Flags) != 4 {
		t.Fatalf("item weight %v reasons %v flags %d", it.Weight, it.Reasons, len(it.Flags))
	}
	if it.Flags[1].Reporter.Username != "regular" || it.Flags[1].Reporter.TrustLevel != 2 || it.Flags[1].Weight != 1.5 {
		t.Fatalf("second flag %+v", it.Flags[1])
	}
	hid := w.events(start, "post.hidden")
	if len(hid) != 1 || hid[0]["reason"] != "flags" || hid[0]["_scope"] != "forum:1" || hid[0]["post_id"] != float64(p.ID) ||
		hid[0]["thread_id"] != float64(p.ThreadID) || hid[0]["number"] != float64(1) || hid[0]["author_id"] != float64(author.ID) {
		t.Fatalf("post.hidden events %v", hid)
	}
	if c, u := w.events(start, "review.created"), w.events(start, "review.updated"); len(c) != 1 || len(u) != 3 ||
		c[0]["_scope"] != "staff" || u[2]["weight"] != 6.5 || u[2]["flags"] != float64(4) {
		t.Fatalf("review events: created %v, updated %v", c, u)
	}
	// Payloads carry no text: moderators who cannot see a forum get them too.
	for _, e := range append(w.events(start, "review.created"), w.events(start, "review.updated")...) {
		if _, ok := e["note"]; ok {
			t.Fatalf("a review event carries the reporter's note: %v", e)
		}
	}

	// The threshold is a setting: at 1.5 one trusted member's flag hides.
	if _, err := w.a.Site.SaveModeration(ctx, w.admin, site.Moderation{FlagThreshold: 1.5}); err != nil {
		t.Fatal(err)
	}
	if n := w.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'moderation.settings' AND actor_id = ?
		AND before_json = '{"flag_threshold":3}' AND after_json = '{"flag_threshold":1.5}'`, w.admin.ID); n != 1 {
		t.Fatalf("%d audit rows for the threshold change", n)
	}
	p2 := w.post(author, "general", "Another doubtful post")
	w.flag(tl0, p2.ID, moderation.ReasonOffTopic)
	if w.hidden(p2.ID) {
		t.Fatal("hidden at 1.0 of 1.5")
	}
	w.flag(tl2, p2.ID, moderation.ReasonOffTopic)
	if !w.hidden(p2.ID) {
		t.Fatal("not hidden at 2.5 of 1.5")
	}
	for _, bad := range []float64{0, 0.5, 101} {
		_, err := w.a.Site.SaveModeration(ctx, w.admin, site.Moderation{FlagThreshold: bad})
		wantErr(t, "threshold out of range", err, errs.KindInvalid)
	}
	_, err := w.a.Site.SaveModeration(ctx, w.user("mod_mo", auth.RoleModerator, 0), site.Moderation{FlagThreshold: 2})
	wantErr(t, "a moderator sets the threshold", err, errs.KindForbidden)
}

// A staff member's flag hides at once; a staff member's post is never
// hidden by flags (it still goes to the queue).
func TestStaffFlagsAndStaffPosts(t *testing.T) {
	w := newWorld(t)
	author := w.user("author", auth.RoleMember, 0)
	mod := w.user("mod_mia", auth.RoleModerator, 0)
	cm := w.user("cm_carl", auth.RoleManager, 0)
	p := w.post(author, "general", "Something rude")
	w.flag(mod, p.ID, moderation.ReasonRude)
	if !w.hidden(p.ID) {
		t.Fatal("a moderator's flag did not hide the post")
	}
	if n := w.count("SELECT COUNT(*) FROM audit_log WHERE action = 'review.flag_hide' AND actor_id = ? AND target_id = ?", mod.ID, p.ID); n != 1 {
		t.Fatalf("%d audit rows for the moderator's hiding flag", n)
	}
	official := w.post(cm, "general", "Announcement from the team")
	for i, name := range []string{"flagger1", "flagger2", "flagger3", "flagger4"} {
		w.flag(w.user(name, auth.RoleMember, i), official.ID, moderation.ReasonOffTopic)
	}
	w.flag(mod, official.ID, moderation.ReasonOffTopic)
	if w.hidden(official.ID) {
		t.Fatal("flags hid a community manager's post")
	}
	if it := w.itemOf(w.admin, official.ID); len(it.Flags) != 5 {
		t.Fatalf("the staff post's item has %d flags", len(it.Flags))
	}
}

// Flagging refuses what it must, with clear errors, and writes nothing then.
func TestFlagRules(t *testing.T) {
	w := newWorld(t)
	author := w.user("author", auth.RoleMember, 0)
	ben := w.user("ben", auth.RoleMember, 0)
	mod := w.user("mod_mia", auth.RoleModerator, 0)
	p := w.post(author, "general", "A fine post")
	secret := w.post(mod, "staff-room", "Staff only plan")
	beta := w.post(w.admin, "beta", "Beta feature")
	gone := w.reply(author, p.ThreadID, "To be deleted")
	if err := w.a.Forum.DeletePost(ctx, author, gone.ID); err != nil {
		t.Fatal(err)
	}
	goneThread := w.post(author, "general", "A thread to be deleted")
	if err := w.a.Forum.DeletePost(ctx, author, goneThread.ID); err != nil {
		t.Fatal(err)
	}
	w.flag(ben, p.ID, moderation.ReasonSpam)
	before := [3]int64{w.count("SELECT COUNT(*) FROM flags"), w.count("SELECT COUNT(*) FROM review_items"), w.changes()}

	sec := func(n int) *int { return &n }
	cases := []struct {
		name string
		v    *auth.Viewer
		post int64
		in   moderation.FlagInput
		want errs.Kind
		msg  string
	}{
		{"anonymous", auth.Anonymous(), p.ID, moderation.FlagInput{Reason: "spam"}, errs.KindUnauthenticated, "sign in"},
		{"own post", author, p.ID, moderation.FlagInput{Reason: "spam"}, errs.KindForbidden, "your own post"},
		{"twice", ben, p.ID, moderation.FlagInput{Reason: "rude"}, errs.KindConflict, "already flagged"},
		{"staff forum", ben, secret.ID, moderation.FlagInput{Reason: "spam"}, errs.KindNotFound, "not found"},
		{"group forum", mod, beta.ID, moderation.FlagInput{Reason: "spam"}, errs.KindNotFound, "not found"},
		{"missing", ben, 999999, moderation.FlagInput{Reason: "spam"}, errs.KindNotFound, "not found"},
		{"deleted", ben, gone.ID, moderation.FlagInput{Reason: "spam"}, errs.KindConflict, "deleted"},
		{"deleted thread", ben, goneThread.ID, moderation.FlagInput{Reason: "spam"}, errs.KindNotFound, "not found"},
		{"no reason", mod, p.ID, moderation.FlagInput{}, errs.KindInvalid, ""},
		{"bad reason", mod, p.ID, moderation.FlagInput{Reason: "ugly"}, errs.KindInvalid, ""},
		{"guideline without section", mod, p.ID, moderation.FlagInput{Reason: "guideline"}, errs.KindInvalid, ""},
		{"guideline section 0", mod, p.ID, moderation.FlagInput{Reason: "guideline", Section: sec(0)}, errs.KindInvalid, ""},
		{"guideline section 5 of 4", mod, p.ID, moderation.FlagInput{Reason: "guideline", Section: sec(5)}, errs.KindInvalid, "sections 1 to 4"},
		{"other without note", mod, p.ID, moderation.FlagInput{Reason: "other", Note: "   "}, errs.KindInvalid, ""},
		{"long note", mod, p.ID, moderation.FlagInput{Reason: "spam", Note: strings.Repeat("é", 501)}, errs.KindInvalid, ""},
		{"NUL in note", mod, p.ID, moderation.FlagInput{Reason: "spam", Note: "a\x00b"}, errs.KindInvalid, ""},
	}
	for _, c := range cases {
		_, err := w.m.Flag(ctx, c.v, c.post, c.in)
		wantErr(t, c.name, err, c.want)
		if !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: message %q lacks %q", c.name, err, c.msg)
		}
	}
	after := [3]int64{w.count("SELECT COUNT(*) FROM flags"), w.count("SELECT COUNT(*) FROM review_items"), w.changes()}
	if before != after {
		t.Fatalf("refused flags wrote something: flags, items, last event %v -> %v", before, after)
	}
	// A guideline flag keeps its section; other reasons drop one sent along.
	f, err := w.m.Flag(ctx, mod, p.ID, moderation.FlagInput{Reason: "guideline", Section: sec(4), Note: " rule 4 "})
	if err != nil || f.Section == nil || *f.Section != 4 || f.Note != "rule 4" {
		t.Fatalf("guideline flag %+v, %v", f, err)
	}
	f, err = w.m.Flag(ctx, w.user("cleo", auth.RoleMember, 0), p.ID, moderation.FlagInput{Reason: "spam", Section: sec(4)})
	if err != nil || f.Section != nil {
		t.Fatalf("spam flag kept a section: %+v, %v", f, err)
	}
}

// The author of a post hidden by flags is told, without learning who
// flagged it; the notification counts on their bell.
func TestAuthorNotifiedWhenHidden(t *testing.T) {
	w := newWorld(t)
	author := w.user("author", auth.RoleMember, 0)
	ben := w.user("ben", auth.RoleMember, 4)
	p := w.post(author, "general", "Borderline post")
	w.flag(ben, p.ID, moderation.ReasonRude) // 3.0: hidden
	w.a.Settle()
	n, err := w.a.Notify.List(ctx, author, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(n.Notifications) != 1 || n.Notifications[0].Kind != notify.KindPostHidden || n.Unread != 1 {
		t.Fatalf("author's notifications %+v", n)
	}
	if got := n.Notifications[0]; got.Actor.ID != author.ID || got.PostID != p.ID || got.ThreadTitle != "Borderline post" {
		t.Fatalf("notification %+v names someone other than the author, or the wrong post", got)
	}
	if m, _ := w.a.Notify.List(ctx, ben, 0, 0); len(m.Notifications) != 0 {
		t.Fatalf("the reporter was notified: %+v", m.Notifications)
	}
}
