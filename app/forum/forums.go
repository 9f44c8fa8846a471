package forum

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"parley/app/auth"
	"parley/app/errs"
	"parley/app/store"
)

// ForumView is a forum as one viewer sees it.
type ForumView struct {
	Forum
	VisibilityLabel string `json:"visibility"`
	Unread          int64  `json:"unread"`
}

// ForumInput creates or changes a forum (admin only).
type ForumInput struct {
	Name        string `json:"name"`
	Slug        string `json:"slug"`
	Description string `json:"description"`
	// Visibility is "public", "members", "staff" or "group:<slug>".
	Visibility string `json:"visibility"`
	Position   int    `json:"position"`
	// Language is the content language of the forum's posts, one of
	// Languages(); empty means DefaultLanguage (on update: unchanged).
	Language string `json:"language"`
}

// DefaultLanguage is the site-wide content language of new forums.
const DefaultLanguage = "en"

// Languages lists the content languages a forum may have: those that
// search has an analyzer for (a test in package search keeps them in step).
func Languages() []string { return []string{"en", "de"} }

func validLanguage(l string) bool {
	for _, x := range Languages() {
		if l == x {
			return true
		}
	}
	return false
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// allForums reads the forums table; it is small (tens of rows) and read whole.
func (s *Service) allForums(ctx context.Context) ([]Forum, error) {
	var fs []Forum
	if err := s.st.R.WithContext(ctx).Order("position, id").Find(&fs).Error; err != nil {
		return nil, fmt.Errorf("forum: list forums: %w", err)
	}
	return fs, nil
}

// ForumMap returns every forum by id, for permission checks over many events.
func (s *Service) ForumMap(ctx context.Context) (map[int64]*Forum, error) {
	fs, err := s.allForums(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[int64]*Forum, len(fs))
	for i := range fs {
		m[fs[i].ID] = &fs[i]
	}
	return m, nil
}

// Forums lists the forums v may see, with v's unread thread counts.
func (s *Service) Forums(ctx context.Context, v *auth.Viewer) ([]ForumView, error) {
	fs, err := s.allForums(ctx)
	if err != nil {
		return nil, err
	}
	groups, err := s.groupSlugs(ctx)
	if err != nil {
		return nil, err
	}
	var out []ForumView
	var ids []int64
	for _, f := range fs {
		if s.canSee(v, &f) {
			out = append(out, ForumView{Forum: f, VisibilityLabel: visLabel(&f, groups)})
			ids = append(ids, f.ID)
		}
	}
	if v.SignedIn() && len(ids) > 0 {
		unread, err := s.unreadByForum(ctx, v, ids)
		if err != nil {
			return nil, err
		}
		for i := range out {
			out[i].Unread = unread[out[i].ID]
		}
	}
	return out, nil
}

// ForumBySlug returns a forum v may see, or the same not-found as for a
// forum that does not exist.
func (s *Service) ForumBySlug(ctx context.Context, v *auth.Viewer, slug string) (*ForumView, error) {
	var f Forum
	err := s.st.R.WithContext(ctx).Where("slug = ?", slug).First(&f).Error
	if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && !s.canSee(v, &f)) {
		return nil, errs.NotFound("forum")
	}
	if err != nil {
		return nil, fmt.Errorf("forum: load forum %q: %w", slug, err)
	}
	groups, err := s.groupSlugs(ctx)
	if err != nil {
		return nil, err
	}
	return &ForumView{Forum: f, VisibilityLabel: visLabel(&f, groups)}, nil
}

func (s *Service) groupSlugs(ctx context.Context) (map[int64]string, error) {
	var rows []struct {
		ID   int64
		Slug string
	}
	if err := s.st.R.WithContext(ctx).Raw("SELECT id, slug FROM user_groups").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("forum: groups: %w", err)
	}
	m := make(map[int64]string, len(rows))
	for _, r := range rows {
		m[r.ID] = r.Slug
	}
	return m, nil
}

func visLabel(f *Forum, groups map[int64]string) string {
	if f.Visibility != VisGroup || f.GroupID == nil {
		return f.Visibility
	}
	if g := groups[*f.GroupID]; g == "staff" {
		return "staff"
	} else {
		return "group:" + g
	}
}

