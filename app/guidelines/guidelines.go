// Package guidelines owns the community guidelines: a markdown document
// whose level-2 headings are its numbered sections (1..N, anchors
// "section-N"), kept as a list of immutable versions. Community managers
// and admins publish a new version; everyone reads the current one, the
// history and line diffs between versions. Moderation cites sections
// through Section and CheckSection.
package guidelines

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"parley/app/audit"
	"parley/app/auth"
	"parley/app/errs"
	"parley/app/render"
	"parley/app/store"
)

// Path is where the current guidelines are shown.
const Path = "/guidelines"

// Service stores and reads the guidelines.
type Service struct {
	st     *store.Store
	render *render.Renderer
	now    func() time.Time

	// Versions never change once published, so a parsed version can be
	// kept for ever; cache holds the few most recently read.
	mu    sync.Mutex
	cache map[int]*Document
}

// New builds the service.
func New(st *store.Store, r *render.Renderer) *Service {
	return &Service{st: st, render: r, now: func() time.Time { return time.Now().UTC() }, cache: map[int]*Document{}}
}

// Document is one published version. Callers share it: do not modify.
type Document struct {
	Version     int       `json:"version"`
	Markdown    string    `json:"-"`
	HTML        string    `json:"-"` // the whole document, sections numbered (made by render and html/template)
	Summary     string    `json:"summary"`
	EditorID    int64     `json:"-"`
	Editor      string    `json:"editor"`
	PublishedAt time.Time `json:"published_at"`
	Sections    []Section `json:"sections"`
}

// Section returns section n of this version.
func (d *Document) Section(n int) (Section, bool) {
	if d == nil || n < 1 || n > len(d.Sections) {
		return Section{}, false
	}
	return d.Sections[n-1], true
}

// versionRow is the table's shape.
type versionRow struct {
	ID        int64
	Version   int
	Body      string
	HTML      string `gorm:"column:html"`
	Summary   string
	EditorID  int64
	CreatedAt time.Time
}

func (versionRow) TableName() string { return "guidelines_versions" }

// ErrNone is the answer when no guidelines have been published.
var ErrNone = errs.NotFound("guidelines")

// CurrentVersion is the number of the current version, 0 when there is
// none. It reads through db, so a caller can ask inside its transaction
// (sign-up checks the accepted version this way: see auth.Terms).
func (s *Service) CurrentVersion(db *gorm.DB) (int, error) {
	var n *int
	if err := db.Raw("SELECT MAX(version) FROM guidelines_versions").Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("guidelines: current version: %w", err)
	}
	if n == nil {
		return 0, nil
	}
	return *n, nil
}

// Current returns the current version, or ErrNone.
func (s *Service) Current(ctx context.Context) (*Document, error) {
	n, err := s.CurrentVersion(s.st.R.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, ErrNone
	}
	return s.Version(ctx, n)
}

// Version returns version n, or a not-found error.
func (s *Service) Version(ctx context.Context, n int) (*Document, error) {
	s.mu.Lock()
	d := s.cache[n]
	s.mu.Unlock()
	if d != nil {
		return d, nil
	}
	var r struct {
		ID        int64
		Version   int
		Body      string
		HTML      string `gorm:"column:html"`
		Summary   string
		EditorID  int64
		Editor    string
		CreatedAt time.Time
	}
	err := s.st.R.WithContext(ctx).Raw(`SELECT g.id, g.version, g.body, g.html, g.summary, g.editor_id,
COALESCE(u.username, '') AS editor, g.created_at FROM guidelines_versions g
LEFT JOIN users u ON u.id = g.editor_id WHERE g.version = ?`, n).Scan(&r).Error
	if err != nil {
		return nil, fmt.Errorf("guidelines: load version %d: %w", n, err)
	}
	if r.ID == 0 {
		return nil, errs.NotFound("guidelines version " + strconv.Itoa(n))
	}
	d = &Document{Version: r.Version, Markdown: r.Body, HTML: r.HTML, Summary: r.Summary, EditorID: r.EditorID,
		Editor: r.Editor, PublishedAt: r.CreatedAt.UTC(), Sections: sectionsOf(s.render, r.Body)}
	s.mu.Lock()
	if len(s.cache) >= 8 {
		clear(s.cache)
	}
	s.cache[n] = d
	s.mu.Unlock()
	return d, nil
}

// Entry is one version in the history.
type Entry struct {
	Version     int       `json:"version"`
	Summary     string    `json:"summary"`
	Editor      string    `json:"editor"`
	PublishedAt time.Time `json:"published_at"`
}

// History lists every version, newest first.
func (s *Service) History(ctx context.Context) ([]Entry, error) {
	var out []Entry
	err := s.st.R.WithContext(ctx).Raw(`SELECT g.version, g.summary, COALESCE(u.username, '') AS editor, g.created_at AS published_at
FROM guidelines_versions g LEFT JOIN users u ON u.id = g.editor_id ORDER BY g.version DESC`).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("guidelines: history: %w", err)
	}
	for i := range out {
		out[i].PublishedAt = out[i].PublishedAt.UTC()
	}
	return out, nil
}

// Change is what an editor submits.
type Change struct {
	Body    string `json:"body"`
	Summary string `json:"summary"`
	// BaseVersion is the version the editor started from; when set and no
	// longer current, the save is refused (409) rather than silently
	// replacing someone else's newer version. 0 skips the check.
	BaseVersion int `json:"base_version"`
}

// CanEdit reports whether v may publish guidelines: community managers
// and admins.
func CanEdit(v *auth.Viewer) bool {
	return v.SignedIn() && (v.Role == auth.RoleManager || v.Role == auth.RoleAdmin)
}

