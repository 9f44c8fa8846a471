package auth

import (
	"errors"
	"testing"
	"unicode/utf8"
)

func FuzzNormalizeUsername(f *testing.F) {
	for _, s := range []string{
		"Anna", "ANNA", "an", "anna\u200b", "anna\u202e", "аnna", "Ünal", "Ōsaka_fan", "jürgen.k",
		"_anna", "anna..b", "admin", "ǅemal", "\ufb01ona", "rnartin", "paypa1", "аре", "हिन्दी", "山田たろう",
		"Straße", "Σωκράτης", "\U0001d41a\u043d\u043d\u0430", "İstanbul", "\ufdfa", "anna\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		display, key, err := NormalizeUsername(raw)
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != "username" || fe.Message == "" {
				t.Fatalf("NormalizeUsername(%q) error %#v is not a username *FieldError", raw, err)
			}
			if display != "" || key != "" {
				t.Fatalf("NormalizeUsername(%q) returned %q, %q with an error", raw, display, key)
			}
		} else {
			if !utf8.ValidString(display) || !utf8.ValidString(key) {
				t.Fatalf("NormalizeUsername(%q) = %q, %q: invalid UTF-8", raw, display, key)
			}
			if n := utf8.RuneCountInString(display); n < 3 || n > 20 {
				t.Fatalf("NormalizeUsername(%q) display %q has %d runes", raw, display, n)
			}
			d2, k2, err := NormalizeUsername(display)
			if err != nil || d2 != display || k2 != key {
				t.Fatalf("NormalizeUsername(%q) = %q, %q but NormalizeUsername(display) = %q, %q, %v", raw, display, key, d2, k2, err)
			}
			sk := UsernameSkeleton(key)
			if sk2 := UsernameSkeleton(sk); sk2 != sk {
				t.Fatalf("UsernameSkeleton(%q) = %q, but UsernameSkeleton of that = %q", key, sk, sk2)
			}
		}
		// The skeleton is idempotent on any input, not only on keys.
		if sk := UsernameSkeleton(raw); UsernameSkeleton(sk) != sk {
			t.Fatalf("UsernameSkeleton not idempotent on %q", raw)
		}
	})
}
