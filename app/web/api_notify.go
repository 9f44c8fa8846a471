package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"parley/app/errs"
	"parley/app/notify"
)

// notificationQuery reads ?before=ID and ?limit=N of a notifications list;
// nonsense is a clear 400, shared by the page and the API.
func notificationQuery(c echo.Context) (before int64, limit int, err error) {
	if b := c.QueryParam("before"); b != "" {
		before, err = strconv.ParseInt(b, 10, 64)
		if err != nil || before < 1 {
			return 0, 0, errs.BadRequest("before must be a notification id (a whole number from 1)")
		}
	}
	if l := c.QueryParam("limit"); l != "" {
		limit, err = strconv.Atoi(l)
		if err != nil || limit < 1 || limit > notify.MaxLimit {
			return 0, 0, errs.BadRequest("limit must be a whole number from 1 to " + strconv.Itoa(notify.MaxLimit))
		}
	}
	return before, limit, nil
}

func (s *Server) apiNotifications(c echo.Context) error {
	before, limit, err := notificationQuery(c)
	if err != nil {
		return err
	}
	l, err := s.a.Notify.List(c.Request().Context(), viewer(c), before, limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, l)
}

func (s *Server) apiMarkNotificationRead(c echo.Context) error {
	id, err := pathID(c, "id", "notification")
	if err != nil {
		return err
	}
	n, err := s.a.Notify.MarkRead(c.Request().Context(), viewer(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]int64{"unread": n})
}

func (s *Server) apiMarkAllNotificationsRead(c echo.Context) error {
	n, err := s.a.Notify.MarkAllRead(c.Request().Context(), viewer(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]int64{"unread": n})
}
