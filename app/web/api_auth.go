package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"parley/app/auth"
	"parley/app/errs"
)

func (s *Server) apiRegister(c echo.Context) error {
	var in auth.Registration
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u, err := s.a.Auth.Register(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, u.Public())
}

func (s *Server) apiUser(c echo.Context) error {
	u, err := s.a.Auth.UserByName(c.Request().Context(), c.Param("name"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u.Public())
}

type sessionInput struct {
	Login    string `json:"login"`
	Password string `json:"password"`
}

// sessionView is the signed-in user as the API shows it to themselves.
type sessionView struct {
	User      auth.Public `json:"user"`
	CSRFToken string      `json:"csrf_token,omitempty"`
}

func (s *Server) apiLogin(c echo.Context) error {
	var in sessionInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u, token, err := s.a.Auth.Login(c.Request().Context(), in.Login, in.Password, c.RealIP())
	if err != nil {
		return err
	}
	s.setSession(c, token)
	v, _, err := s.a.Auth.SessionViewer(c.Request().Context(), token)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sessionView{User: u.Public(), CSRFToken: v.CSRF})
}

func (s *Server) apiLogout(c echo.Context) error {
	if ck, err := c.Cookie(sessionCookie); err == nil {
		if err := s.a.Auth.Logout(c.Request().Context(), ck.Value); err != nil {
			return err
		}
	}
	s.clearCookie(c, sessionCookie)
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) apiSession(c echo.Context) error {
	v := viewer(c)
	u, err := s.a.Auth.UserByName(c.Request().Context(), v.Username)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sessionView{User: u.Public(), CSRFToken: v.CSRF})
}

type tokenInput struct {
	Name string `json:"name"`
}

func (s *Server) apiCreateToken(c echo.Context) error {
	var in tokenInput
	if c.Request().ContentLength != 0 {
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
	}
	tok, err := s.a.Auth.CreateToken(c.Request().Context(), viewer(c), in.Name)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]string{"token": tok})
}

type profileInput struct {
	Bio *string `json:"bio"`
}

func (s *Server) apiUpdateMe(c echo.Context) error {
	var in profileInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.Bio == nil {
		return errs.Field("bio", "nothing to change: send bio")
	}
	u, err := s.a.Auth.UpdateBio(c.Request().Context(), viewer(c), *in.Bio)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u.Public())
}
