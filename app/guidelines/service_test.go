package guidelines_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"parley/app/apptest"
	"parley/app/auth"
	"parley/app/errs"
	"parley/app/guidelines"
)

const v1 = `Welcome to the community.

## Be kind
No insults, no slurs.

## Stay on topic
Keep threads about their subject.
`

const v2 = `Welcome to the community.

## Be kind
No insults, no slurs, no pile-ons.

## Stay on topic
Keep threads about their subject.

## No spam
No ads or affiliate links.
`

func viewerOf(t *testing.T, a *apptest.App, name string, role auth.Role) *auth.Viewer {
	t.Helper()
	u, err := a.Auth.CreateUser(context.Background(), auth.Registration{Username: name, Email: name + "@example.com", Password: apptest.Password}, role, 0)
	if err != nil {
		t.Fatal(err)
	}
	return &auth.Viewer{ID: u.ID, Username: u.Username, Role: role}
}

// counts are the rows a publish writes: versions, their events, audit rows.
func counts(t *testing.T, a *apptest.App) [3]int64 {
	t.Helper()
	var c [3]int64
	for i, q := range []string{"SELECT COUNT(*) FROM guidelines_versions",
		"SELECT COUNT(*) FROM events WHERE type = 'guidelines.updated'",
		"SELECT COUNT(*) FROM audit_log WHERE action = 'guidelines.edit'"} {
		if err := a.Store.R.Raw(q).Scan(&c[i]).Error; err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func TestPublishVersionsEventAndAudit(t *testing.T) {
	a := apptest.New(t)
	ctx := context.Background()
	g := a.Guidelines
	cm := viewerOf(t, a, "carla", auth.RoleManager)
	if _, err := g.Current(ctx); !errors.Is(err, guidelines.ErrNone) {
		t.Fatalf("before any version: %v", err)
	}
	d1, err := g.Publish(ctx, cm, guidelines.Change{Body: v1, Summary: "First version"})
	if err != nil {
		t.Fatal(err)
	}
	if d1.Version != 1 || d1.Editor != "carla" || len(d1.Sections) != 2 || d1.Sections[1].Title != "Stay on topic" || d1.Sections[1].Anchor != "section-2" {
		t.Fatalf("version 1: %+v", d1)
	}
	d2, err := g.Publish(ctx, cm, guidelines.Change{Body: v2, Summary: "  Added   no spam\n", BaseVersion: 1})
	if err != nil {
		t.Fatal(err)
	}
	if d2.Version != 2 || d2.Summary != "Added no spam" || len(d2.Sections) != 3 {
		t.Fatalf("version 2: %+v", d2)
	}
	if c := counts(t, a); c != [3]int64{2, 2, 2} {
		t.Fatalf("rows (versions, events, audit) = %v", c)
	}
	// The event and the audit row say what changed.
	var ev struct{ Scope, Subject, Payload string }
	a.Store.R.Raw("SELECT scope, subject, payload FROM events WHERE type = 'guidelines.updated' ORDER BY id DESC LIMIT 1").Scan(&ev)
	var payload map[string]any
	_ = json.Unmarshal([]byte(ev.Payload), &payload)
	if ev.Scope != "public" || ev.Subject != "guidelines:2" || payload["version"] != 2.0 || payload["previous"] != 1.0 {
		t.Fatalf("event %+v", ev)
	}
	var row struct {
		ActorID               int64
		ActorRole, Reason     string
		TargetType            string
		TargetID              int64
		BeforeJSON, AfterJSON string
	}
	a.Store.R.Raw("SELECT actor_id, actor_role, reason, target_type, target_id, before_json, after_json FROM audit_log ORDER BY id DESC LIMIT 1").Scan(&row)
	if row.ActorID != cm.ID || row.ActorRole != "manager" || row.TargetType != "guidelines" || row.TargetID != 2 ||
		row.Reason != "Added no spam" || row.BeforeJSON != `{"version":1}` || row.AfterJSON != `{"version":2}` {
		t.Fatalf("audit row %+v", row)
	}
	cur, err := g.Current(ctx)
	if err != nil || cur.Version != 2 {
		t.Fatalf("current %v %v", cur, err)
	}
	old, err := g.Version(ctx, 1)
	if err != nil || !strings.Contains(old.Markdown, "no slurs.") || strings.Contains(old.HTML, "spam") {
		t.Fatalf("version 1 after publishing 2: %+v %v", old, err)
	}
	h, err := g.History(ctx)
	if err != nil || len(h) != 2 || h[0].Version != 2 || h[1].Summary != "First version" || h[0].Editor != "carla" {
		t.Fatalf("history %+v %v", h, err)
	}
	cmp, err := g.Compare(ctx, 1, 2)
	if err != nil || cmp.Added != 4 || cmp.Removed != 1 {
		t.Fatalf("compare %+v %v", cmp, err)
	}
}

func TestPublishRefusals(t *testing.T) {
	a := apptest.New(t)
	ctx := context.Background()
	g := a.Guidelines
	admin := viewerOf(t, a, "boss", auth.RoleAdmin)
	if _, err := g.Publish(ctx, admin, guidelines.Change{Body: v1, Summary: "First"}); err != nil {
		t.Fatal(err)
	}
	before := counts(t, a)
	cases := []struct {
		name  string
		v     *auth.Viewer
		c     guidelines.Change
		kind  errs.Kind
		field string
	}{
		{"member", viewerOf(t, a, "anna", auth.RoleMember), guidelines.Change{Body: v2, Summary: "x"}, errs.KindForbidden, ""},
		{"moderator", viewerOf(t, a, "moe", auth.RoleModerator), guidelines.Change{Body: v2, Summary: "x"}, errs.KindForbidden, ""},
		{"anonymous", auth.Anonymous(), guidelines.Change{Body: v2, Summary: "x"}, errs.KindUnauthenticated, ""},
		{"empty body", admin, guidelines.Change{Body: "  ", Summary: "x"}, errs.KindInvalid, "body"},
		{"no sections", admin, guidelines.Change{Body: "Just be nice.", Summary: "x"}, errs.KindInvalid, "body"},
		{"over 100 KB", admin, guidelines.Change{Body: "## A\n" + strings.Repeat("word ", 21000), Summary: "x"}, errs.KindInvalid, "body"},
		{"no summary", admin, guidelines.Change{Body: v2, Summary: " "}, errs.KindInvalid, "summary"},
		{"long summary", admin, guidelines.Change{Body: v2, Summary: strings.Repeat("s", guidelines.MaxSummary+1)}, errs.KindInvalid, "summary"},
		{"unchanged", admin, guidelines.Change{Body: v1 + "\n\n", Summary: "again"}, errs.KindInvalid, "body"},
		{"stale base", admin, guidelines.Change{Body: v2, Summary: "x", BaseVersion: 7}, errs.KindConflict, ""},
	}
	for _, c := range cases {
		_, err := g.Publish(ctx, c.v, c.c)
		e, ok := errs.As(err)
		if !ok || e.Kind != c.kind || (c.field != "" && e.Fields[c.field] == "") {
			t.Errorf("%s: err = %v", c.name, err)
		}
	}
	if after := counts(t, a); after != before {
		t.Fatalf("refused changes wrote rows: %v -> %v", before, after)
	}
	// The conflict names the current version.
	_, err := g.Publish(ctx, admin, guidelines.Change{Body: v2, Summary: "x", BaseVersion: 7})
	if err == nil || !strings.Contains(err.Error(), "version 1 was published") {
		t.Errorf("conflict message: %v", err)
	}
}

func TestSectionCitations(t *testing.T) {
	a := apptest.New(t)
	ctx := context.Background()
	g := a.Guidelines
	if err := g.CheckSection(ctx, 1); !errs.Is(err, errs.KindInvalid) {
		t.Fatalf("no guidelines yet: %v", err)
	}
	if _, _, ok := g.SectionLink(ctx, 1); ok {
		t.Fatal("SectionLink ok without guidelines")
	}
	cm := viewerOf(t, a, "carla", auth.RoleManager)
	if _, err := g.Publish(ctx, cm, guidelines.Change{Body: v1, Summary: "First"}); err != nil {
		t.Fatal(err)
	}
	if _, err := g.Publish(ctx, cm, guidelines.Change{Body: v2, Summary: "Spam"}); err != nil {
		t.Fatal(err)
	}
	r, err := g.Section(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	if r.Version != 2 || r.Number != 3 || r.Title != "No spam" || r.URL != "/guidelines#section-3" ||
		r.VersionURL != "/guidelines?version=2#section-3" || r.Label() != "section 3 (No spam)" {
		t.Fatalf("ref %+v", r)
	}
	url, title, ok := g.SectionLink(ctx, 2)
	if !ok || url != "/guidelines#section-2" || title != "Stay on topic" {
		t.Fatalf("SectionLink(2) = %q %q %v", url, title, ok)
	}
	for _, n := range []int{0, -1, 4, 1000} {
		err := g.CheckSection(ctx, n)
		if e, ok := errs.As(err); !ok || e.Kind != errs.KindInvalid || !strings.Contains(e.Fields["section"], "sections 1 to 3") {
			t.Errorf("section %d: %v", n, err)
		}
	}
	if err := g.CheckSection(ctx, 1); err != nil {
		t.Errorf("section 1: %v", err)
	}
}
