package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// apiSearch answers GET /api/v1/search: one page of results the viewer may
// see. It is never cached (results depend on the viewer's forums).
func (s *Server) apiSearch(c echo.Context) error {
	page, err := pageParam(c)
	if err != nil {
		return err
	}
	res, err := s.a.Search.Search(c.Request().Context(), viewer(c), c.QueryParam("q"), page, c.QueryParam("sort"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

// apiSuggest answers GET /api/v1/search/suggest: thread titles for the
// header's search box as one types.
func (s *Server) apiSuggest(c echo.Context) error {
	list, err := s.a.Search.Suggest(c.Request().Context(), viewer(c), c.QueryParam("q"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"suggestions": list})
}
