// Package site owns the brand settings an admin sets: the community's name,
// tagline, colour and logo.
package site

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"parley/app/auth"
	"parley/app/errs"
	"parley/app/store"
)

// Settings is the brand as pages show it.
type Settings struct {
	Name    string `json:"name"`
	Tagline string `json:"tagline"`
	Color   string `json:"color"` // #rrggbb
	Logo    string `json:"logo"`  // file name under the uploads folder, "" for none
}

// Defaults are used until an admin saves settings.
func Defaults() Settings {
	return Settings{Name: "Parley", Tagline: "A community forum", Color: "#2f6f4e"}
}

var colorRE = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// Validate checks and tidies the settings.
func (s *Settings) Validate() error {
	f := errs.Fields{}
	s.Name, s.Tagline, s.Color = strings.TrimSpace(s.Name), strings.TrimSpace(s.Tagline), strings.ToLower(strings.TrimSpace(s.Color))
	if n := utf8.RuneCountInString(s.Name); n < 1 || n > 60 {
		f.Add("name", "the community name has 1 to 60 characters")
	}
	if utf8.RuneCountInString(s.Tagline) > 140 {
		f.Add("tagline", "the tagline has at most 140 characters")
	}
	if !colorRE.MatchString(s.Color) {
		f.Add("color", "the colour is a hex value like #2f6f4e")
	}
	return f.Err()
}

type row struct {
	Key   string `gorm:"primaryKey"`
	Value string
}

func (row) TableName() string { return "settings" }

// Service reads and writes settings. Pages read them on every request, so
// they are cached; the cache expires quickly so other nodes see a change soon.
type Service struct {
	st  *store.Store
	mu  sync.Mutex
	cur Settings
	at  time.Time
	mod cachedModeration // guarded by mu, like cur
}

// New builds the service.
func New(st *store.Store) *Service { return &Service{st: st} }

const cacheFor = 5 * time.Second

// Get returns the current settings.
func (s *Service) Get(ctx context.Context) (Settings, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.at.IsZero() && time.Since(s.at) < cacheFor {
		return s.cur, nil
	}
	var rows []row
	if err := s.st.R.WithContext(ctx).Where("key IN ?", []string{"site.name", "site.tagline", "site.color", "site.logo"}).Find(&rows).Error; err != nil {
		return Settings{}, fmt.Errorf("site: load settings: %w", err)
	}
	cur := Defaults()
	for _, r := range rows {
		switch r.Key {
		case "site.name":
			cur.Name = r.Value
		case "site.tagline":
			cur.Tagline = r.Value
		case "site.color":
			cur.Color = r.Value
		case "site.logo":
			cur.Logo = r.Value
		}
	}
	s.cur, s.at = cur, time.Now()
	return cur, nil
}

// Save stores new settings (admins only) with a site.updated event.
func (s *Service) Save(ctx context.Context, v *auth.Viewer, in Settings) (Settings, error) {
	if !v.IsAdmin() {
		return Settings{}, errs.Forbidden("only admins can change the site settings")
	}
	if err := in.Validate(); err != nil {
		return Settings{}, err
	}
	rows := []row{{"site.name", in.Name}, {"site.tagline", in.Tagline}, {"site.color", in.Color}, {"site.logo", in.Logo}}
	err := s.st.Tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "key"}}, DoUpdates: clause.AssignmentColumns([]string{"value"})}).Create(&rows).Error; err != nil {
			return fmt.Errorf("site: save settings: %w", err)
		}
		_, err := store.Emit(tx, "site.updated", store.ScopePublic, v.ID, "site", in)
		return err
	})
	if err != nil {
		return Settings{}, err
	}
	s.mu.Lock()
	s.cur, s.at = in, time.Now()
	s.mu.Unlock()
	return in, nil
}
