package audit_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"parley/app/apptest"
	"parley/app/audit"
	"parley/app/auth"
	"parley/app/errs"
	"parley/app/forum"
)

// scene is an app with a moderator, an admin, a member and a forum.
type scene struct {
	a                  *apptest.App
	mod, admin, member *auth.Viewer
	forumID            int64
}

func newScene(t *testing.T) *scene {
	a := apptest.New(t)
	ctx := context.Background()
	mk := func(name string, role auth.Role) *auth.Viewer {
		u, err := a.Auth.CreateUser(ctx, auth.Registration{Username: name, Email: name + "@example.com", Password: apptest.Password}, role, 0)
		if err != nil {
			t.Fatal(err)
		}
		return &auth.Viewer{ID: u.ID, Username: u.Username, Role: role}
	}
	s := &scene{a: a, mod: mk("moe", auth.RoleModerator), admin: mk("boss", auth.RoleAdmin), member: mk("anna", auth.RoleMember)}
	f, err := a.Forum.CreateForum(ctx, s.admin, forum.ForumInput{Name: "General", Slug: "general", Visibility: "public"})
	if err != nil {
		t.Fatal(err)
	}
	s.forumID = f.ID
	return s
}

func (s *scene) record(t *testing.T, e audit.Entry) {
	t.Helper()
	if err := s.a.Store.Tx(context.Background(), func(tx *gorm.DB) error { return audit.Record(tx, e) }); err != nil {
		t.Fatalf("record %s: %v", e.Action, err)
	}
}

