package web

import "github.com/labstack/echo/v4"

// liveFrom is the newest event id, read before a page loads its data. The
// page hands it to static/js/live.js, which subscribes to the page's
// channels with since = this id, so nothing that happens while the page is
// built, cached (up to the cache's TTL) and delivered is missed. Events the
// page already shows arrive again; the script recognises them (posts by
// number, lists by reloading them). 0 when it cannot be read: the template
// then leaves the id out and the script subscribes from "now".
func (s *Server) liveFrom(c echo.Context) int64 {
	id, err := s.a.Store.LastEventID(c.Request().Context())
	if err != nil {
		s.log.Warn("live pages: read the event log position", "err", err)
		return 0
	}
	return id
}
