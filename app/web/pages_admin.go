package web

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"

	"github.com/labstack/echo/v4"

	"parley/app/errs"
	"parley/app/forum"
	"parley/app/site"
)

// MaxLogoBytes bounds a logo upload.
const MaxLogoBytes = 512 << 10

func (s *Server) adminSettingsPage(c echo.Context) error {
	return s.render(c, http.StatusOK, "admin_settings", "Site settings", AdminSettingsData{}, nil)
}

func (s *Server) adminSettingsSubmit(c echo.Context) error {
	ctx, v := c.Request().Context(), viewer(c)
	cur, err := s.a.Site.Get(ctx)
	if err != nil {
		return err
	}
	in := site.Settings{Name: c.FormValue("name"), Tagline: c.FormValue("tagline"), Color: c.FormValue("color"), Logo: cur.Logo}
	values := map[string]string{"name": in.Name, "tagline": in.Tagline, "color": in.Color}
	if c.FormValue("remove_logo") != "" {
		in.Logo = ""
	}
	if fh, err := c.FormFile("logo"); err == nil && fh.Size > 0 {
		name, err := s.saveLogo(fh.Size, func() (io.ReadCloser, error) { return fh.Open() })
		if f, st, ok := formError(err, values); ok {
			return s.render(c, st, "admin_settings", "Site settings", AdminSettingsData{}, f)
		}
		if err != nil {
			return err
		}
		in.Logo = name
	}
	_, err = s.a.Site.Save(ctx, v, in)
	if f, st, ok := formError(err, values); ok {
		return s.render(c, st, "admin_settings", "Site settings", AdminSettingsData{}, f)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/settings?flash=Settings+saved.")
}

// saveLogo checks an uploaded image by its content, not its name or claimed
// type, and stores it under a random name in the uploads folder.
func (s *Server) saveLogo(size int64, open func() (io.ReadCloser, error)) (string, error) {
	if size > MaxLogoBytes {
		return "", errs.Field("logo", "the logo is larger than %d KB", MaxLogoBytes>>10)
	}
	r, err := open()
	if err != nil {
		return "", err
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, MaxLogoBytes+1))
	if err != nil {
		return "", err
	}
	if len(data) > MaxLogoBytes {
		return "", errs.Field("logo", "the logo is larger than %d KB", MaxLogoBytes>>10)
	}
	ext := map[string]string{"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp"}[http.DetectContentType(data)]
	if ext == "" {
		return "", errs.Field("logo", "the logo must be a PNG, JPEG, GIF or WebP image")
	}
	if err := os.MkdirAll(s.a.UploadsDir(), 0o750); err != nil {
		return "", fmt.Errorf("web: uploads folder: %w", err)
	}
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	name := "logo-" + hex.EncodeToString(b) + ext
	if err := os.WriteFile(filepath.Join(s.a.UploadsDir(), name), data, 0o600); err != nil {
		return "", fmt.Errorf("web: save logo: %w", err)
	}
	return name, nil
}

var uploadName = regexp.MustCompile(`^[a-z0-9-]+\.(png|jpg|gif|webp)$`)

func (s *Server) upload(c echo.Context) error {
	name := c.Param("name")
	if !uploadName.MatchString(name) {
		return errs.NotFound("file")
	}
	path := filepath.Join(s.a.UploadsDir(), name)
	if _, err := os.Stat(path); err != nil {
		return errs.NotFound("file")
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	return c.File(path)
}

func (s *Server) adminForumsPage(c echo.Context) error {
	fs, err := s.a.Forum.Forums(c.Request().Context(), viewer(c))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "admin_forums", "Forums", AdminForumsData{Forums: fs}, nil)
}

func (s *Server) adminForumsSubmit(c echo.Context) error {
	ctx, v := c.Request().Context(), viewer(c)
	pos, _ := strconv.Atoi(c.FormValue("position"))
	in := forum.ForumInput{Name: c.FormValue("name"), Slug: c.FormValue("slug"), Description: c.FormValue("description"),
		Visibility: c.FormValue("visibility"), Position: pos}
	_, err := s.a.Forum.CreateForum(ctx, v, in)
	values := map[string]string{"name": in.Name, "slug": in.Slug, "description": in.Description, "visibility": in.Visibility, "position": c.FormValue("position")}
	if f, st, ok := formError(err, values); ok {
		fs, ferr := s.a.Forum.Forums(ctx, v)
		if ferr != nil {
			return ferr
		}
		return s.render(c, st, "admin_forums", "Forums", AdminForumsData{Forums: fs}, f)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/forums?flash=Forum+created.")
}
