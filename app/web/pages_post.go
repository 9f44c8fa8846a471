package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"parley/app/errs"
	"parley/app/forum"
)

// permalink sends /p/:id to the page and anchor where the post is.
func (s *Server) permalink(c echo.Context) error {
	id, err := pathID(c, "id", "post")
	if err != nil {
		return err
	}
	p, _, err := s.a.Forum.PostByID(c.Request().Context(), viewer(c), id)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, postURL(p.ThreadID, p.Number))
}

func (s *Server) editPage(c echo.Context) error {
	id, err := pathID(c, "id", "post")
	if err != nil {
		return err
	}
	p, t, err := s.a.Forum.PostByID(c.Request().Context(), viewer(c), id)
	if err != nil {
		return err
	}
	if !p.CanEdit {
		return errs.Forbidden("you can only edit your own posts")
	}
	return s.render(c, http.StatusOK, "edit_post", "Edit post", EditData{Post: p, Thread: t}, nil)
}

func (s *Server) editSubmit(c echo.Context) error {
	id, err := pathID(c, "id", "post")
	if err != nil {
		return err
	}
	ctx, v := c.Request().Context(), viewer(c)
	body := c.FormValue("body")
	p, err := s.a.Forum.EditPost(ctx, v, id, body)
	if f, st, ok := formError(err, map[string]string{"body": body}); ok && !errs.Is(err, errs.KindForbidden) {
		cur, t, perr := s.a.Forum.PostByID(ctx, v, id)
		if perr != nil {
			return perr
		}
		return s.render(c, st, "edit_post", "Edit post", EditData{Post: cur, Thread: t}, f)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, postURL(p.ThreadID, p.Number))
}

func (s *Server) deleteSubmit(c echo.Context) error {
	id, err := pathID(c, "id", "post")
	if err != nil {
		return err
	}
	ctx, v := c.Request().Context(), viewer(c)
	p, _, err := s.a.Forum.PostByID(ctx, v, id)
	if err != nil {
		return err
	}
	if err := s.a.Forum.DeletePost(ctx, v, id); err != nil {
		return err
	}
	if p.Number == 1 {
		return c.Redirect(http.StatusSeeOther, "/?flash=The+thread+was+deleted.")
	}
	return c.Redirect(http.StatusSeeOther, postURL(p.ThreadID, p.Number))
}

// reactSubmit toggles: the same kind again removes the reaction.
func (s *Server) reactSubmit(c echo.Context) error {
	id, err := pathID(c, "id", "post")
	if err != nil {
		return err
	}
	ctx, v, kind := c.Request().Context(), viewer(c), c.FormValue("kind")
	cur, _, err := s.a.Forum.PostByID(ctx, v, id)
	if err != nil {
		return err
	}
	var p *forum.PostView
	if cur.MyReaction == kind {
		p, err = s.a.Forum.Unreact(ctx, v, id, kind)
	} else {
		p, err = s.a.Forum.React(ctx, v, id, kind)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, postURL(p.ThreadID, p.Number))
}

func (s *Server) historyPage(c echo.Context) error {
	id, err := pathID(c, "id", "post")
	if err != nil {
		return err
	}
	ctx, v := c.Request().Context(), viewer(c)
	revs, err := s.a.Forum.Revisions(ctx, v, id)
	if err != nil {
		return err
	}
	p, t, err := s.a.Forum.PostByID(ctx, v, id)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "history", "Edit history", HistoryData{Post: p, Thread: t, Revisions: revs}, nil)
}
