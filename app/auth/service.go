// Package auth owns accounts, roles, sessions, API tokens, passwords and the
// sign-in throttle.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"parley/app/errs"
	"parley/app/store"
)

// SessionTTL is how long a sign-in lasts.
const SessionTTL = 30 * 24 * time.Hour

// Service is the account service.
type Service struct {
	st       *store.Store
	params   PasswordParams
	throttle *Throttle
	now      func() time.Time
	dummy    string // a hash checked for unknown users, so timing does not reveal them
	// StaffGroupID is the built-in group every staff member belongs to.
	StaffGroupID int64
	terms        Terms // nil: sign-up accepts nothing
}

// Terms is what a sign-up must accept: the community guidelines.
// CurrentVersion reads through db (Register asks inside its transaction)
// and returns 0 when there is nothing to accept.
type Terms interface {
	CurrentVersion(db *gorm.DB) (int, error)
}

// RequireTerms makes Register demand that new members accept t's current
// version (Registration.AcceptGuidelines) and record it on the account.
// Call it while building the app, before serving.
func (s *Service) RequireTerms(t Terms) { s.terms = t }

// New builds the service. params are the argon2id costs for new hashes.
func New(ctx context.Context, st *store.Store, params PasswordParams) (*Service, error) {
	s := &Service{st: st, params: params, throttle: NewThrottle(), now: func() time.Time { return time.Now().UTC() }}
	dummy, err := HashPassword(params, "not-a-real-password")
	if err != nil {
		return nil, fmt.Errorf("auth: password parameters: %w", err)
	}
	s.dummy = dummy
	if err := st.R.WithContext(ctx).Raw("SELECT id FROM user_groups WHERE slug = 'staff'").Scan(&s.StaffGroupID).Error; err != nil {
		return nil, fmt.Errorf("auth: staff group: %w", err)
	}
	return s, nil
}

// Registration is the input of Register.
type Registration struct {
	Username string `json:"username"`
	Email    string `json:"email"`
	Password string `json:"password"`
	// AcceptGuidelines is the version of the community guidelines the
	// person accepts; sign-up requires the current one (see RequireTerms).
	AcceptGuidelines int `json:"accept_guidelines"`
}

// Register creates a member account (the sign-up form and POST /api/v1/users).
func (s *Service) Register(ctx context.Context, r Registration) (*User, error) {
	return s.createUser(ctx, r, RoleMember, 0, true)
}

// CreateUser validates and stores a new account with role, writing the
// user.registered event in the same transaction. actorID is 0 for sign-ups.
// Accounts made this way (by an admin, the command line, the demo) are not
// asked to accept the guidelines.
func (s *Service) CreateUser(ctx context.Context, r Registration, role Role, actorID int64) (*User, error) {
	return s.createUser(ctx, r, role, actorID, false)
}

// checkTerms is the sign-up's acceptance of the guidelines: the version to
// record on the account (0 when there are none), or a field error naming
// the current version.
func (s *Service) checkTerms(db *gorm.DB, accepted int) (int, error) {
	if s.terms == nil {
		return 0, nil
	}
	cur, err := s.terms.CurrentVersion(db)
	if err != nil || cur == 0 {
		return 0, err
	}
	if accepted != cur {
		return 0, &errs.Error{Kind: errs.KindInvalid, Message: fmt.Sprintf("Please accept the community guidelines (version %d) to sign up.", cur),
			Fields: map[string]string{"accept_guidelines": fmt.Sprintf("read and accept the community guidelines, version %d (send \"accept_guidelines\": %d)", cur, cur)}}
	}
	return cur, nil
}

