package auth

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizeUsername(t *testing.T) {
	tests := []struct {
		name, raw    string
		display, key string // wanted on success
		errContains  string // wanted in the message on failure
	}{
		// Accepted.
		{name: "plain", raw: "Anna", display: "Anna", key: "anna"},
		{name: "upper case same key", raw: "ANNA", display: "ANNA", key: "anna"},
		{name: "trimmed", raw: "  Anna\t\n", display: "Anna", key: "anna"},
		{name: "three runes", raw: "Bob", display: "Bob", key: "bob"},
		{name: "twenty runes", raw: strings.Repeat("abcd", 5), display: strings.Repeat("abcd", 5), key: strings.Repeat("abcd", 5)},
		{name: "digits only", raw: "2024", display: "2024", key: "2024"},
		{name: "umlaut", raw: "Ünal", display: "Ünal", key: "ünal"},
		{name: "macron and underscore", raw: "Ōsaka_fan", display: "Ōsaka_fan", key: "ōsaka_fan"},
		{name: "dot", raw: "jürgen.k", display: "jürgen.k", key: "jürgen.k"},
		{name: "hyphen", raw: "anne-marie", display: "anne-marie", key: "anne-marie"},
		{name: "decomposed input composed by NFC", raw: "U\u0308nal", display: "Ünal", key: "ünal"},
		{name: "eszett folds to ss", raw: "Straße", display: "Straße", key: "strasse"},
		{name: "titlecase digraph folded by NFKC", raw: "ǅemal", display: "ǅemal", key: "džemal"},
		{name: "ligature folded by NFKC", raw: "\ufb01ona", display: "\ufb01ona", key: "fiona"},
		{name: "fullwidth folded by NFKC", raw: "Ａｎｎａ", display: "Ａｎｎａ", key: "anna"},
		{name: "all Cyrillic", raw: "Дмитрий", display: "Дмитрий", key: "дмитрий"},
		{name: "all Greek", raw: "Σωκράτης", display: "Σωκράτης", key: "σωκράτησ"},
		{name: "Japanese mixes Han and kana", raw: "山田たろう", display: "山田たろう", key: "山田たろう"},
		{name: "Latin with Han", raw: "tanaka山田", display: "tanaka山田", key: "tanaka山田"},
		{name: "Devanagari with marks", raw: "हिन्दी", display: "हिन्दी", key: "हिन्दी"},
		{name: "Latin with digits", raw: "anna1990", display: "anna1990", key: "anna1990"},

		// Refused.
		{name: "empty", raw: "", errContains: "choose a username"},
		{name: "only spaces", raw: "   ", errContains: "choose a username"},
		{name: "too short", raw: "an", errContains: "at least 3"},
		{name: "too long", raw: strings.Repeat("a", 21), errContains: "at most 20"},
		{name: "too long in runes", raw: strings.Repeat("ü", 21), errContains: "at most 20"},
		{name: "huge", raw: strings.Repeat("a", 10000), errContains: "at most 20"},
		{name: "zero-width space", raw: "anna\u200b", errContains: "invisible or direction-changing"},
		{name: "zero-width joiner inside", raw: "an\u200dna", errContains: "invisible or direction-changing"},
		{name: "right-to-left override", raw: "anna\u202e", errContains: "invisible or direction-changing"},
		{name: "left-to-right isolate", raw: "\u2066anna", errContains: "invisible or direction-changing"},
		{name: "soft hyphen", raw: "an\u00adna", errContains: "invisible or direction-changing"},
		{name: "variation selector", raw: "anna\ufe0f", errContains: "invisible or direction-changing"},
		{name: "Hangul filler", raw: "anna\u3164", errContains: "invisible or direction-changing"},
		{name: "NUL", raw: "an\x00na", errContains: "invisible or direction-changing"},
		{name: "private use", raw: "anna\ue000", errContains: "invisible or direction-changing"},
		{name: "line separator", raw: "an\u2028na", errContains: "invisible or direction-changing"},
		{name: "inner space", raw: "anna b", errContains: "spaces"},
		{name: "no-break space", raw: "anna\u00a0b", errContains: "spaces"},
		{name: "invalid UTF-8", raw: "anna\xff", errContains: "invalid"},
		{name: "at sign", raw: "anna@b", errContains: "only letters, digits"},
		{name: "emoji", raw: "anna😀", errContains: "only letters, digits"},
		{name: "math symbol", raw: "a+b=c", errContains: "only letters, digits"},
		{name: "leading underscore", raw: "_anna", errContains: "start and end"},
		{name: "trailing dot", raw: "anna.", errContains: "start and end"},
		{name: "leading mark", raw: "\u0301anna", errContains: "follow a letter"},
		{name: "mark on digit", raw: "anna1\u0301", errContains: "follow a letter"},
		{name: "zalgo", raw: "an\u0301\u0302\u0303\u0304\u0305na", errContains: "too many"},
		{name: "two dots", raw: "anna..b", errContains: "in a row"},
		{name: "dot underscore", raw: "anna._b", errContains: "in a row"},
		{name: "Cyrillic a with Latin", raw: "аnna", errContains: "mix"},
		{name: "Greek omicron with Latin", raw: "gοogle", errContains: "mix"},
		{name: "Latin with Arabic-Indic digit", raw: "anna\u0663", errContains: "mix"},
		{name: "Cyrillic hidden in fullwidth", raw: "Ａnnа", errContains: "mix"},
		{name: "ligature expanding to words", raw: "\u0639\u0644\u064a\ufdfa", errContains: "may not contain the character"},
		{name: "reserved", raw: "admin", errContains: "reserved"},
		{name: "reserved any case", raw: "Admin", errContains: "reserved"},
		{name: "reserved fullwidth", raw: "ＡＤＭＩＮ", errContains: "reserved"},
		{name: "reserved look-alike", raw: "adm1n", errContains: "reserved"},
		{name: "reserved with dot", raw: "sup.port", errContains: "reserved"},
		{name: "reserved rn", raw: "rnoderator", errContains: "reserved"},
		{name: "reserved parley", raw: "Parley", errContains: "reserved"},
		{name: "Cyrillic behind mathematical letter", raw: "\U0001d41aнна", errContains: "mix"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			display, key, err := NormalizeUsername(tt.raw)
			if tt.display == "" && tt.key == "" {
				var fe *FieldError
				if !errors.As(err, &fe) || fe.Field != "username" {
					t.Fatalf("NormalizeUsername(%q) = %q, %q, %v; want a *FieldError for username", tt.raw, display, key, err)
				}
				if !strings.Contains(fe.Message, tt.errContains) {
					t.Fatalf("NormalizeUsername(%q) message %q does not contain %q", tt.raw, fe.Message, tt.errContains)
				}
				if display != "" || key != "" {
					t.Fatalf("NormalizeUsername(%q) returned %q, %q with an error", tt.raw, display, key)
				}
				return
			}
			if err != nil {
				t.Fatalf("NormalizeUsername(%q) = %v, want %q, %q", tt.raw, err, tt.display, tt.key)
			}
			if display != tt.display || key != tt.key {
				t.Fatalf("NormalizeUsername(%q) = %q, %q; want %q, %q", tt.raw, display, key, tt.display, tt.key)
			}
		})
	}
}

