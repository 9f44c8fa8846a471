package auth

import (
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"parley/app/errs"
)

// FieldError is a validation error on one form/API field. Field errors carry
// the field they concern so that the HTML form and the JSON API show the same
// message next to the right input.
type FieldError struct{ Field, Message string }

// Error returns "field: message".
func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// Unwrap exposes the error as an *errs.Error of kind KindInvalid carrying the
// same field and message, so errors.As finds it: errs.Fields.AddErr files the
// bare message under the right field and the web error handler answers 422.
func (e *FieldError) Unwrap() error { return errs.Field(e.Field, "%s", e.Message) }

func passwordError(msg string) error { return &FieldError{Field: "password", Message: msg} }

// Password length limits, in runes.
const (
	minPasswordRunes = 10
	maxPasswordRunes = 200
)

// Limits on argon2id parameters. VerifyPassword refuses a stored hash outside
// them instead of allocating whatever a corrupt or hostile row asks for, and
// HashPassword refuses to produce one.
const (
	maxPasswordMemory  = 1 << 20 // KiB, i.e. 1 GiB
	maxPasswordTime    = 20
	maxPasswordThreads = 64
	minPasswordKeyLen  = 16
	maxPasswordKeyLen  = 1024
	minPasswordSaltLen = 8
	maxPasswordSaltLen = 1024
)

// PasswordParams are argon2id cost parameters. Memory is in KiB.
// DefaultPasswordParams is the production value; tests may use cheaper ones.
type PasswordParams struct {
	Memory  uint32
	Time    uint32
	Threads uint8
	KeyLen  uint32
	SaltLen uint32
}

// DefaultPasswordParams returns OWASP's recommended argon2id minimum: 19 MiB of
// memory, 2 iterations, 1 thread, a 32-byte key and a 16-byte salt.
func DefaultPasswordParams() PasswordParams {
	return PasswordParams{Memory: 19 * 1024, Time: 2, Threads: 1, KeyLen: 32, SaltLen: 16}
}

// validate reports why p is unusable, or nil.
func (p PasswordParams) validate() error {
	switch {
	case p.Time < 1 || p.Time > maxPasswordTime:
		return fmt.Errorf("time %d outside 1..%d", p.Time, maxPasswordTime)
	case p.Threads < 1 || p.Threads > maxPasswordThreads:
		return fmt.Errorf("threads %d outside 1..%d", p.Threads, maxPasswordThreads)
	case p.Memory < 8*uint32(p.Threads) || p.Memory > maxPasswordMemory:
		return fmt.Errorf("memory %d KiB outside %d..%d", p.Memory, 8*uint32(p.Threads), maxPasswordMemory)
	case p.KeyLen < minPasswordKeyLen || p.KeyLen > maxPasswordKeyLen:
		return fmt.Errorf("key length %d outside %d..%d", p.KeyLen, minPasswordKeyLen, maxPasswordKeyLen)
	case p.SaltLen < minPasswordSaltLen || p.SaltLen > maxPasswordSaltLen:
		return fmt.Errorf("salt length %d outside %d..%d", p.SaltLen, minPasswordSaltLen, maxPasswordSaltLen)
	}
	return nil
}

