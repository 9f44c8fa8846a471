package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"parley/app/errs"
	"parley/app/forum"
	"parley/app/pagecache"
	"parley/app/store"
)

func (s *Server) apiForums(c echo.Context) error {
	fs, err := s.a.Forum.Forums(c.Request().Context(), viewer(c))
	if err != nil {
		return err
	}
	if fs == nil {
		fs = []forum.ForumView{}
	}
	cacheTags(c, pagecache.HomeTag)
	return c.JSON(http.StatusOK, map[string]any{"forums": fs})
}

func (s *Server) apiForum(c echo.Context) error {
	f, err := s.a.Forum.ForumBySlug(c.Request().Context(), viewer(c), c.Param("slug"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, f)
}

func (s *Server) apiCreateForum(c echo.Context) error {
	var in forum.ForumInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	f, err := s.a.Forum.CreateForum(c.Request().Context(), viewer(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, f)
}

// apiUpdateForum is a true PATCH: fields left out keep their value.
func (s *Server) apiUpdateForum(c echo.Context) error {
	ctx, v := c.Request().Context(), viewer(c)
	cur, err := s.a.Forum.ForumBySlug(ctx, v, c.Param("slug"))
	if err != nil {
		return err
	}
	in := struct {
		Name        *string `json:"name"`
		Description *string `json:"description"`
		Visibility  *string `json:"visibility"`
		Position    *int    `json:"position"`
		Language    *string `json:"language"`
	}{}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	next := forum.ForumInput{Name: cur.Name, Slug: cur.Slug, Description: cur.Description, Visibility: cur.VisibilityLabel, Position: cur.Position, Language: cur.Language}
	if in.Name != nil {
		next.Name = *in.Name
	}
	if in.Description != nil {
		next.Description = *in.Description
	}
	if in.Visibility != nil {
		next.Visibility = *in.Visibility
	}
	if in.Position != nil {
		next.Position = *in.Position
	}
	if in.Language != nil {
		next.Language = *in.Language
		if next.Language == "" {
			return errs.Field("language", "language is one of: %s", strings.Join(forum.Languages(), ", "))
		}
	}
	f, err := s.a.Forum.UpdateForum(ctx, v, c.Param("slug"), next)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, f)
}

func (s *Server) apiMarkForumRead(c echo.Context) error {
	if err := s.a.Forum.MarkForumRead(c.Request().Context(), viewer(c), c.Param("slug")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) apiThreads(c echo.Context) error {
	page, err := pageParam(c)
	if err != nil {
		return err
	}
	list, err := s.a.Forum.Threads(c.Request().Context(), viewer(c), c.Param("slug"), page, c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	if list.Threads == nil {
		list.Threads = []forum.ThreadView{}
	}
	cacheTags(c, pagecache.ForumTag(list.Forum.ID))
	return c.JSON(http.StatusOK, list)
}

func (s *Server) apiCreateThread(c echo.Context) error {
	var in forum.ThreadInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	t, p, replayed, err := s.a.Forum.CreateThreadOnce(c.Request().Context(), viewer(c), c.Param("slug"), in, c.Request().Header.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	if replayed {
		c.Response().Header().Set("Idempotent-Replayed", "true")
	}
	c.Response().Header().Set("Location", "/api/v1/threads/"+strconv.FormatInt(t.ID, 10))
	return c.JSON(http.StatusCreated, map[string]any{"thread": t, "post": p})
}

func (s *Server) apiThread(c echo.Context) error {
	id, err := pathID(c, "id", "thread")
	if err != nil {
		return err
	}
	page, err := pageParam(c)
	if err != nil {
		return err
	}
	tp, err := s.a.Forum.ThreadPage(c.Request().Context(), viewer(c), id, page)
	if err != nil {
		return err
	}
	s.readNotificationsOn(c, tp)
	cacheTags(c, pagecache.ThreadTag(id))
	return c.JSON(http.StatusOK, tp)
}

func (s *Server) apiUpdateThread(c echo.Context) error {
	id, err := pathID(c, "id", "thread")
	if err != nil {
		return err
	}
	var in forum.ThreadPatch
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	t, err := s.a.Forum.UpdateThread(c.Request().Context(), viewer(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

type bodyInput struct {
	Body string `json:"body"`
}

func (s *Server) apiReply(c echo.Context) error {
	id, err := pathID(c, "id", "thread")
	if err != nil {
		return err
	}
	var in bodyInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	p, replayed, err := s.a.Forum.ReplyOnce(c.Request().Context(), viewer(c), id, in.Body, c.Request().Header.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	if replayed {
		c.Response().Header().Set("Idempotent-Replayed", "true")
	}
	c.Response().Header().Set("Location", "/api/v1/posts/"+strconv.FormatInt(p.ID, 10))
	return c.JSON(http.StatusCreated, p)
}

func (s *Server) apiPost(c echo.Context) error {
	id, err := pathID(c, "id", "post")
	if err != nil {
		return err
	}
	p, _, err := s.a.Forum.PostByID(c.Request().Context(), viewer(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

func (s *Server) apiQuote(c echo.Context) error {
	id, err := pathID(c, "id", "post")
	if err != nil {
		return err
	}
	md, err := s.a.Forum.Quote(c.Request().Context(), viewer(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"markdown": md})
}

func (s *Server) apiEditPost(c echo.Context) error {
	id, err := pathID(c, "id", "post")
	if err != nil {
		return err
	}
	var in bodyInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	p, err := s.a.Forum.EditPost(c.Request().Context(), viewer(c), id, in.Body)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

func (s *Server) apiDeletePost(c echo.Context) error {
	id, err := pathID(c, "id", "post")
	if err != nil {
		return err
	}
	if err := s.a.Forum.DeletePost(c.Request().Context(), viewer(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) apiRevisions(c echo.Context) error {
	id, err := pathID(c, "id", "post")
	if err != nil {
		return err
	}
	revs, err := s.a.Forum.Revisions(c.Request().Context(), viewer(c), id)
	if err != nil {
		return err
	}
	if revs == nil {
		revs = []forum.Revision{}
	}
	return c.JSON(http.StatusOK, map[string]any{"revisions": revs})
}

func (s *Server) apiReact(c echo.Context) error {
	id, err := pathID(c, "id", "post")
	if err != nil {
		return err
	}
	var p *forum.PostView
	if c.Request().Method == http.MethodPut {
		p, err = s.a.Forum.React(c.Request().Context(), viewer(c), id, c.Param("kind"))
	} else {
		p, err = s.a.Forum.Unreact(c.Request().Context(), viewer(c), id, c.Param("kind"))
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

func (s *Server) apiPreview(c echo.Context) error {
	var in bodyInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	html, err := s.a.Forum.Preview(c.Request().Context(), in.Body)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"html": html})
}

func (s *Server) apiSite(c echo.Context) error {
	st, err := s.a.Site.Get(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

func (s *Server) apiUpdateSite(c echo.Context) error {
	ctx := c.Request().Context()
	cur, err := s.a.Site.Get(ctx)
	if err != nil {
		return err
	}
	in := struct {
		Name    *string `json:"name"`
		Tagline *string `json:"tagline"`
		Color   *string `json:"color"`
	}{}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	for dst, src := range map[*string]*string{&cur.Name: in.Name, &cur.Tagline: in.Tagline, &cur.Color: in.Color} {
		if src != nil {
			*dst = *src
		}
	}
	st, err := s.a.Site.Save(ctx, viewer(c), cur)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

// apiEvents reads the event log after an id, keeping only the events this
// viewer may see. It is the catch-up path later consumers build on.
func (s *Server) apiEvents(c echo.Context) error {
	ctx, v := c.Request().Context(), viewer(c)
	after, err := strconv.ParseInt(c.QueryParam("after"), 10, 64)
	if c.QueryParam("after") == "" {
		after, err = 0, nil
	}
	if err != nil || after < 0 {
		return errs.BadRequest("after must be an event id (a whole number)")
	}
	evs, err := s.a.Store.EventsAfter(ctx, after, 200)
	if err != nil {
		return err
	}
	forums, err := s.a.Forum.ForumMap(ctx)
	if err != nil {
		return err
	}
	out := []store.Event{}
	next := after
	for _, ev := range evs {
		next = ev.ID
		if s.a.Forum.CanSeeScope(ctx, v, ev.Scope, forums) {
			out = append(out, ev)
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"events": out, "next": next})
}