// validateSummary checks the summary of a change and returns it on one
// line.
func validateSummary(summary string) (string, error) {
	summary = strings.ReplaceAll(strings.ToValidUTF8(summary, "\uFFFD"), "\x00", "") // PostgreSQL refuses NUL
	summary = strings.Join(strings.Fields(summary), " ")
	switch {
	case summary == "":
		return "", errs.Field("summary", "say in a few words what changed (it is shown in the history)")
	case utf8.RuneCountInString(summary) > MaxSummary:
		return "", errs.Field("summary", "a summary has at most %d characters", MaxSummary)
	}
	return summary, nil
}

// Publish saves a change as a new version. In one transaction it writes
// the version, the event guidelines.updated (scope public) and an audit
// row (guidelines.edit, before/after version numbers). Bad input is a 422
// with nothing written.
func (s *Service) Publish(ctx context.Context, v *auth.Viewer, c Change) (*Document, error) {
	if !v.SignedIn() {
		return nil, errs.Unauthenticated("sign in first")
	}
	if !CanEdit(v) {
		return nil, errs.Forbidden("only community managers and admins may edit the guidelines")
	}
	f := errs.Fields{}
	b, err := build(s.render, c.Body)
	if err != nil {
		f.AddErr("body", err)
	}
	summary, err := validateSummary(c.Summary)
	if err != nil {
		f.AddErr("summary", err)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	var version int
	err = s.st.Tx(ctx, func(tx *gorm.DB) error {
		if tx.Name() == "postgres" {
			// Two editors saving at once must not both read N and write N+1.
			if err := tx.Exec("SELECT pg_advisory_xact_lock(7340005)").Error; err != nil {
				return fmt.Errorf("guidelines: lock: %w", err)
			}
		}
		cur, err := s.CurrentVersion(tx)
		if err != nil {
			return err
		}
		if c.BaseVersion > 0 && c.BaseVersion != cur {
			return errs.Conflict(fmt.Sprintf("version %d was published while you were editing version %d; compare them and save again", cur, c.BaseVersion))
		}
		if cur > 0 {
			var prev string
			if err := tx.Raw("SELECT body FROM guidelines_versions WHERE version = ?", cur).Scan(&prev).Error; err != nil {
				return fmt.Errorf("guidelines: load version %d: %w", cur, err)
			}
			if prev == b.markdown {
				return errs.Field("body", "this is the text of version %d already: nothing to publish", cur)
			}
		}
		version = cur + 1
		row := versionRow{Version: version, Body: b.markdown, HTML: b.html, Summary: summary, EditorID: v.ID, CreatedAt: s.now()}
		if err := tx.Create(&row).Error; err != nil {
			return fmt.Errorf("guidelines: save version %d: %w", version, err)
		}
		if _, err := store.Emit(tx, "guidelines.updated", store.ScopePublic, v.ID, "guidelines:"+strconv.Itoa(version),
			map[string]any{"version": version, "previous": cur, "summary": summary, "sections": len(b.sections)}); err != nil {
			return err
		}
		return audit.Record(tx, audit.Entry{ActorID: v.ID, ActorRole: string(v.Role), Action: "guidelines.edit",
			TargetType: "guidelines", TargetID: int64(version), Reason: summary,
			Before: map[string]int{"version": cur}, After: map[string]int{"version": version}})
	})
	if err != nil {
		return nil, err
	}
	return s.Version(ctx, version)
}

// Ref cites one section: its number and title, and where to read it, in
// the current guidelines (URL) and in the version cited (VersionURL, which
// keeps pointing at the same text after later edits renumber sections).
type Ref struct {
	Version    int    `json:"version"`
	Number     int    `json:"number"`
	Title      string `json:"title"`
	URL        string `json:"url"`
	VersionURL string `json:"version_url"`
}

// Label is how a citation reads: "section 3 (Stay on topic)".
func (r Ref) Label() string { return fmt.Sprintf("section %d (%s)", r.Number, r.Title) }

// SectionURL is the link to section n of the current guidelines.
func SectionURL(n int) string { return Path + "#" + Anchor(n) }

// VersionSectionURL is the link to section n of version v.
func VersionSectionURL(v, n int) string {
	return Path + "?version=" + strconv.Itoa(v) + "#" + Anchor(n)
}

// Section cites section n of the current guidelines. When there are no
// guidelines or no such section the error is an errs field error on
// "section" (a 422 naming the sections there are), so a flag or warning
// form can show it beside its field.
func (s *Service) Section(ctx context.Context, n int) (Ref, error) {
	d, err := s.Current(ctx)
	if errors.Is(err, ErrNone) {
		return Ref{}, errs.Field("section", "there are no community guidelines to cite yet")
	}
	if err != nil {
		return Ref{}, err
	}
	sec, ok := d.Section(n)
	if !ok {
		return Ref{}, errs.Field("section", "the guidelines (version %d) have sections 1 to %d; there is no section %d", d.Version, len(d.Sections), n)
	}
	return Ref{Version: d.Version, Number: n, Title: sec.Title, URL: SectionURL(n), VersionURL: VersionSectionURL(d.Version, n)}, nil
}

// CheckSection validates that section n exists in the current version.
func (s *Service) CheckSection(ctx context.Context, n int) error {
	_, err := s.Section(ctx, n)
	return err
}

// SectionLink is Section for display: the link and title of section n of
// the current guidelines, ok false when there is no such section (or it
// could not be read).
func (s *Service) SectionLink(ctx context.Context, n int) (url, title string, ok bool) {
	r, err := s.Section(ctx, n)
	if err != nil {
		return "", "", false
	}
	return r.URL, r.Title, true
}
