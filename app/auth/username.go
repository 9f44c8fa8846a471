package auth

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Username length limits, in runes of the display form.
const (
	minUsernameRunes = 3
	maxUsernameRunes = 20
	// maxUsernameBytes bounds the raw input before normalisation; NFC can
	// shrink a decomposed rune of up to 18 bytes to one rune.
	maxUsernameBytes = 512
	// maxUsernameMarks bounds combining marks on one letter (Thai and
	// Devanagari need up to three; more is "Zalgo" text).
	maxUsernameMarks = 3
)

func usernameError(format string, args ...any) *FieldError {
	return &FieldError{Field: "username", Message: fmt.Sprintf(format, args...)}
}

// NormalizeUsername validates a requested username and returns its display
// form (trimmed, NFC) and its key (NFKC, case-folded, NFKC), which must be
// unique. Store UsernameSkeleton(key) too and keep it unique so look-alikes
// collide.
//
// A username has 3 to 20 characters: letters, digits (\p{Nd}), '_', '-' and
// '.', plus combining marks directly after a letter (so that scripts such as
// Devanagari and Thai can be written). It starts and ends with a letter or a
// digit and has no two of '_', '-', '.' in a row. Invisible characters (format,
// control, private-use, separators, default-ignorables) are refused, as are
// names whose letters and digits mix scripts, except the combinations UTS #39
// calls "highly restrictive" (Latin with Han and Hiragana/Katakana, Bopomofo or
// Hangul), and reserved names. Errors are *FieldError for the "username" field.
func NormalizeUsername(raw string) (display, key string, err error) {
	if ferr := normalizeUsername(raw, &display, &key); ferr != nil {
		return "", "", ferr
	}
	return display, key, nil
}

func normalizeUsername(raw string, display, key *string) *FieldError {
	if !utf8.ValidString(raw) {
		return usernameError("the username contains invalid characters")
	}
	s := strings.TrimSpace(raw)
	if s == "" {
		return usernameError("choose a username")
	}
	if len(s) > maxUsernameBytes {
		return usernameError("usernames may be at most %d characters long", maxUsernameRunes)
	}
	d := norm.NFC.String(s)
	if err := checkUsernameForm(d); err != nil {
		return err
	}
	switch n := utf8.RuneCountInString(d); {
	case n < minUsernameRunes:
		return usernameError("usernames must be at least %d characters long", minUsernameRunes)
	case n > maxUsernameRunes:
		return usernameError("usernames may be at most %d characters long", maxUsernameRunes)
	}
	// Compatibility characters (ligatures, fullwidth and mathematical letters,
	// "ǅ") fold to ordinary ones in the key; refuse those whose folded form is
	// not itself allowed, such as an Arabic ligature that expands to words.
	for _, r := range d {
		for _, k := range usernameKey(string(r)) {
			if !isUsernameLetterOrDigit(k) && !isUsernamePunct(k) && !isUsernameMark(k) {
				return usernameError("usernames may not contain the character %q", r)
			}
		}
	}
	k := usernameKey(d)
	if err := checkUsernameForm(k); err != nil {
		return err
	}
	if isReservedUsername(k) {
		return usernameError("this username is reserved; please choose another")
	}
	*display, *key = d, k
	return nil
}

// usernameKey is NFKC_Casefold in the spirit of UAX #31: NFKC, full case
// folding, NFKC again (folding can produce unnormalised text).
func usernameKey(s string) string {
	return norm.NFKC.String(cases.Fold().String(norm.NFKC.String(s)))
}

// checkUsernameForm applies the character, shape and script rules (not the
// length rule) to s, which is in NFC.
func checkUsernameForm(s string) *FieldError {
	for _, r := range s {
		if unicode.In(r, unicode.Zs) {
			return usernameError("usernames may not contain spaces")
		}
		if isInvisible(r) {
			return usernameError("usernames may not contain invisible or direction-changing characters")
		}
	}
	var (
		prev  rune // previous rune, 0 at the start
		marks int  // combining marks since the last letter
	)
	for _, r := range s {
		switch {
		case isUsernameLetterOrDigit(r):
			marks = 0
		case isUsernamePunct(r):
			if isUsernamePunct(prev) {
				return usernameError("usernames may not have two of '_', '-' and '.' in a row")
			}
		case isUsernameMark(r):
			if prev == 0 || (!unicode.IsLetter(prev) && !isUsernameMark(prev)) {
				return usernameError("accents and other combining marks must follow a letter")
			}
			if marks++; marks > maxUsernameMarks {
				return usernameError("too many accents or marks on one letter")
			}
		default:
			return usernameError("usernames may contain only letters, digits, '_', '-' and '.'; %q is not allowed", r)
		}
		prev = r
	}
	first, _ := utf8.DecodeRuneInString(s)
	if s == "" || !isUsernameLetterOrDigit(first) || isUsernamePunct(prev) {
		return usernameError("usernames must start and end with a letter or digit")
	}
	if scripts := usernameScripts(s); !allowedScriptMix(scripts) {
		return usernameError("usernames may not mix letters from different scripts (this one mixes %s); "+
			"look-alike letters from other alphabets are a common impersonation trick", strings.Join(scripts, " and "))
	}
	return nil
}

func isUsernameLetterOrDigit(r rune) bool { return unicode.IsLetter(r) || unicode.Is(unicode.Nd, r) }

func isUsernamePunct(r rune) bool { return r == '_' || r == '-' || r == '.' }

// isUsernameMark reports a nonspacing or spacing combining mark; enclosing
// marks are not allowed.
func isUsernameMark(r rune) bool { return unicode.In(r, unicode.Mn, unicode.Mc) }