func (s *Service) createUser(ctx context.Context, r Registration, role Role, actorID int64, signUp bool) (*User, error) {
	f := errs.Fields{}
	display, key, err := NormalizeUsername(r.Username)
	if err != nil {
		f.AddErr("username", err)
	}
	email, emailKey, err := NormalizeEmail(r.Email)
	if err != nil {
		f.AddErr("email", err)
	}
	if err := CheckPassword(r.Password, display, email); err != nil {
		f.AddErr("password", err)
	}
	if _, ok := ParseRole(string(role)); !ok {
		f.Add("role", "role must be member, moderator, manager or admin")
	}
	if signUp {
		// Checked again inside the transaction (a new version may be
		// published meanwhile); here so the form shows every error at once.
		_, err := s.checkTerms(s.st.R.WithContext(ctx), r.AcceptGuidelines)
		if _, ok := errs.As(err); ok {
			f.AddErr("accept_guidelines", err)
		} else if err != nil {
			return nil, err
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	hash, err := HashPassword(s.params, r.Password)
	if err != nil {
		return nil, fmt.Errorf("auth: hash password: %w", err)
	}
	now := s.now()
	u := &User{Username: display, UsernameKey: key, UsernameSkeleton: UsernameSkeleton(key), Email: email,
		EmailKey: emailKey, PasswordHash: hash, Role: role, CreatedAt: now, UpdatedAt: now}
	err = s.st.Tx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&User{}).Where("username_key = ? OR username_skeleton = ?", key, u.UsernameSkeleton).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return errs.Field("username", "this username (or one that looks just like it) is taken")
		}
		if err := tx.Model(&User{}).Where("email_key = ?", emailKey).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return errs.Field("email", "an account with this e-mail address exists; sign in instead")
		}
		if signUp {
			v, err := s.checkTerms(tx, r.AcceptGuidelines)
			if err != nil {
				return err
			}
			if v > 0 {
				u.GuidelinesVersion, u.GuidelinesAcceptedAt = &v, &now
			}
		}
		if err := tx.Create(u).Error; err != nil {
			return fmt.Errorf("auth: create user: %w", err)
		}
		_, err := store.Emit(tx, "user.registered", store.ScopeStaff, actorID, fmt.Sprintf("user:%d", u.ID),
			map[string]any{"user_id": u.ID, "username": u.Username, "role": u.Role})
		return err
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// ErrBadLogin is the one answer for an unknown user and a wrong password.
var ErrBadLogin = errs.Unauthenticated("the username or password is wrong")

// Login checks credentials under the throttle and opens a session. It returns
// the raw session token for the cookie.
func (s *Service) Login(ctx context.Context, login, password, ip string) (*User, string, error) {
	login = strings.TrimSpace(login)
	account := strings.ToLower(login)
	if wait := s.throttle.Blocked(ip, account, s.now()); wait > 0 {
		return nil, "", errs.RateLimited("too many failed sign-in attempts; try again later", wait)
	}
	u, err := s.findLogin(ctx, login)
	ok := false
	if err == nil {
		ok, err = VerifyPassword(u.PasswordHash, password)
		if err != nil {
			return nil, "", fmt.Errorf("auth: verify password of user %d: %w", u.ID, err)
		}
	} else if errs.Is(err, errs.KindNotFound) {
		// Spend the same time as a real check so response timing does not
		// reveal which usernames exist.
		_, _ = VerifyPassword(s.dummy, password)
	} else {
		return nil, "", err
	}
	if !ok {
		s.throttle.Fail(ip, account, s.now())
		return nil, "", ErrBadLogin
	}
	token, err := s.openSession(ctx, u.ID)
	if err != nil {
		return nil, "", err
	}
	return u, token, nil
}

func (s *Service) findLogin(ctx context.Context, login string) (*User, error) {
	var u User
	q := s.st.R.WithContext(ctx)
	var err error
	if strings.Contains(login, "@") {
		err = q.Where("email_key = ?", strings.ToLower(login)).First(&u).Error
	} else {
		_, key, nerr := NormalizeUsername(login)
		if nerr != nil {
			key = strings.ToLower(login)
		}
		err = q.Where("username_key = ?", key).First(&u).Error
	}
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errs.NotFound("user")
	}
	if err != nil {
		return nil, fmt.Errorf("auth: find login: %w", err)
	}
	return &u, nil
}

