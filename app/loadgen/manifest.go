package loadgen

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Files the build writes into the data folder, next to the database.
const (
	ManifestFile = "load-manifest.json"
	TokensFile   = "load-tokens.txt" //nolint:gosec // a file name, not a credential
	// Password is the password of every generated account.
	Password = "load-test-password"
)

// ThreadRef is a thread the driver may read or reply to.
type ThreadRef struct {
	ID    int64  `json:"id"`
	Posts int    `json:"posts"`
	Pages int    `json:"pages"`
	Forum string `json:"forum"`
}

// ForumRef is a forum of the data set.
type ForumRef struct {
	ID         int64  `json:"id"`
	Slug       string `json:"slug"`
	Name       string `json:"name"`
	Visibility string `json:"visibility"`
	Threads    int64  `json:"threads"`
	Posts      int64  `json:"posts"`
	Pages      int    `json:"pages"`
}

// Thread size classes in Manifest.Threads.
const (
	ClassSmall  = "small"  // 1–15 posts
	ClassMedium = "medium" // 16–200
	ClassLarge  = "large"  // more, but not one of the big threads
	ClassBig    = "big"    // the 10,000+ post threads (scaled down for small sets)
)

// Manifest tells the driver what the data set holds. Only threads in public
// forums are listed (the driver reads anonymously).
type Manifest struct {
	Version   int        `json:"version"`
	Seed      uint64     `json:"seed"`
	BuiltAt   time.Time  `json:"built_at"`
	Users     int64      `json:"users"`
	Forums    []ForumRef `json:"forums"`
	Threads   int64      `json:"threads"`
	Posts     int64      `json:"posts"`
	Reactions int64      `json:"reactions"`
	Events    int64      `json:"events"`
	// Password is shared by every generated account.
	Password string `json:"password"`
	// TokenUsers are the accounts whose API tokens are in load-tokens.txt,
	// line by line: the admin first, then the writers (moderators, so the
	// posting interval does not apply to them).
	TokenUsers []string `json:"token_users"`
	// ThreadSample lists up to a few thousand public threads per class.
	ThreadSample map[string][]ThreadRef `json:"threads_by_class"`
	// DeepFrom: pages above it count as deep (100 for a full-size set).
	DeepFrom int `json:"deep_from"`
	// ReplyThreads are public, unlocked threads to reply to.
	ReplyThreads []int64 `json:"reply_thread_ids"`
	// ReactionPosts are posts in public forums by generated members.
	ReactionPosts []int64 `json:"reaction_post_ids"`
}

// PublicForums returns the forums anonymous visitors can read.
func (m *Manifest) PublicForums() []ForumRef {
	var out []ForumRef
	for _, f := range m.Forums {
		if f.Visibility == "public" {
			out = append(out, f)
		}
	}
	return out
}

// Save writes the manifest into dir.
func (m *Manifest) Save(dir string) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, ManifestFile), append(b, '\n'), 0o600)
}

// LoadManifest reads the manifest a build wrote into dir.
func LoadManifest(dir string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil, fmt.Errorf("loadgen: read manifest (run parley-load build first): %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("loadgen: %s: %w", ManifestFile, err)
	}
	if m.Version != 1 {
		return nil, fmt.Errorf("loadgen: %s has version %d, want 1; rebuild the data set", ManifestFile, m.Version)
	}
	return &m, nil
}

func saveTokens(dir string, tokens []string) error {
	return os.WriteFile(filepath.Join(dir, TokensFile), []byte(strings.Join(tokens, "\n")+"\n"), 0o600)
}

// LoadTokens reads the raw API tokens of load-tokens.txt (one per line).
func LoadTokens(dir string) ([]string, error) {
	f, err := os.Open(filepath.Join(dir, TokensFile))
	if err != nil {
		return nil, fmt.Errorf("loadgen: read tokens: %w", err)
	}
	defer func() { _ = f.Close() }()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if t := strings.TrimSpace(sc.Text()); t != "" && !strings.HasPrefix(t, "#") {
			out = append(out, t)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, errors.New("loadgen: " + TokensFile + " holds no tokens")
	}
	return out, nil
}
