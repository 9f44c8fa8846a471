package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"parley/app/apptest"
	"parley/app/audit"
	"parley/app/auth"
)

// auditWorld has a moderator, a manager, a member and three audit entries:
// a hidden post by the moderator (dated January 2025), then two guidelines
// edits by the manager.
type auditWorld struct {
	a                    *apptest.App
	mod, carla, member   *apptest.Client
	modID, annaID, forum int64
}

func newAuditWorld(t *testing.T) *auditWorld {
	w := newWorld(t)
	a := w.a
	aw := &auditWorld{a: a, mod: a.User("moe", auth.RoleModerator), carla: a.User("carla", auth.RoleManager), member: a.Client().Register("anna")}
	a.Store.R.Raw("SELECT id FROM users WHERE username = 'moe'").Scan(&aw.modID)
	a.Store.R.Raw("SELECT id FROM users WHERE username = 'anna'").Scan(&aw.annaID)
	a.Store.R.Raw("SELECT id FROM forums WHERE slug = 'general'").Scan(&aw.forum)
	err := a.Store.Tx(context.Background(), func(tx *gorm.DB) error {
		return audit.Record(tx, audit.Entry{ActorID: aw.modID, ActorRole: "moderator", Action: "post.hide", TargetType: "post", TargetID: 42,
			TargetUserID: aw.annaID, ForumID: aw.forum, Reason: "Breaks section 1 <b>twice</b>", Note: "@staff check her other posts",
			At: time.Date(2025, 1, 15, 10, 0, 0, 0, time.UTC)})
	})
	if err != nil {
		t.Fatal(err)
	}
	publish(t, aw.carla, guidelinesV1, "First version")
	publish(t, aw.carla, guidelinesV2, `=HYPERLINK("http://evil.example")`)
	return aw
}

func TestAuditPermissions(t *testing.T) {
	aw := newAuditWorld(t)
	anon := aw.a.Client()
	aw.member.Must(http.StatusForbidden, "GET", "/admin/audit", nil)
	aw.member.Must(http.StatusForbidden, "GET", "/admin/audit.csv", nil)
	aw.member.Must(http.StatusForbidden, "GET", "/api/v1/admin/audit", nil)
	anon.Must(http.StatusUnauthorized, "GET", "/api/v1/admin/audit", nil)
	if r := anon.Do("GET", "/admin/audit", nil); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login?next=") {
		t.Fatalf("anonymous page: %d %s", r.Status, r.Header.Get("Location"))
	}
	if r := anon.Do("GET", "/admin/audit.csv", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("anonymous CSV: %d", r.Status)
	}
	for _, c := range []*apptest.Client{aw.mod, aw.carla} {
		c.Must(http.StatusOK, "GET", "/admin/audit", nil)
		c.Must(http.StatusOK, "GET", "/api/v1/admin/audit", nil)
	}
	// No route changes or removes entries.
	for _, m := range []string{"PUT", "PATCH", "DELETE", "POST"} {
		if r := aw.mod.Do(m, "/api/v1/admin/audit", map[string]any{}); r.Status != http.StatusMethodNotAllowed && r.Status != http.StatusNotFound {
			t.Errorf("%s /api/v1/admin/audit: %d", m, r.Status)
		}
	}
	// The header links staff to the log; members get no link.
	if !strings.Contains(page(t, aw.mod, "/", http.StatusOK), `<a href="/admin/audit">Staff</a>`) {
		t.Error("no staff link for the moderator")
	}
	if strings.Contains(page(t, aw.member, "/", http.StatusOK), `/admin/audit`) {
		t.Error("a member sees the audit link")
	}
}