// HashPassword hashes password with argon2id and a fresh random salt and
// returns a PHC string:
//
//	$argon2id$v=19$m=19456,t=2,p=1$<salt, base64 raw std>$<hash, base64 raw std>
func HashPassword(p PasswordParams, password string) (string, error) {
	if err := p.validate(); err != nil {
		return "", fmt.Errorf("auth: password parameters: %w", err)
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: password salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches hash, a PHC string made by
// HashPassword. It reads the parameters from the hash, so hashes made with
// older costs keep working, and compares in constant time. A malformed hash,
// or one whose parameters exceed sane limits, is an error.
func VerifyPassword(hash, password string) (bool, error) {
	p, salt, want, err := parsePasswordHash(hash)
	if err != nil {
		return false, fmt.Errorf("auth: malformed password hash: %w", err)
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

func parsePasswordHash(hash string) (p PasswordParams, salt, key []byte, err error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" {
		return p, nil, nil, fmt.Errorf("want 5 '$'-separated fields")
	}
	if parts[1] != "argon2id" {
		return p, nil, nil, fmt.Errorf("algorithm %q is not argon2id", parts[1])
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, fmt.Errorf("version %q is not v=%d", parts[2], argon2.Version)
	}
	kv := strings.Split(parts[3], ",")
	if len(kv) != 3 {
		return p, nil, nil, fmt.Errorf("want parameters m,t,p")
	}
	var nums [3]uint64
	for i, name := range [3]string{"m=", "t=", "p="} {
		v, ok := strings.CutPrefix(kv[i], name)
		if !ok {
			return p, nil, nil, fmt.Errorf("parameter %d is not %s", i+1, name)
		}
		bits := 32
		if name == "p=" {
			bits = 8
		}
		if nums[i], err = strconv.ParseUint(v, 10, bits); err != nil {
			return p, nil, nil, fmt.Errorf("parameter %s: %w", name, err)
		}
	}
	b64 := base64.RawStdEncoding.Strict()
	if salt, err = b64.DecodeString(parts[4]); err != nil {
		return p, nil, nil, fmt.Errorf("salt: %w", err)
	}
	if key, err = b64.DecodeString(parts[5]); err != nil {
		return p, nil, nil, fmt.Errorf("hash: %w", err)
	}
	// ParseUint above bounded each number to its field's bit size, and the
	// base64 fields are at most a few KB, so these conversions cannot overflow.
	p = PasswordParams{Memory: uint32(nums[0]), Time: uint32(nums[1]), Threads: uint8(nums[2]), //nolint:gosec // bounded, see above
		KeyLen: uint32(len(key)), SaltLen: uint32(len(salt))} //nolint:gosec // bounded, see above
	if err := p.validate(); err != nil {
		return p, nil, nil, err
	}
	return p, salt, key, nil
}

// CheckPassword enforces the password rules: 10 to 200 characters, not one of
// the most common passwords, and not the same as the username, the e-mail
// address or its local part (case-insensitively). username and email may be
// empty (for example when they failed their own checks). The error is a
// *FieldError for the "password" field.
func CheckPassword(password, username, email string) error {
	if !utf8.ValidString(password) {
		return passwordError("the password contains invalid characters")
	}
	n := utf8.RuneCountInString(password)
	if n < minPasswordRunes {
		return passwordError(fmt.Sprintf("passwords must be at least %d characters long; a few unrelated words make a good one", minPasswordRunes))
	}
	if n > maxPasswordRunes {
		return passwordError(fmt.Sprintf("passwords may be at most %d characters long", maxPasswordRunes))
	}
	if IsCommonPassword(password) {
		return passwordError("this is one of the most commonly used passwords and easy to guess; please choose another")
	}
	pw := strings.TrimSpace(password)
	if u := strings.TrimSpace(username); u != "" && strings.EqualFold(pw, u) {
		return passwordError("the password must not be the same as your username")
	}
	if e := strings.TrimSpace(email); e != "" {
		if strings.EqualFold(pw, e) {
			return passwordError("the password must not be the same as your e-mail address")
		}
		if at := strings.LastIndexByte(e, '@'); at > 0 && strings.EqualFold(pw, e[:at]) {
			return passwordError("the password must not be the same as the first part of your e-mail address")
		}
	}
	return nil
}

//go:embed common_passwords.txt
var commonPasswordsText string

// commonPasswords is the embedded list, parsed on first use.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	m := make(map[string]struct{}, 10000)
	for line := range strings.Lines(commonPasswordsText) {
		if w := strings.TrimSpace(line); w != "" {
			m[strings.ToLower(w)] = struct{}{}
		}
	}
	return m
})

// IsCommonPassword reports whether pw, trimmed and compared case-insensitively,
// is in the list of the most common passwords.
func IsCommonPassword(pw string) bool {
	_, ok := commonPasswords()[strings.ToLower(strings.TrimSpace(pw))]
	return ok
}
