package auth

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"parley/app/errs"
)

// cheapParams keep the tests fast; production uses DefaultPasswordParams.
var cheapParams = PasswordParams{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

func TestDefaultPasswordParams(t *testing.T) {
	want := PasswordParams{Memory: 19456, Time: 2, Threads: 1, KeyLen: 32, SaltLen: 16}
	if got := DefaultPasswordParams(); got != want {
		t.Fatalf("DefaultPasswordParams() = %+v, want %+v", got, want)
	}
}

func TestHashPasswordFormat(t *testing.T) {
	h, err := HashPassword(DefaultPasswordParams(), "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	if !re.MatchString(h) {
		t.Fatalf("hash %q does not match %s", h, re)
	}
	ok, err := VerifyPassword(h, "correct horse battery staple")
	if err != nil || !ok {
		t.Fatalf("VerifyPassword(own hash) = %v, %v; want true, nil", ok, err)
	}
	h2, err := HashPassword(DefaultPasswordParams(), "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if h == h2 {
		t.Fatal("two hashes of the same password are equal; the salt is not random")
	}
}

func TestVerifyPassword(t *testing.T) {
	tests := []struct {
		name, password, try string
		want                bool
	}{
		{"same", "correct horse battery staple", "correct horse battery staple", true},
		{"wrong", "correct horse battery staple", "correct horse battery stapler", false},
		{"case matters", "Correct Horse", "correct horse", false},
		{"empty try", "correct horse battery staple", "", false},
		{"unicode", "pässwörd-ünïcödé", "pässwörd-ünïcödé", true},
		{"empty password", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := HashPassword(cheapParams, tt.password)
			if err != nil {
				t.Fatal(err)
			}
			got, err := VerifyPassword(h, tt.try)
			if err != nil {
				t.Fatalf("VerifyPassword: %v", err)
			}
			if got != tt.want {
				t.Fatalf("VerifyPassword(%q) = %v, want %v", tt.try, got, tt.want)
			}
		})
	}
}

func TestVerifyPasswordMalformed(t *testing.T) {
	good, err := HashPassword(cheapParams, "some password")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$") // "", argon2id, v=19, m=..., salt, hash
	salt, sum := parts[4], parts[5]
	with := func(alg, ver, params, salt, sum string) string {
		return strings.Join([]string{"", alg, ver, params, salt, sum}, "$")
	}
	tests := []struct{ name, hash string }{
		{"empty", ""},
		{"garbage", "not a hash"},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"argon2i", with("argon2i", "v=19", "m=64,t=1,p=1", salt, sum)},
		{"no leading dollar", strings.TrimPrefix(good, "$")},
		{"extra field", good + "$x"},
		{"missing field", strings.Join([]string{"", "argon2id", "v=19", "m=64,t=1,p=1", salt}, "$")},
		{"old version", with("argon2id", "v=16", "m=64,t=1,p=1", salt, sum)},
		{"params out of order", with("argon2id", "v=19", "t=1,m=64,p=1", salt, sum)},
		{"params missing", with("argon2id", "v=19", "m=64,t=1", salt, sum)},
		{"params extra", with("argon2id", "v=19", "m=64,t=1,p=1,keyid=x", salt, sum)},
		{"param not a number", with("argon2id", "v=19", "m=lots,t=1,p=1", salt, sum)},
		{"negative param", with("argon2id", "v=19", "m=-64,t=1,p=1", salt, sum)},
		{"absurd memory", with("argon2id", "v=19", "m=4294967295,t=1,p=1", salt, sum)},
		{"memory overflows uint32", with("argon2id", "v=19", "m=4294967296,t=1,p=1", salt, sum)},
		{"memory just over 1 GiB", with("argon2id", "v=19", "m=1048577,t=1,p=1", salt, sum)},
		{"absurd time", with("argon2id", "v=19", "m=64,t=4294967295,p=1", salt, sum)},
		{"time 21", with("argon2id", "v=19", "m=64,t=21,p=1", salt, sum)},
		{"time 0", with("argon2id", "v=19", "m=64,t=0,p=1", salt, sum)},
		{"threads 0", with("argon2id", "v=19", "m=64,t=1,p=0", salt, sum)},
		{"threads 65", with("argon2id", "v=19", "m=1024,t=1,p=65", salt, sum)},
		{"threads 256", with("argon2id", "v=19", "m=4096,t=1,p=256", salt, sum)},
		{"memory below 8 per thread", with("argon2id", "v=19", "m=8,t=1,p=2", salt, sum)},
		{"bad base64 salt", with("argon2id", "v=19", "m=64,t=1,p=1", "!!!!"+salt[4:], sum)},
		{"bad base64 hash", with("argon2id", "v=19", "m=64,t=1,p=1", salt, "@@@@"+sum[4:])},
		{"padded base64", with("argon2id", "v=19", "m=64,t=1,p=1", salt+"==", sum)},
		{"empty salt", with("argon2id", "v=19", "m=64,t=1,p=1", "", sum)},
		{"short salt", with("argon2id", "v=19", "m=64,t=1,p=1", "AAAA", sum)},
		{"empty hash", with("argon2id", "v=19", "m=64,t=1,p=1", salt, "")},
		{"short hash", with("argon2id", "v=19", "m=64,t=1,p=1", salt, "AAAAAAAA")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := VerifyPassword(tt.hash, "some password")
			if err == nil || ok {
				t.Fatalf("VerifyPassword(%q) = %v, %v; want false and an error", tt.hash, ok, err)
			}
		})
	}
	// The same hash with its own parameters spelled out verifies.
	if ok, err := VerifyPassword(with("argon2id", "v=19", "m=64,t=1,p=1", salt, sum), "some password"); err != nil || !ok {
		t.Fatalf("rebuilt good hash: %v, %v", ok, err)
	}
}

