package auth

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"parley/app/errs"
	"parley/app/store"
)

func newTestService(t *testing.T) *Service {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, store.Options{SQLitePath: filepath.Join(t.TempDir(), "auth.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	s, err := New(ctx, st, PasswordParams{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const testPassword = "correct horse battery staple"

func TestTokenViewer(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t)
	mk := func(name string, role Role) (*User, string) {
		u, err := s.CreateUser(ctx, Registration{Username: name, Email: name + "@example.com", Password: testPassword}, role, 0)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := s.CreateToken(ctx, &Viewer{ID: u.ID}, "test")
		if err != nil {
			t.Fatal(err)
		}
		return u, raw
	}
	anna, annaTok := mk("anna", RoleMember)
	mona, monaTok := mk("mona", RoleModerator)
	for _, slug := range []string{"hikers", "climbers"} {
		if err := s.st.W.Exec("INSERT INTO user_groups (slug, name) VALUES (?, ?)", slug, slug).Error; err != nil {
			t.Fatal(err)
		}
		if err := s.st.W.Exec("INSERT INTO group_members (group_id, user_id) SELECT id, ? FROM user_groups WHERE slug = ?", anna.ID, slug).Error; err != nil {
			t.Fatal(err)
		}
	}
	var groups []int64
	s.st.R.Raw("SELECT id FROM user_groups WHERE slug IN ('hikers', 'climbers') ORDER BY id").Scan(&groups)

	v, err := s.TokenViewer(ctx, annaTok)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(v.Groups)
	if v.ID != anna.ID || v.Username != "anna" || v.Role != RoleMember || !v.CreatedAt.Equal(anna.CreatedAt) ||
		!slices.Equal(v.Groups, groups) || !v.ViaToken || v.SessionID != 0 {
		t.Fatalf("anna's viewer %+v (groups want %v)", v, groups)
	}
	v, err = s.TokenViewer(ctx, monaTok)
	if err != nil {
		t.Fatal(err)
	}
	if v.ID != mona.ID || v.Role != RoleModerator || len(v.Groups) != 0 || !v.IsStaff() {
		t.Fatalf("mona's viewer %+v", v)
	}

	// Unknown, malformed, revoked and orphaned tokens are all refused.
	if err := s.st.W.Exec("DELETE FROM api_tokens WHERE user_id = ?", mona.ID).Error; err != nil {
		t.Fatal(err)
	}
	_, zoeTok := mk("zoe", RoleMember)
	if err := s.st.W.Exec("DELETE FROM users WHERE username = 'zoe'").Error; err != nil {
		t.Fatal(err)
	}
	for name, raw := range map[string]string{"unknown": TokenPrefix + "nope", "no prefix": annaTok[len(TokenPrefix):],
		"too long": annaTok + string(make([]byte, 128)), "revoked": monaTok, "deleted user": zoeTok, "empty": ""} {
		if v, err := s.TokenViewer(ctx, raw); !errs.Is(err, errs.KindUnauthenticated) || v != nil {
			t.Errorf("%s token: %v, %v", name, v, err)
		}
	}
}

func TestSessionViewer(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t)
	now := time.Now().UTC()
	s.now = func() time.Time { return now }
	u, err := s.CreateUser(ctx, Registration{Username: "anna", Email: "anna@example.com", Password: testPassword}, RoleAdmin, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, token, err := s.Login(ctx, "anna", testPassword, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	v, ok, err := s.SessionViewer(ctx, token)
	if err != nil || !ok {
		t.Fatalf("fresh session: %v, %v", ok, err)
	}
	if v.ID != u.ID || v.Role != RoleAdmin || v.SessionID == 0 || len(v.CSRF) < 32 || v.ViaToken || len(v.Groups) != 0 {
		t.Fatalf("viewer %+v", v)
	}
	// Expired, unknown and logged-out sessions are anonymous.
	now = now.Add(SessionTTL + time.Minute)
	if v, ok, err := s.SessionViewer(ctx, token); ok || err != nil || v.SignedIn() {
		t.Fatalf("expired session: %+v, %v, %v", v, ok, err)
	}
	now = now.Add(-SessionTTL)
	if v, ok, err := s.SessionViewer(ctx, "not-a-session"); ok || err != nil || v.SignedIn() {
		t.Fatalf("unknown session: %+v, %v, %v", v, ok, err)
	}
	if err := s.Logout(ctx, token); err != nil {
		t.Fatal(err)
	}
	if v, ok, err := s.SessionViewer(ctx, token); ok || err != nil || v.SignedIn() {
		t.Fatalf("session after logout: %+v, %v, %v", v, ok, err)
	}
}
