package auth

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizeEmail(t *testing.T) {
	// local64 is the longest allowed local part; long254 the longest address.
	local64 := strings.Repeat("a", 64)
	domain := func(n int) string { // a domain of exactly n bytes ending in ".com"
		var b strings.Builder
		for rest := n - len(".com"); rest > 0; {
			l := min(rest, 63)
			if rest-l == 1 { // no room for a dot and a label after this one
				l--
			}
			b.WriteString(strings.Repeat("b", l))
			if rest -= l; rest > 0 {
				b.WriteByte('.')
				rest--
			}
		}
		return b.String() + ".com"
	}
	long254 := local64 + "@" + domain(254-65)
	long255 := local64 + "@" + domain(255-65)
	if len(long254) != 254 || len(long255) != 255 {
		t.Fatalf("test setup: lengths %d and %d", len(long254), len(long255))
	}

	tests := []struct {
		name, raw, addr, key string // addr and key empty: refused
		errContains          string
	}{
		{name: "plain", raw: "anna@example.com", addr: "anna@example.com", key: "anna@example.com"},
		{name: "key lower-cased", raw: "Anna.K@Example.COM", addr: "Anna.K@Example.COM", key: "anna.k@example.com"},
		{name: "trimmed", raw: "  anna@example.com\n", addr: "anna@example.com", key: "anna@example.com"},
		{name: "plus and subdomain", raw: "anna+forum@mail.example.co.uk", addr: "anna+forum@mail.example.co.uk", key: "anna+forum@mail.example.co.uk"},
		{name: "hyphenated domain", raw: "a@my-host.example", addr: "a@my-host.example", key: "a@my-host.example"},
		{name: "internationalised", raw: "Jürgen@Bücher.de", addr: "Jürgen@Bücher.de", key: "jürgen@bücher.de"},
		{name: "254 bytes", raw: long254, addr: long254, key: long254},

		{name: "empty", raw: "", errContains: "enter your e-mail"},
		{name: "blank", raw: "  ", errContains: "enter your e-mail"},
		{name: "display name", raw: "Anna <a@b.c>", errContains: "without a name"},
		{name: "angle brackets", raw: "<anna@example.com>", errContains: "without a name"},
		{name: "quoted display name", raw: `"Anna"<anna@example.com>`, errContains: "without a name"},
		{name: "no dot in domain", raw: "a@b", errContains: "domain name"},
		{name: "inner space", raw: "an na@example.com", errContains: "spaces"},
		{name: "space before @", raw: "anna @example.com", errContains: "spaces"},
		{name: "tab", raw: "anna@exa\tmple.com", errContains: "spaces"},
		{name: "zero-width space", raw: "anna\u200b@example.com", errContains: "invisible"},
		{name: "bidi override", raw: "anna@example\u202e.com", errContains: "invisible"},
		{name: "control", raw: "anna\x01@example.com", errContains: "invisible"},
		{name: "255 bytes", raw: long255, errContains: "at most 254"},
		{name: "long local part", raw: local64 + "a@example.com", errContains: "before the @"},
		{name: "no @", raw: "anna.example.com", errContains: "does not look like"},
		{name: "two @", raw: "anna@b@example.com", errContains: "does not look like"},
		{name: "empty local part", raw: "@example.com", errContains: "does not look like"},
		{name: "empty domain", raw: "anna@", errContains: "does not look like"},
		{name: "double dot", raw: "anna@example..com", errContains: "does not look like"},
		{name: "trailing dot", raw: "anna@example.com.", errContains: "does not look like"},
		{name: "comment", raw: "anna(x)@example.com", errContains: "does not look like"},
		{name: "quoted local part", raw: `"anna"@example.com`, errContains: "does not look like"},
		{name: "domain literal", raw: "anna@[192.0.2.1]", errContains: "domain name"},
		{name: "label starts with hyphen", raw: "anna@-example.com", errContains: "domain name"},
		{name: "numeric top-level label", raw: "anna@192.0.2.1", errContains: "domain name"},
		{name: "underscore in domain", raw: "anna@ex_ample.com", errContains: "domain name"},
		{name: "invalid UTF-8", raw: "anna\xff@example.com", errContains: "invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr, key, err := NormalizeEmail(tt.raw)
			if tt.addr == "" {
				var fe *FieldError
				if !errors.As(err, &fe) || fe.Field != "email" {
					t.Fatalf("NormalizeEmail(%q) = %q, %q, %v; want a *FieldError for email", tt.raw, addr, key, err)
				}
				if !strings.Contains(fe.Message, tt.errContains) {
					t.Fatalf("NormalizeEmail(%q) message %q does not contain %q", tt.raw, fe.Message, tt.errContains)
				}
				return
			}
			if err != nil {
				t.Fatalf("NormalizeEmail(%q) = %v", tt.raw, err)
			}
			if addr != tt.addr || key != tt.key {
				t.Fatalf("NormalizeEmail(%q) = %q, %q; want %q, %q", tt.raw, addr, key, tt.addr, tt.key)
			}
		})
	}
}
