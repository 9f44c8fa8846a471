package web

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"parley/app/errs"
	"parley/app/forum"
	"parley/app/pagecache"
)

func (s *Server) homePage(c echo.Context) error {
	last := s.liveFrom(c)
	fs, err := s.a.Forum.Forums(c.Request().Context(), viewer(c))
	if err != nil {
		return err
	}
	st, err := s.a.Site.Get(c.Request().Context())
	if err != nil {
		return err
	}
	cacheTags(c, pagecache.HomeTag)
	return s.render(c, http.StatusOK, "home", st.Tagline, HomeData{Forums: fs, LastEvent: last}, nil)
}

func (s *Server) forumPage(c echo.Context) error {
	page, err := pageParam(c)
	if err != nil {
		return err
	}
	last := s.liveFrom(c)
	list, err := s.a.Forum.Threads(c.Request().Context(), viewer(c), c.Param("slug"), page, c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	cacheTags(c, pagecache.ForumTag(list.Forum.ID))
	return s.render(c, http.StatusOK, "forum", list.Forum.Name, ForumData{List: list, LastEvent: last, PageSize: forum.PageSize}, nil)
}

func (s *Server) markForumRead(c echo.Context) error {
	if err := s.a.Forum.MarkForumRead(c.Request().Context(), viewer(c), c.Param("slug")); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/f/"+url.PathEscape(c.Param("slug")))
}

func (s *Server) newThreadPage(c echo.Context) error {
	f, err := s.a.Forum.ForumBySlug(c.Request().Context(), viewer(c), c.Param("slug"))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "new_thread", "New thread in "+f.Name, NewThreadData{Forum: f}, nil)
}

func (s *Server) newThreadSubmit(c echo.Context) error {
	ctx, v := c.Request().Context(), viewer(c)
	in := forum.ThreadInput{Title: c.FormValue("title"), Body: c.FormValue("body")}
	t, _, err := s.a.Forum.CreateThread(ctx, v, c.Param("slug"), in)
	if f, st, ok := formError(err, map[string]string{"title": in.Title, "body": in.Body}); ok {
		fv, ferr := s.a.Forum.ForumBySlug(ctx, v, c.Param("slug"))
		if ferr != nil {
			return ferr
		}
		return s.render(c, st, "new_thread", "New thread in "+fv.Name, NewThreadData{Forum: fv}, f)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/t/%d", t.ID))
}

func (s *Server) threadPage(c echo.Context) error {
	id, err := pathID(c, "id", "thread")
	if err != nil {
		return err
	}
	page, err := pageParam(c)
	if err != nil {
		return err
	}
	return s.showThread(c, id, page, "", nil, http.StatusOK)
}

// showThread renders a thread page; composer and f carry a failed reply back.
func (s *Server) showThread(c echo.Context, id int64, page int, composer string, f *form, status int) error {
	ctx, v := c.Request().Context(), viewer(c)
	last := s.liveFrom(c)
	tp, err := s.a.Forum.ThreadPage(ctx, v, id, page)
	if err != nil {
		return err
	}
	s.readNotificationsOn(c, tp)
	if q := c.QueryParam("quote"); q != "" && composer == "" && v.SignedIn() {
		var qid int64
		if _, err := fmt.Sscan(q, &qid); err == nil {
			if md, err := s.a.Forum.Quote(ctx, v, qid); err == nil {
				composer = md
			}
		}
	}
	cacheTags(c, pagecache.ThreadTag(id))
	d := ThreadData{Page: tp, Kinds: forum.ReactionKinds(), Composer: composer,
		CanReply: v.SignedIn() && (!tp.Thread.Locked || v.CanModerate()), CanModerate: v.CanModerate(),
		LastEvent: last, PageSize: forum.PageSize}
	return s.render(c, status, "thread", tp.Thread.Title, d, f)
}

func (s *Server) replySubmit(c echo.Context) error {
	id, err := pathID(c, "id", "thread")
	if err != nil {
		return err
	}
	body := c.FormValue("body")
	p, err := s.a.Forum.Reply(c.Request().Context(), viewer(c), id, body)
	if f, st, ok := formError(err, map[string]string{"body": body}); ok {
		tp, terr := s.a.Forum.ThreadPage(c.Request().Context(), viewer(c), id, 1)
		if terr != nil {
			return terr
		}
		return s.showThread(c, id, tp.Pages, body, f, st)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, postURL(p.ThreadID, p.Number))
}

func postURL(threadID int64, number int) string {
	return fmt.Sprintf("/t/%d?page=%d#p%d", threadID, forum.PageOf(number), number)
}

func (s *Server) moderateSubmit(c echo.Context) error {
	id, err := pathID(c, "id", "thread")
	if err != nil {
		return err
	}
	yes, no := true, false
	var patch forum.ThreadPatch
	switch c.FormValue("action") {
	case "pin":
		patch.Pinned = &yes
	case "unpin":
		patch.Pinned = &no
	case "lock":
		patch.Locked = &yes
	case "unlock":
		patch.Locked = &no
	default:
		return errs.BadRequest("unknown action")
	}
	if _, err := s.a.Forum.UpdateThread(c.Request().Context(), viewer(c), id, patch); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/t/%d", id))
}