func TestUsernameSkeleton(t *testing.T) {
	key := func(t *testing.T, raw string) string {
		t.Helper()
		_, k, err := NormalizeUsername(raw)
		if err != nil {
			t.Fatalf("NormalizeUsername(%q): %v", raw, err)
		}
		return k
	}
	collide := []struct{ a, b string }{
		{"paypal", "paypa1"},
		{"paypal", "PayPaI"}, // capital I folds to i, which looks like l
		{"rnartin", "martin"},
		{"anna.b", "annab"},
		{"anna_b", "annab"},
		{"anna-b", "anna.b"},
		{"аре", "ape"}, // all Cyrillic vs all Latin
		{"ѕсоре", "scope"},
		{"οκτα", "okta"}, // all Greek
		{"vvalter", "walter"},
		{"clara", "dara"},
		{"g00gle", "google"},
		{"bi11", "bill"},
	}
	for _, c := range collide {
		ka, kb := key(t, c.a), key(t, c.b)
		if sa, sb := UsernameSkeleton(ka), UsernameSkeleton(kb); sa != sb {
			t.Errorf("skeletons of %q (%q) and %q (%q) differ", c.a, sa, c.b, sb)
		}
	}
	distinct := []struct{ a, b string }{
		{"anna", "hanna"},
		{"martin", "martina"},
		{"ape", "apex"},
		{"Дмитрий", "dmitry"},
	}
	for _, c := range distinct {
		ka, kb := key(t, c.a), key(t, c.b)
		if sa, sb := UsernameSkeleton(ka), UsernameSkeleton(kb); sa == sb {
			t.Errorf("skeletons of %q and %q are both %q", c.a, c.b, sa)
		}
	}
}

func TestUsernameSkeletonIdempotent(t *testing.T) {
	for _, s := range []string{
		"", "anna", "rnartin", "rrnn", "vvv", "vvvv", "c1", "ci", "cll", "rn.n", "r_n", "v-v", "c.l",
		"аре", "ѕсоре", "οκτα", "i|1l", "0o0", "anna.b_c-d", "山田たろう", "हिन्दी", "\xff\xfe", "rnrnrn", "crn", "ccll",
	} {
		once := UsernameSkeleton(s)
		if twice := UsernameSkeleton(once); twice != once {
			t.Errorf("UsernameSkeleton(%q) = %q but UsernameSkeleton(%q) = %q", s, once, once, twice)
		}
	}
}