// isInvisible reports characters that render as nothing or change how the
// text around them is displayed: controls, format characters (bidi
// overrides, zero-width joiners, soft hyphens), private use, surrogates, line
// and paragraph separators, variation selectors and the other
// default-ignorable code points (Hangul fillers, combining grapheme joiner…).
func isInvisible(r rune) bool {
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs, unicode.Zl, unicode.Zp,
		unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point)
}

// usernameScripts returns the sorted scripts of the letters, digits and marks
// of s, ignoring Common and Inherited.
func usernameScripts(s string) []string {
	var out []string
	for _, r := range s {
		if sc := scriptOf(r); sc != "" && !slices.Contains(out, sc) {
			out = append(out, sc)
		}
	}
	slices.Sort(out)
	return out
}

// scriptOf returns the Unicode script of r, or "" for Common, Inherited and
// unassigned code points.
func scriptOf(r rune) string {
	if r < utf8.RuneSelf {
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' {
			return "Latin"
		}
		return ""
	}
	for name, table := range unicode.Scripts {
		if unicode.Is(table, r) {
			if name == "Common" || name == "Inherited" {
				return ""
			}
			return name
		}
	}
	return ""
}

// allowedScriptMix reports whether scripts (sorted, distinct) form a single
// script or one of the UTS #39 "highly restrictive" combinations.
func allowedScriptMix(scripts []string) bool {
	if len(scripts) <= 1 {
		return true
	}
	for _, set := range [...][]string{
		{"Han", "Hiragana", "Katakana", "Latin"}, // Japanese
		{"Bopomofo", "Han", "Latin"},             // Chinese
		{"Han", "Hangul", "Latin"},               // Korean
	} {
		ok := true
		for _, sc := range scripts {
			if !slices.Contains(set, sc) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// isReservedUsername reports whether key is, or looks like (same skeleton), a
// reserved name.
func isReservedUsername(key string) bool {
	sk := UsernameSkeleton(key)
	for _, name := range [...]string{
		"admin", "administrator", "moderator", "mod", "staff", "system", "parley", "support",
		"root", "api", "null", "undefined", "anonymous", "everyone", "here", "official",
	} {
		if key == name || sk == UsernameSkeleton(name) {
			return true
		}
	}
	return false
}

// UsernameSkeleton maps a username key to its confusable skeleton, so that
// look-alike names collide: "paypa1" and "paypal", "rnartin" and "martin",
// "anna.b", "anna_b" and "annab", Cyrillic "аре" and Latin "ape". The input is
// a key (already case-folded and NFKC). It drops '_', '-' and '.', maps a
// hand-written subset of UTS #39 confusables (Cyrillic, Greek and Armenian
// look-alikes of Latin letters; 0→o, 1→l, i→l, |→l) and then replaces "rn" by
// "m", "vv" by "w" and "cl" by "d". It is idempotent.
func UsernameSkeleton(key string) string {
	rs := make([]rune, 0, len(key))
	for _, r := range key {
		if isUsernamePunct(r) {
			continue
		}
		rs = append(rs, confusable(r))
	}
	out := rs[:0]
	for i := 0; i < len(rs); i++ {
		if i+1 < len(rs) {
			pair := [2]rune{rs[i], rs[i+1]}
			var m rune
			switch pair {
			case [2]rune{'r', 'n'}:
				m = 'm'
			case [2]rune{'v', 'v'}:
				m = 'w'
			case [2]rune{'c', 'l'}:
				m = 'd'
			}
			if m != 0 {
				out = append(out, m)
				i++
				continue
			}
		}
		out = append(out, rs[i])
	}
	return string(out)
}

// confusable maps r to the Latin letter it is commonly mistaken for. Targets
// are fixed points, which keeps UsernameSkeleton idempotent.
func confusable(r rune) rune {
	switch r {
	// ASCII.
	case '0':
		return 'o'
	case '1', 'i', '|':
		return 'l'
	// Latin look-alikes.
	case 'ɑ': // U+0251 Latin alpha
		return 'a'
	case 'ɡ': // U+0261 script g
		return 'g'
	case 'ı', 'ɩ', 'ǀ': // dotless i, Latin iota, dental click
		return 'l'
	// Cyrillic.
	case 'а':
		return 'a'
	case 'с':
		return 'c'
	case 'ԁ':
		return 'd'
	case 'е':
		return 'e'
	case 'һ':
		return 'h'
	case 'і', 'ӏ': // Byelorussian-Ukrainian i, palochka
		return 'l'
	case 'ј':
		return 'j'
	case 'к':
		return 'k'
	case 'о':
		return 'o'
	case 'р':
		return 'p'
	case 'ԛ':
		return 'q'
	case 'ѕ':
		return 's'
	case 'ѵ':
		return 'v'
	case 'ԝ':
		return 'w'
	case 'х':
		return 'x'
	case 'у', 'ү':
		return 'y'
	// Greek.
	case 'α':
		return 'a'
	case 'ϲ': // lunate sigma
		return 'c'
	case 'η':
		return 'n'
	case 'ι':
		return 'l'
	case 'ϳ':
		return 'j'
	case 'κ':
		return 'k'
	case 'ο':
		return 'o'
	case 'ρ':
		return 'p'
	case 'τ':
		return 't'
	case 'υ':
		return 'u'
	case 'ν':
		return 'v'
	case 'ω':
		return 'w'
	case 'χ':
		return 'x'
	case 'γ':
		return 'y'
	// Armenian.
	case 'հ':
		return 'h'
	case 'ո':
		return 'n'
	case 'օ':
		return 'o'
	case 'զ':
		return 'q'
	case 'ս':
		return 'u'
	}
	return r
}