func (s *Service) openSession(ctx context.Context, userID int64) (string, error) {
	token, csrf := randomToken(32), randomToken(32)
	now := s.now()
	row := session{TokenHash: hashToken(token), CSRFToken: csrf, UserID: userID, CreatedAt: now, ExpiresAt: now.Add(SessionTTL)}
	err := s.st.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Sweep this user's expired sessions while we are here, so the
		// table does not grow without bound.
		if err := tx.Where("user_id = ? AND expires_at < ?", userID, now).Delete(&session{}).Error; err != nil {
			return err
		}
		return tx.Create(&row).Error
	})
	if err != nil {
		return "", fmt.Errorf("auth: open session: %w", err)
	}
	return token, nil
}

// Logout ends the session with this raw token.
func (s *Service) Logout(ctx context.Context, token string) error {
	return s.st.W.WithContext(ctx).Where("token_hash = ?", hashToken(token)).Delete(&session{}).Error
}

// SessionViewer resolves a session cookie. An unknown or expired token gives
// an anonymous viewer and ok=false.
func (s *Service) SessionViewer(ctx context.Context, token string) (*Viewer, bool, error) {
	if token == "" || len(token) > 128 {
		return Anonymous(), false, nil
	}
	var (
		sessionID int64
		csrf      string
		expires   time.Time
	)
	v, err := s.viewerBy(ctx, "sessions", "k.id, k.csrf_token, k.expires_at", hashToken(token), &sessionID, &csrf, &expires)
	if err != nil {
		return nil, false, fmt.Errorf("auth: load session: %w", err)
	}
	if v == nil || s.now().After(expires) {
		return Anonymous(), false, nil
	}
	v.SessionID, v.CSRF = sessionID, csrf
	return v, true, nil
}

// TokenPrefix marks Parley API tokens so that leaked ones are easy to find.
const TokenPrefix = "prl_"

// CreateToken issues a personal API token; the raw value is shown once.
func (s *Service) CreateToken(ctx context.Context, v *Viewer, name string) (string, error) {
	if !v.SignedIn() {
		return "", errs.Unauthenticated("sign in to create an API token")
	}
	name = strings.TrimSpace(name)
	if len([]rune(name)) > 60 {
		return "", errs.Field("name", "a token name has at most 60 characters")
	}
	raw := TokenPrefix + randomToken(32)
	row := apiToken{TokenHash: hashToken(raw), UserID: v.ID, Name: name, CreatedAt: s.now()}
	if err := s.st.W.WithContext(ctx).Create(&row).Error; err != nil {
		return "", fmt.Errorf("auth: create token: %w", err)
	}
	return raw, nil
}

// TokenViewer resolves a Bearer token; an unknown one is an error so that
// API clients learn their token is wrong instead of silently acting anonymously.
func (s *Service) TokenViewer(ctx context.Context, raw string) (*Viewer, error) {
	if !strings.HasPrefix(raw, TokenPrefix) || len(raw) > 128 {
		return nil, errs.Unauthenticated("the API token is not valid")
	}
	v, err := s.viewerBy(ctx, "api_tokens", "", hashToken(raw))
	if err != nil {
		return nil, fmt.Errorf("auth: load token: %w", err)
	}
	if v == nil {
		return nil, errs.Unauthenticated("the API token is not valid")
	}
	v.ViaToken = true
	return v, nil
}

