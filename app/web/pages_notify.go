package web

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"parley/app/forum"
	"parley/app/notify"
)

// NotificationsData: GET /notifications
type NotificationsData struct {
	List *notify.List
}

func (s *Server) notificationsPage(c echo.Context) error {
	before, limit, err := notificationQuery(c)
	if err != nil {
		return err
	}
	l, err := s.a.Notify.List(c.Request().Context(), viewer(c), before, limit)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "notifications", "Notifications", NotificationsData{List: l}, nil)
}

// markNotificationReadSubmit is the "Mark read" button beside an unread
// notification; it comes back to the list.
func (s *Server) markNotificationReadSubmit(c echo.Context) error {
	id, err := pathID(c, "id", "notification")
	if err != nil {
		return err
	}
	if _, err := s.a.Notify.MarkRead(c.Request().Context(), viewer(c), id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/notifications")
}

func (s *Server) markAllNotificationsReadSubmit(c echo.Context) error {
	if _, err := s.a.Notify.MarkAllRead(c.Request().Context(), viewer(c)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/notifications?flash="+url.QueryEscape("All notifications are marked read."))
}

// readNotificationsOn marks the viewer's notifications about the posts on
// this page read: having seen the post is what the notification asked for.
// A failure is logged, not shown; the page itself is fine.
func (s *Server) readNotificationsOn(c echo.Context, tp *forum.ThreadPage) {
	v := viewer(c)
	if !v.SignedIn() || len(tp.Posts) == 0 {
		return
	}
	ids := make([]int64, len(tp.Posts))
	for i := range tp.Posts {
		ids[i] = tp.Posts[i].ID
	}
	if _, err := s.a.Notify.MarkReadForPosts(c.Request().Context(), v, ids); err != nil {
		s.log.Warn("mark notifications read", "user", v.ID, "err", err)
	}
}
