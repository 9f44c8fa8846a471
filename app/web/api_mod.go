package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"parley/app/errs"
	"parley/app/moderation"
	"parley/app/site"
)

// queueFilter reads the queue's filters from the query string (the page
// and the API share them); nonsense is a clear 400.
func queueFilter(c echo.Context) (moderation.QueueFilter, error) {
	f := moderation.QueueFilter{Kind: c.QueryParam("type"), Forum: c.QueryParam("forum"), Reason: c.QueryParam("reason"),
		Language: c.QueryParam("language"), Assignee: c.QueryParam("assignee"), Cursor: c.QueryParam("cursor")}
	if l := c.QueryParam("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > moderation.MaxLimit {
			return f, errs.BadRequest("limit must be a whole number from 1 to " + strconv.Itoa(moderation.MaxLimit))
		}
		f.Limit = n
	}
	return f, f.Validate()
}

func (s *Server) apiFlag(c echo.Context) error {
	id, err := pathID(c, "id", "post")
	if err != nil {
		return err
	}
	var in moderation.FlagInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	f, err := s.a.Moderation.Flag(c.Request().Context(), viewer(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, f)
}

func (s *Server) apiModQueue(c echo.Context) error {
	f, err := queueFilter(c)
	if err != nil {
		return err
	}
	q, err := s.a.Moderation.Queue(c.Request().Context(), viewer(c), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, q)
}

func (s *Server) apiModItem(c echo.Context) error {
	id, err := pathID(c, "id", "review item")
	if err != nil {
		return err
	}
	it, err := s.a.Moderation.Item(c.Request().Context(), viewer(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, it)
}

func (s *Server) apiModClaim(c echo.Context) error {
	id, err := pathID(c, "id", "review item")
	if err != nil {
		return err
	}
	ctx, m := c.Request().Context(), s.a.Moderation
	var it *moderation.Item
	if c.Request().Method == http.MethodDelete {
		it, err = m.Release(ctx, viewer(c), id)
	} else {
		it, err = m.Claim(ctx, viewer(c), id)
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, it)
}

func (s *Server) apiModAct(c echo.Context) error {
	id, err := pathID(c, "id", "review item")
	if err != nil {
		return err
	}
	var in moderation.ActionInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	it, err := s.a.Moderation.Act(c.Request().Context(), viewer(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, it)
}

func (s *Server) apiModStats(c echo.Context) error {
	st, err := s.a.Moderation.Stats(c.Request().Context(), viewer(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

func (s *Server) apiModSettings(c echo.Context) error {
	m, err := s.a.Site.Moderation(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, m)
}

// apiUpdateModSettings takes the whole settings object (admins only).
func (s *Server) apiUpdateModSettings(c echo.Context) error {
	var in site.Moderation
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	m, err := s.a.Site.SaveModeration(c.Request().Context(), viewer(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, m)
}