// validate checks the input and resolves the visibility to a column value
// and group id.
func (s *Service) validateForum(ctx context.Context, in *ForumInput) (vis string, group *int64, err error) {
	f := errs.Fields{}
	in.Name, in.Slug, in.Description = strings.TrimSpace(in.Name), strings.TrimSpace(in.Slug), strings.TrimSpace(in.Description)
	if n := utf8.RuneCountInString(in.Name); n < 2 || n > 80 {
		f.Add("name", "a forum name has 2 to 80 characters")
	}
	if len(in.Slug) < 2 || len(in.Slug) > 40 || !slugRE.MatchString(in.Slug) {
		f.Add("slug", "a slug has 2 to 40 lower-case letters, digits and single hyphens, like gear-talk")
	}
	if utf8.RuneCountInString(in.Description) > 500 {
		f.Add("description", "a description has at most 500 characters")
	}
	in.Language = strings.TrimSpace(in.Language)
	if in.Language != "" && !validLanguage(in.Language) {
		f.Add("language", "language is one of: "+strings.Join(Languages(), ", "))
	}
	switch v := strings.TrimSpace(in.Visibility); {
	case v == "" || v == VisPublic:
		vis = VisPublic
	case v == VisMembers:
		vis = VisMembers
	case v == "staff" || strings.HasPrefix(v, "group:"):
		slug := strings.TrimPrefix(v, "group:")
		var id int64
		if err := s.st.R.WithContext(ctx).Raw("SELECT id FROM user_groups WHERE slug = ?", slug).Scan(&id).Error; err != nil {
			return "", nil, fmt.Errorf("forum: find group %q: %w", slug, err)
		}
		if id == 0 {
			f.Add("visibility", "there is no group called "+slug)
		}
		vis, group = VisGroup, &id
	default:
		f.Add("visibility", `visibility is "public", "members", "staff" or "group:<slug>"`)
	}
	return vis, group, f.Err()
}

// CreateForum adds a forum (admins only).
func (s *Service) CreateForum(ctx context.Context, v *auth.Viewer, in ForumInput) (*ForumView, error) {
	if !v.IsAdmin() {
		return nil, errs.Forbidden("only admins can create forums")
	}
	vis, group, err := s.validateForum(ctx, &in)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if in.Language == "" {
		in.Language = DefaultLanguage
	}
	f := Forum{Slug: in.Slug, Name: in.Name, Description: in.Description, Visibility: vis, GroupID: group,
		Position: in.Position, Language: in.Language, CreatedAt: now, UpdatedAt: now}
	err = s.st.Tx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Forum{}).Where("slug = ?", f.Slug).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return errs.Field("slug", "another forum uses this slug")
		}
		if err := tx.Create(&f).Error; err != nil {
			return fmt.Errorf("forum: create forum: %w", err)
		}
		_, err := store.Emit(tx, "forum.created", store.ForumScope(f.ID), v.ID, fmt.Sprintf("forum:%d", f.ID),
			map[string]any{"forum_id": f.ID, "slug": f.Slug, "name": f.Name, "language": f.Language})
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.ForumBySlug(ctx, v, f.Slug)
}

// UpdateForum changes a forum's name, description, visibility, position or
// language (admins only). The slug stays: links to the forum keep working.
func (s *Service) UpdateForum(ctx context.Context, v *auth.Viewer, slug string, in ForumInput) (*ForumView, error) {
	if !v.IsAdmin() {
		return nil, errs.Forbidden("only admins can change forums")
	}
	cur, err := s.ForumBySlug(ctx, v, slug)
	if err != nil {
		return nil, err
	}
	in.Slug = cur.Slug
	vis, group, err := s.validateForum(ctx, &in)
	if err != nil {
		return nil, err
	}
	if in.Language == "" {
		in.Language = cur.Language
	}
	err = s.st.Tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&Forum{}).Where("id = ?", cur.ID).Updates(map[string]any{"name": in.Name, "description": in.Description,
			"visibility": vis, "group_id": group, "position": in.Position, "language": in.Language, "updated_at": s.now()})
		if res.Error != nil {
			return fmt.Errorf("forum: update forum %d: %w", cur.ID, res.Error)
		}
		_, err := store.Emit(tx, "forum.updated", store.ForumScope(cur.ID), v.ID, fmt.Sprintf("forum:%d", cur.ID),
			map[string]any{"forum_id": cur.ID, "name": in.Name, "visibility": in.Visibility, "language": in.Language})
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.ForumBySlug(ctx, v, slug)
}
