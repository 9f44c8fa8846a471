package auth

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// E-mail length limits in bytes (RFC 5321 path and local-part limits).
const (
	maxEmailBytes      = 254
	maxEmailLocalBytes = 64
	maxDomainLabel     = 63
)

func emailError(msg string) error { return &FieldError{Field: "email", Message: msg} }

// NormalizeEmail trims raw, checks that it is a plausible address and returns
// the address (NFC) and its key, the lower-cased address, which must be
// unique. The address must be a single addr-spec accepted by
// net/mail.ParseAddress with no display name, angle brackets, comments or
// quoting; at most 254 bytes with a local part of at most 64; no whitespace,
// control or format characters; and a domain name with a dot, whose labels
// are letters, digits and inner hyphens. Errors are *FieldError for the
// "email" field.
func NormalizeEmail(raw string) (addr, key string, err error) {
	if !utf8.ValidString(raw) {
		return "", "", emailError("the e-mail address contains invalid characters")
	}
	s := norm.NFC.String(strings.TrimSpace(raw))
	if s == "" {
		return "", "", emailError("enter your e-mail address")
	}
	if strings.ContainsAny(s, "<>") {
		return "", "", emailError("enter just the address, like name@example.com, without a name or angle brackets")
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zs, unicode.Zl, unicode.Zp) {
			return "", "", emailError("e-mail addresses may not contain spaces or invisible characters")
		}
	}
	if len(s) > maxEmailBytes {
		return "", "", emailError("e-mail addresses may be at most 254 characters long")
	}
	a, perr := mail.ParseAddress(s)
	if perr != nil || a.Name != "" || a.Address != s {
		return "", "", emailError("this does not look like an e-mail address; it should look like name@example.com")
	}
	at := strings.LastIndexByte(s, '@')
	local, domain := s[:at], s[at+1:]
	if len(local) > maxEmailLocalBytes {
		return "", "", emailError("the part of the e-mail address before the @ may be at most 64 characters long")
	}
	if !plausibleDomain(domain) {
		return "", "", emailError("the part of the e-mail address after the @ must be a domain name like example.com")
	}
	return s, strings.ToLower(s), nil
}

// plausibleDomain reports whether d looks like a public domain name: at least
// two dot-separated labels of letters (any script, for IDNs), digits, marks
// and inner hyphens, each at most 63 bytes, and a top-level label that is not
// all digits.
func plausibleDomain(d string) bool {
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > maxDomainLabel || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.In(r, unicode.Mn, unicode.Mc) {
				return false
			}
		}
	}
	return strings.ContainsFunc(labels[len(labels)-1], func(r rune) bool { return !unicode.IsDigit(r) })
}