// viewerBy loads the account a session or API token belongs to, with its
// groups, in one query (one row per group, or one row with a NULL group)
// instead of three. table is sessions or api_tokens, aliased k; extraCols
// are columns of k scanned into extra. A nil viewer means no such token
// (or its account is gone).
func (s *Service) viewerBy(ctx context.Context, table, extraCols, hash string, extra ...any) (*Viewer, error) {
	cols := "u.id, u.username, u.role, u.created_at, g.group_id"
	if extraCols != "" {
		cols += ", " + extraCols
	}
	rows, err := s.st.R.WithContext(ctx).Raw("SELECT "+cols+" FROM "+table+" k"+
		" JOIN users u ON u.id = k.user_id LEFT JOIN group_members g ON g.user_id = u.id WHERE k.token_hash = ?", hash).Rows()
	if err != nil {
		return nil, err
	}
	defer func() { _ = rows.Close() }() // the scan's error is the one that matters
	var v *Viewer
	for rows.Next() {
		var (
			u     Viewer
			group sql.NullInt64
		)
		if err := rows.Scan(append([]any{&u.ID, &u.Username, &u.Role, &u.CreatedAt, &group}, extra...)...); err != nil {
			return nil, err
		}
		if v == nil {
			v = &u
		}
		if group.Valid {
			v.Groups = append(v.Groups, group.Int64)
		}
	}
	return v, rows.Err()
}

// UserByName finds a user by any spelling that normalises to the same key.
func (s *Service) UserByName(ctx context.Context, name string) (*User, error) {
	_, key, err := NormalizeUsername(name)
	if err != nil {
		return nil, errs.NotFound("user")
	}
	var u User
	err = s.st.R.WithContext(ctx).Where("username_key = ?", key).First(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errs.NotFound("user")
	}
	return &u, err
}

// UsersByKeys maps username keys to canonical usernames (for mentions).
// Only ID, Username and UsernameKey are filled in.
func (s *Service) UsersByKeys(ctx context.Context, keys []string) (map[string]User, error) {
	out := map[string]User{}
	if len(keys) == 0 {
		return out, nil
	}
	rows, err := s.st.R.WithContext(ctx).Raw("SELECT id, username, username_key FROM users WHERE username_key IN ?", keys).Rows()
	if err != nil {
		return nil, fmt.Errorf("auth: users by keys: %w", err)
	}
	defer func() { _ = rows.Close() }() // the scan's error is the one that matters
	for rows.Next() {
		var u User
		if err := rows.Scan(&u.ID, &u.Username, &u.UsernameKey); err != nil {
			return nil, fmt.Errorf("auth: users by keys: %w", err)
		}
		out[u.UsernameKey] = u
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("auth: users by keys: %w", err)
	}
	return out, nil
}

// CountUsers returns the number of accounts (used to detect an empty install).
func (s *Service) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	err := s.st.R.WithContext(ctx).Model(&User{}).Count(&n).Error
	return n, err
}

func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("auth: no randomness: " + err.Error()) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// Tokens are long random strings, so a fast unsalted hash is enough: it keeps
// a stolen database from yielding usable sessions.
func hashToken(t string) string {
	sum := sha256.Sum256([]byte(t))
	return hex.EncodeToString(sum[:])
}

// MaxBio bounds the profile text.
const MaxBio = 1000

// UpdateBio changes the viewer's own profile text (shown as plain text).
func (s *Service) UpdateBio(ctx context.Context, v *Viewer, bio string) (*User, error) {
	if !v.SignedIn() {
		return nil, errs.Unauthenticated("sign in to edit your profile")
	}
	bio = strings.TrimSpace(strings.ReplaceAll(bio, "\r\n", "\n"))
	if len([]rune(bio)) > MaxBio {
		return nil, errs.Field("bio", "a bio has at most %d characters", MaxBio)
	}
	if strings.ContainsRune(bio, 0) {
		return nil, errs.Field("bio", "a bio cannot contain NUL characters")
	}
	err := s.st.Tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&User{}).Where("id = ?", v.ID).Updates(map[string]any{"bio": bio, "updated_at": s.now()}).Error; err != nil {
			return fmt.Errorf("auth: update bio: %w", err)
		}
		_, err := store.Emit(tx, "user.updated", store.ScopePublic, v.ID, fmt.Sprintf("user:%d", v.ID),
			map[string]any{"user_id": v.ID, "fields": []string{"bio"}})
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.UserByName(ctx, v.Username)
}
