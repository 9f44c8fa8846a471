package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"parley/app/auth"
)

// safeNext keeps post-login redirects on this site.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if next == "" || err != nil || u.IsAbs() || u.Host != "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return "/"
	}
	return next
}

func (s *Server) loginPage(c echo.Context) error {
	if viewer(c).SignedIn() {
		return c.Redirect(http.StatusSeeOther, safeNext(c.QueryParam("next")))
	}
	return s.render(c, http.StatusOK, "login", "Log in", nil, &form{Values: map[string]string{"next": c.QueryParam("next")}})
}

func (s *Server) loginSubmit(c echo.Context) error {
	values := map[string]string{"login": c.FormValue("login"), "next": c.FormValue("next")}
	_, token, err := s.a.Auth.Login(c.Request().Context(), c.FormValue("login"), c.FormValue("password"), c.RealIP())
	if f, st, ok := formError(err, values); ok {
		return s.render(c, st, "login", "Log in", nil, f)
	}
	if err != nil {
		return err
	}
	s.setSession(c, token)
	return c.Redirect(http.StatusSeeOther, safeNext(values["next"]))
}

func (s *Server) registerPage(c echo.Context) error {
	d, err := s.registerData(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "register", "Sign up", d, nil)
}

func (s *Server) registerSubmit(c echo.Context) error {
	accept, _ := strconv.Atoi(c.FormValue("accept_guidelines")) // unticked: 0, refused if guidelines exist
	in := auth.Registration{Username: c.FormValue("username"), Email: c.FormValue("email"), Password: c.FormValue("password"), AcceptGuidelines: accept}
	values := map[string]string{"username": in.Username, "email": in.Email, "accept_guidelines": c.FormValue("accept_guidelines")}
	ctx := c.Request().Context()
	_, err := s.a.Auth.Register(ctx, in)
	if f, st, ok := formError(err, values); ok {
		d, derr := s.registerData(c)
		if derr != nil {
			return derr
		}
		return s.render(c, st, "register", "Sign up", d, f)
	}
	if err != nil {
		return err
	}
	_, token, err := s.a.Auth.Login(ctx, in.Username, in.Password, c.RealIP())
	if err != nil {
		return err
	}
	s.setSession(c, token)
	return c.Redirect(http.StatusSeeOther, "/?flash="+url.QueryEscape("Welcome, "+in.Username+"! Your account is ready."))
}

func (s *Server) logoutSubmit(c echo.Context) error {
	if ck, err := c.Cookie(sessionCookie); err == nil {
		if err := s.a.Auth.Logout(c.Request().Context(), ck.Value); err != nil {
			return err
		}
	}
	s.clearCookie(c, sessionCookie)
	return c.Redirect(http.StatusSeeOther, "/")
}

func (s *Server) accountPage(c echo.Context) error {
	u, err := s.a.Auth.UserByName(c.Request().Context(), viewer(c).Username)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "account", "Your account", AccountData{}, &form{Values: map[string]string{"bio": u.Bio}})
}

func (s *Server) tokenSubmit(c echo.Context) error {
	tok, err := s.a.Auth.CreateToken(c.Request().Context(), viewer(c), c.FormValue("name"))
	if f, st, ok := formError(err, map[string]string{"name": c.FormValue("name")}); ok {
		return s.render(c, st, "account", "Your account", AccountData{}, f)
	}
	if err != nil {
		return err
	}
	return s.render(c, http.StatusCreated, "account", "Your account", AccountData{NewToken: tok}, nil)
}

func (s *Server) profilePage(c echo.Context) error {
	u, err := s.a.Auth.UserByName(c.Request().Context(), c.Param("name"))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "profile", u.Username, ProfileData{User: u.Public()}, nil)
}

func (s *Server) profileSubmit(c echo.Context) error {
	bio := c.FormValue("bio")
	_, err := s.a.Auth.UpdateBio(c.Request().Context(), viewer(c), bio)
	if f, st, ok := formError(err, map[string]string{"bio": bio}); ok {
		return s.render(c, st, "account", "Your account", AccountData{}, f)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/account?flash=Profile+saved.")
}