func TestHashPasswordRefusesBadParams(t *testing.T) {
	tests := []struct {
		name string
		p    PasswordParams
	}{
		{"zero", PasswordParams{}},
		{"memory over 1 GiB", PasswordParams{Memory: 1<<20 + 1, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}},
		{"time 0", PasswordParams{Memory: 64, Time: 0, Threads: 1, KeyLen: 32, SaltLen: 16}},
		{"threads 0", PasswordParams{Memory: 64, Time: 1, Threads: 0, KeyLen: 32, SaltLen: 16}},
		{"short key", PasswordParams{Memory: 64, Time: 1, Threads: 1, KeyLen: 4, SaltLen: 16}},
		{"short salt", PasswordParams{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if h, err := HashPassword(tt.p, "whatever password"); err == nil {
				t.Fatalf("HashPassword(%+v) = %q, want an error", tt.p, h)
			}
		})
	}
}

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		name, password, username, email string
		ok                              bool
	}{
		{"9 chars", "xkq7wzj3m", "", "", false},
		{"10 chars", "xkq7wzj3mv", "", "", true},
		{"200 chars", strings.Repeat("xkq7wzj3mv", 20), "", "", true},
		{"201 chars", strings.Repeat("xkq7wzj3mv", 20) + "x", "", "", false},
		{"10 multibyte runes", "żółćęśąźńł", "", "", true},
		{"9 multibyte runes", "żółćęśąźń", "", "", false},
		{"200 multibyte runes", strings.Repeat("日本語のパスワード!", 20), "", "", true},
		{"201 multibyte runes", strings.Repeat("日本語のパスワード!", 20) + "日", "", "", false},
		{"common password123", "password123", "", "", false},
		{"common Qwertyuiop", "Qwertyuiop", "", "", false},
		{"common 1234567890", "1234567890", "", "", false},
		{"common with spaces", "  qwertyuiop  ", "", "", false},
		{"same as username", "annabelle.k", "annabelle.k", "", false},
		{"same as username, other case", "AnnaBelle.K", "annabelle.k", "", false},
		{"contains username is fine", "annabelle.k-likes-tea", "annabelle.k", "", true},
		{"same as e-mail", "anna@example.com", "anna", "anna@example.com", false},
		{"same as e-mail, other case", "Anna@Example.COM", "anna", "anna@example.com", false},
		{"same as e-mail local part", "annabelle.k", "anna", "AnnaBelle.K@example.com", false},
		{"unrelated", "violet tangerine lamp", "annabelle", "annabelle@example.com", true},
		{"invalid UTF-8", "xkq7wzj3mv\xff", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckPassword(tt.password, tt.username, tt.email)
			if tt.ok {
				if err != nil {
					t.Fatalf("CheckPassword(%q) = %v, want nil", tt.password, err)
				}
				return
			}
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != "password" || fe.Message == "" {
				t.Fatalf("CheckPassword(%q) = %#v, want a *FieldError for password", tt.password, err)
			}
		})
	}
}

func TestCommonPasswords(t *testing.T) {
	if n := len(commonPasswords()); n < 3000 {
		t.Fatalf("common password list has %d entries, want at least 3000", n)
	}
	for line := range strings.Lines(commonPasswordsText) {
		w := strings.TrimSuffix(line, "\n")
		if w == "" || w != strings.ToLower(strings.TrimSpace(w)) {
			t.Fatalf("list entry %q is not trimmed, lower-cased and non-empty", w)
		}
	}
	for _, pw := range []string{"123456", "password", "Password", " PASSWORD ", "qwertyuiop", "password123", "iloveyou"} {
		if !IsCommonPassword(pw) {
			t.Errorf("IsCommonPassword(%q) = false, want true", pw)
		}
	}
	for _, pw := range []string{"", "violet tangerine lamp", "xkq7wzj3mv"} {
		if IsCommonPassword(pw) {
			t.Errorf("IsCommonPassword(%q) = true, want false", pw)
		}
	}
}

func TestFieldError(t *testing.T) {
	err := error(&FieldError{Field: "password", Message: "too short"})
	if got := err.Error(); got != "password: too short" {
		t.Fatalf("Error() = %q", got)
	}
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind != errs.KindInvalid || e.Fields["password"] != "too short" {
		t.Fatalf("errors.As(*errs.Error) = %#v", e)
	}
	f := errs.Fields{}
	f.AddErr("fallback", err)
	if f["password"] != "too short" || len(f) != 1 {
		t.Fatalf("AddErr filed %v", f)
	}
}