func TestAuditPageAndFilters(t *testing.T) {
	aw := newAuditWorld(t)
	body := page(t, aw.mod, "/admin/audit", http.StatusOK)
	mustHave(t, "audit page", body, "<code>post.hide</code>", "<code>guidelines.edit</code>",
		`<a href="/p/42">post #42</a>`, `<a href="/guidelines?version=2">guidelines version 2</a>`,
		"Breaks section 1 &lt;b&gt;twice&lt;/b&gt;", "Note: @staff check her other posts",
		`<code>{&#34;version&#34;:1}</code> → <code>{&#34;version&#34;:2}</code>`, `href="/admin/audit.csv"`,
		`<option value="guidelines.edit">guidelines.edit</option>`)
	// Newest first: the second guidelines edit, the first, then the old hide.
	i2, i1, ih := strings.Index(body, "guidelines version 2"), strings.Index(body, "guidelines version 1"), strings.Index(body, "post #42")
	if i2 > i1 || i1 > ih {
		t.Errorf("order: v2 at %d, v1 at %d, hide at %d", i2, i1, ih)
	}
	filtered := page(t, aw.mod, "/admin/audit?actor=moe&forum=general&target_user=anna", http.StatusOK)
	if !strings.Contains(filtered, "post #42") || strings.Contains(filtered, "guidelines version") {
		t.Error("the actor filter")
	}
	mustHave(t, "filtered", filtered, `value="moe"`, `href="/admin/audit.csv?actor=moe&amp;forum=general&amp;target_user=anna"`, "Clear the filters")
	dates := page(t, aw.mod, "/admin/audit?from=2025-01-15&to=2025-01-15", http.StatusOK)
	if !strings.Contains(dates, "post #42") || strings.Contains(dates, "guidelines version") {
		t.Error("the date filter")
	}
	if none := page(t, aw.mod, "/admin/audit?action=user.suspend", http.StatusOK); !strings.Contains(none, "No entries match these filters.") {
		t.Error("an empty result")
	}
	for q, want := range map[string]string{
		"?actor=nobody_here":                       "nobody is called “nobody_here”",
		"?forum=nope":                              "no forum has the address “nope”",
		"?from=yesterday":                          "YYYY-MM-DD",
		"?from=2025-02-01&to=2025-01-01":           "before its start",
		"?target_user=" + strings.Repeat("x", 300): "nobody is called",
	} {
		r := aw.mod.Do("GET", "/admin/audit"+q, nil)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), want) {
			t.Errorf("%s: %d, want 422 with %q", q, r.Status, want)
		}
	}
	aw.mod.Must(http.StatusBadRequest, "GET", "/admin/audit?cursor=abc", nil)
}

func TestAuditAPIPaging(t *testing.T) {
	aw := newAuditWorld(t)
	type page struct {
		Entries []struct {
			ID         int64
			Actor      string
			ActorRole  string `json:"actor_role"`
			Action     string
			TargetUser string `json:"target_user"`
			Forum      string
			Before     any
			After      map[string]int
		}
		NextCursor int64 `json:"next_cursor"`
	}
	var seen []string
	path := "/api/v1/admin/audit?limit=1"
	for range 5 {
		var p page
		aw.mod.Must(http.StatusOK, "GET", path, nil).JSON(t, &p)
		if len(p.Entries) != 1 {
			t.Fatalf("%s: %d entries", path, len(p.Entries))
		}
		e := p.Entries[0]
		seen = append(seen, e.Action)
		if e.Action == "guidelines.edit" && (e.Actor != "carla" || e.ActorRole != "manager" || e.After["version"] == 0) {
			t.Errorf("entry %+v", e)
		}
		if e.Action == "post.hide" && (e.TargetUser != "anna" || e.Forum != "general" || e.Before != nil) {
			t.Errorf("entry %+v", e)
		}
		if p.NextCursor == 0 {
			break
		}
		path = fmt.Sprintf("/api/v1/admin/audit?limit=1&cursor=%d", p.NextCursor)
	}
	if got := strings.Join(seen, ","); got != "guidelines.edit,guidelines.edit,post.hide" {
		t.Fatalf("pages: %s", got)
	}
	var p page
	aw.mod.Must(http.StatusOK, "GET", "/api/v1/admin/audit?action=post.hide&target_user=anna", nil).JSON(t, &p)
	if len(p.Entries) != 1 || p.NextCursor != 0 {
		t.Fatalf("filtered: %+v", p)
	}
	for _, q := range []string{"?limit=0", "?limit=201", "?limit=x", "?cursor=-4", "?cursor=1e3"} {
		aw.mod.Must(http.StatusBadRequest, "GET", "/api/v1/admin/audit"+q, nil)
	}
	aw.mod.Must(http.StatusUnprocessableEntity, "GET", "/api/v1/admin/audit?actor=ghost", nil)
	aw.mod.Must(http.StatusUnprocessableEntity, "GET", "/api/v1/admin/audit?to=31.12.2024", nil)
}

func TestAuditCSVExport(t *testing.T) {
	aw := newAuditWorld(t)
	r := aw.mod.Must(http.StatusOK, "GET", "/admin/audit.csv", nil)
	if ct := r.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("headers %v", r.Header)
	}
	recs, err := csv.NewReader(strings.NewReader(string(r.Body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 || recs[0][0] != "id" {
		t.Fatalf("records %q", recs)
	}
	// The newest row's reason came from a summary that is a formula.
	if recs[1][9] != `'=HYPERLINK("http://evil.example")` || recs[3][10] != "'@staff check her other posts" || recs[3][2] != "moe" {
		t.Fatalf("rows %q", recs[1:])
	}
	r = aw.mod.Must(http.StatusOK, "GET", "/admin/audit.csv?action=post.hide", nil)
	if n := strings.Count(string(r.Body), "\n"); n != 2 {
		t.Fatalf("filtered export has %d lines: %s", n, r.Body)
	}
	aw.mod.Must(http.StatusUnprocessableEntity, "GET", "/admin/audit.csv?actor=ghost", nil)
}