func (s *scene) count(t *testing.T) int64 {
	t.Helper()
	var n int64
	if err := s.a.Store.R.Raw("SELECT COUNT(*) FROM audit_log").Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRecordAndList(t *testing.T) {
	s := newScene(t)
	s.record(t, audit.Entry{ActorID: s.mod.ID, ActorRole: "moderator", Action: "post.hide", TargetType: "post", TargetID: 17,
		TargetUserID: s.member.ID, ForumID: s.forumID, Reason: "  Breaks section 2  ", Note: "second time this week",
		Before: map[string]any{"hidden": false}, After: map[string]any{"hidden": true}})
	p, err := s.a.Audit.List(context.Background(), s.mod, audit.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Entries) != 1 || p.Next != 0 {
		t.Fatalf("page %+v", p)
	}
	r := p.Entries[0]
	if r.ActorName != "moe" || r.ActorRole != "moderator" || r.Action != "post.hide" || r.TargetType != "post" || r.TargetID != 17 ||
		r.TargetUserName != "anna" || r.ForumSlug != "general" || r.Reason != "Breaks section 2" || r.Note != "second time this week" ||
		string(r.Before) != `{"hidden":false}` || string(r.After) != `{"hidden":true}` || time.Since(r.CreatedAt) > time.Minute {
		t.Fatalf("row %+v", r)
	}
}

func TestRecordRefusesBadEntries(t *testing.T) {
	s := newScene(t)
	ok := audit.Entry{ActorID: s.mod.ID, ActorRole: "moderator", Action: "post.hide", TargetType: "post", TargetID: 1}
	for name, mut := range map[string]func(*audit.Entry){
		"no actor":      func(e *audit.Entry) { e.ActorID = 0 },
		"no role":       func(e *audit.Entry) { e.ActorRole = "" },
		"no action":     func(e *audit.Entry) { e.Action = "" },
		"odd action":    func(e *audit.Entry) { e.Action = "Post Hide" },
		"no target":     func(e *audit.Entry) { e.TargetType = "" },
		"long reason":   func(e *audit.Entry) { e.Reason = strings.Repeat("x", audit.MaxReason+1) },
		"long note":     func(e *audit.Entry) { e.Note = strings.Repeat("é", audit.MaxNote+1) },
		"unknown actor": func(e *audit.Entry) { e.ActorID = 999999 }, // the foreign key
	} {
		e := ok
		mut(&e)
		err := s.a.Store.Tx(context.Background(), func(tx *gorm.DB) error { return audit.Record(tx, e) })
		if err == nil {
			t.Errorf("%s: recorded", name)
		}
		if strings.HasPrefix(name, "long") && !errs.Is(err, errs.KindInvalid) {
			t.Errorf("%s: %v, want a field error", name, err)
		}
	}
	if n := s.count(t); n != 0 {
		t.Fatalf("%d rows written by refused entries", n)
	}
}

// The row belongs to its transaction: when the action fails, so does it.
func TestRecordRollsBackWithItsAction(t *testing.T) {
	s := newScene(t)
	boom := errors.New("the action failed after recording")
	err := s.a.Store.Tx(context.Background(), func(tx *gorm.DB) error {
		if err := audit.Record(tx, audit.Entry{ActorID: s.mod.ID, ActorRole: "moderator", Action: "post.hide", TargetType: "post", TargetID: 1}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("tx: %v", err)
	}
	if n := s.count(t); n != 0 {
		t.Fatalf("%d rows after the rollback", n)
	}
}

// Staff cannot erase their tracks: the database refuses UPDATE and DELETE
// (and TRUNCATE on PostgreSQL), whichever connection asks.
func TestAuditLogIsAppendOnly(t *testing.T) {
	s := newScene(t)
	s.record(t, audit.Entry{ActorID: s.mod.ID, ActorRole: "moderator", Action: "user.silence", TargetType: "user", TargetID: s.member.ID,
		TargetUserID: s.member.ID, Reason: "spam"})
	ctx := context.Background()
	for _, q := range []string{
		"UPDATE audit_log SET reason = 'nothing happened'",
		"UPDATE audit_log SET actor_id = " + fmt.Sprint(s.admin.ID),
		"DELETE FROM audit_log",
		"DELETE FROM audit_log WHERE action = 'user.silence'",
	} {
		err := s.a.Store.Tx(ctx, func(tx *gorm.DB) error { return tx.Exec(q).Error })
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: err = %v, want the trigger's refusal", q, err)
		}
		// Outside a transaction too (the writer connection itself).
		if err := s.a.Store.W.Exec(q).Error; err == nil {
			t.Errorf("%s outside a transaction: no error", q)
		}
	}
	if s.a.Store.Dialect == "postgres" {
		if err := s.a.Store.W.Exec("TRUNCATE audit_log").Error; err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("TRUNCATE: err = %v", err)
		}
	}
	p, err := s.a.Audit.List(ctx, s.admin, audit.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Entries) != 1 || p.Entries[0].Reason != "spam" || p.Entries[0].ActorName != "moe" {
		t.Fatalf("the row changed: %+v", p.Entries)
	}
	// Inserting still works.
	s.record(t, audit.Entry{ActorID: s.admin.ID, ActorRole: "admin", Action: "user.unsilence", TargetType: "user", TargetID: s.member.ID})
	if n := s.count(t); n != 2 {
		t.Fatalf("%d rows", n)
	}
}

func TestListFiltersAndPages(t *testing.T) {
	s := newScene(t)
	ctx := context.Background()
	day := func(d int) time.Time { return time.Date(2025, 5, d, 12, 0, 0, 0, time.UTC) }
	// Ten entries, one a day from May 1st: the moderator hides posts of
	// anna's in the forum on odd days, the admin warns on even days.
	for d := 1; d <= 10; d++ {
		e := audit.Entry{ActorID: s.mod.ID, ActorRole: "moderator", Action: "post.hide", TargetType: "post", TargetID: int64(d),
			TargetUserID: s.member.ID, ForumID: s.forumID, Reason: fmt.Sprint("day ", d), At: day(d)}
		if d%2 == 0 {
			e = audit.Entry{ActorID: s.admin.ID, ActorRole: "admin", Action: "user.warn", TargetType: "user", TargetID: s.mod.ID,
				TargetUserID: s.mod.ID, Reason: fmt.Sprint("day ", d), At: day(d)}
		}
		s.record(t, e)
	}
	reasons := func(f audit.Filter) []string {
		t.Helper()
		p, err := s.a.Audit.List(ctx, s.mod, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range p.Entries {
			out = append(out, strings.TrimPrefix(r.Reason, "day "))
		}
		return out
	}
	cases := []struct {
		name string
		f    audit.Filter
		want string
	}{
		{"all, newest first", audit.Filter{}, "10 9 8 7 6 5 4 3 2 1"},
		{"actor", audit.Filter{ActorID: s.admin.ID}, "10 8 6 4 2"},
		{"action", audit.Filter{Action: "post.hide"}, "9 7 5 3 1"},
		{"target user", audit.Filter{TargetUserID: s.mod.ID}, "10 8 6 4 2"},
		{"forum", audit.Filter{ForumID: s.forumID}, "9 7 5 3 1"},
		{"from", audit.Filter{From: day(8)}, "10 9 8"},
		{"range", audit.Filter{From: day(3), To: day(6)}, "5 4 3"},
		{"combined", audit.Filter{ActorID: s.mod.ID, From: day(2), To: day(9)}, "7 5 3"},
		{"nobody", audit.Filter{ActorID: s.member.ID}, ""},
	}
	for _, c := range cases {
		if got := strings.Join(reasons(c.f), " "); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
	// Keyset pages of 4: 10..7, 6..3, 2..1, each cursor the last id shown.
	var pages []string
	f := audit.Filter{Limit: 4}
	for range 5 {
		p, err := s.a.Audit.List(ctx, s.admin, f)
		if err != nil {
			t.Fatal(err)
		}
		var rs []string
		for _, r := range p.Entries {
			rs = append(rs, strings.TrimPrefix(r.Reason, "day "))
		}
		pages = append(pages, strings.Join(rs, ","))
		if p.Next == 0 {
			break
		}
		f.Before = p.Next
	}
	if got := strings.Join(pages, " | "); got != "10,9,8,7 | 6,5,4,3 | 2,1" {
		t.Errorf("pages: %s", got)
	}
	acts, err := s.a.Audit.Actions(ctx, s.mod)
	if err != nil || strings.Join(acts, ",") != "post.hide,user.warn" {
		t.Errorf("actions %v %v", acts, err)
	}
}

func TestOnlyStaffRead(t *testing.T) {
	s := newScene(t)
	ctx := context.Background()
	if _, err := s.a.Audit.List(ctx, s.member, audit.Filter{}); !errs.Is(err, errs.KindForbidden) {
		t.Errorf("member: %v", err)
	}
	if _, err := s.a.Audit.List(ctx, auth.Anonymous(), audit.Filter{}); !errs.Is(err, errs.KindUnauthenticated) {
		t.Errorf("anonymous: %v", err)
	}
	if err := s.a.Audit.Export(ctx, s.member, audit.Filter{}, &bytes.Buffer{}); !errs.Is(err, errs.KindForbidden) {
		t.Errorf("member export: %v", err)
	}
	manager := &auth.Viewer{ID: s.admin.ID, Role: auth.RoleManager}
	for _, v := range []*auth.Viewer{s.mod, manager, s.admin} {
		if _, err := s.a.Audit.List(ctx, v, audit.Filter{}); err != nil {
			t.Errorf("%s: %v", v.Role, err)
		}
	}
}

// The export streams every entry (more than one batch) and defuses cells
// a spreadsheet would run as formulas.
func TestExportCSV(t *testing.T) {
	s := newScene(t)
	ctx := context.Background()
	const n = 1203
	err := s.a.Store.Tx(ctx, func(tx *gorm.DB) error {
		for i := range n {
			e := audit.Entry{ActorID: s.mod.ID, ActorRole: "moderator", Action: "post.hide", TargetType: "post", TargetID: int64(i + 1)}
			if i == n-1 {
				e.Reason, e.Note = `=HYPERLINK("http://evil.example","click")`, "@SUM(A1:A9)"
				e.After = map[string]string{"title": "-2+3"}
			}
			if err := audit.Record(tx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := s.a.Audit.Export(ctx, s.mod, audit.Filter{}, &buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != n+1 || strings.Join(recs[0], ",") != strings.Join(audit.CSVHeader, ",") {
		t.Fatalf("%d records, header %v", len(recs), recs[0])
	}
	first := recs[1] // newest first
	col := func(name string) string {
		for i, h := range audit.CSVHeader {
			if h == name {
				return first[i]
			}
		}
		t.Fatalf("no column %s", name)
		return ""
	}
	if col("reason") != `'=HYPERLINK("http://evil.example","click")` || col("note") != "'@SUM(A1:A9)" || col("actor") != "moe" ||
		col("target_id") != fmt.Sprint(n) || col("after") != `{"title":"-2+3"}` {
		t.Fatalf("first record %q", first)
	}
	if last := recs[n]; last[6] != "1" {
		t.Fatalf("last record %q", last)
	}
}

func TestSafeCell(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "plain": "plain", "=1+1": "'=1+1", "+1": "'+1", "-1": "'-1", "@x": "'@x",
		"\t=1": "'\t=1", "\r=1": "'\r=1", "a=1": "a=1", " =1": " =1",
	} {
		if got := audit.SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q, want %q", in, got, want)
		}
	}
}
