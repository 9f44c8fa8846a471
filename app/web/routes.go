package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"parley/app/auth"
	"parley/app/errs"
)

// routes is the whole URL space of Parley in one table. Permission wrappers
// sit inline: member(h) needs a signed-in user, admin(h) an admin; finer
// rules (who may edit which post) live in the services. cached(h) lets
// anonymous answers be shared through the page cache (see cache.go).
func (s *Server) routes(reg *prometheus.Registry) {
	e := s.e

	// Operations
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", echo.WrapHandler(promhttp.HandlerFor(reg, promhttp.HandlerOpts{})))
	e.GET("/static/*", echo.WrapHandler(staticFS()))
	e.GET("/uploads/:name", s.upload)

	// Pages
	e.GET("/", s.cached(s.homePage))
	e.GET("/login", s.loginPage)
	e.POST("/login", s.loginSubmit)
	e.GET("/register", s.registerPage)
	e.POST("/register", s.registerSubmit)
	e.POST("/logout", s.logoutSubmit)
	e.GET("/account", member(s.accountPage))
	e.POST("/account/tokens", member(s.tokenSubmit))
	e.POST("/account/profile", member(s.profileSubmit))
	e.GET("/u/:name", s.profilePage)
	e.GET("/f/:slug", s.cached(s.forumPage))
	e.POST("/f/:slug/read", member(s.markForumRead))
	e.GET("/f/:slug/new", member(s.newThreadPage))
	e.POST("/f/:slug/new", member(s.newThreadSubmit))
	e.GET("/t/:id", s.cached(s.threadPage))
	e.POST("/t/:id/reply", member(s.replySubmit))
	e.POST("/t/:id/moderate", member(s.moderateSubmit))
	e.GET("/p/:id", s.permalink)
	e.GET("/p/:id/edit", member(s.editPage))
	e.POST("/p/:id/edit", member(s.editSubmit))
	e.POST("/p/:id/delete", member(s.deleteSubmit))
	e.POST("/p/:id/react", member(s.reactSubmit))
	e.GET("/p/:id/history", member(s.historyPage))
	e.GET("/p/:id/flag", member(s.flagPage))
	e.POST("/p/:id/flag", member(s.flagSubmit))
	e.GET("/search", s.searchPage) // per viewer: never through the page cache
	e.GET("/notifications", member(s.notificationsPage))
	e.POST("/notifications/read-all", member(s.markAllNotificationsReadSubmit))
	e.POST("/notifications/:id/read", member(s.markNotificationReadSubmit))
	e.GET("/mod/queue", staff(s.modQueuePage))
	e.POST("/mod/queue/:id/claim", staff(s.modClaimSubmit))
	e.POST("/mod/queue/:id/act", staff(s.modActSubmit))
	e.GET("/admin/settings", admin(s.adminSettingsPage))
	e.POST("/admin/settings", admin(s.adminSettingsSubmit))
	e.GET("/admin/forums", admin(s.adminForumsPage))
	e.POST("/admin/forums", admin(s.adminForumsSubmit))
	e.GET("/guidelines", s.guidelinesPage)
	e.GET("/guidelines/history", s.guidelinesHistoryPage)
	e.GET("/guidelines/diff", s.guidelinesDiffPage)
	e.GET("/admin/guidelines", editor(s.adminGuidelinesPage))
	e.POST("/admin/guidelines", editor(s.adminGuidelinesSubmit))
	e.GET("/admin/audit", staff(s.adminAuditPage))
	e.GET("/admin/audit.csv", staff(s.adminAuditCSV))

	// JSON API (documented in openapi.json; a test keeps the two in step)
	api := e.Group("/api/v1")
	api.GET("/openapi.json", s.openAPI)
	api.POST("/users", s.apiRegister)
	api.PATCH("/users/me", member(s.apiUpdateMe))
	api.GET("/users/:name", s.apiUser)
	api.POST("/session", s.apiLogin)
	api.GET("/session", member(s.apiSession))
	api.DELETE("/session", s.apiLogout)
	api.POST("/tokens", member(s.apiCreateToken))
	api.GET("/site", s.apiSite)
	api.PATCH("/site", admin(s.apiUpdateSite))
	api.GET("/forums", s.cached(s.apiForums))
	api.POST("/forums", admin(s.apiCreateForum))
	api.GET("/forums/:slug", s.apiForum)
	api.PATCH("/forums/:slug", admin(s.apiUpdateForum))
	api.POST("/forums/:slug/read", member(s.apiMarkForumRead))
	api.GET("/forums/:slug/threads", s.cached(s.apiThreads))
	api.POST("/forums/:slug/threads", member(s.apiCreateThread))
	api.GET("/threads/:id", s.cached(s.apiThread))
	api.PATCH("/threads/:id", member(s.apiUpdateThread))
	api.POST("/threads/:id/posts", member(s.apiReply))
	api.GET("/posts/:id", s.apiPost)
	api.PATCH("/posts/:id", member(s.apiEditPost))
	api.DELETE("/posts/:id", member(s.apiDeletePost))
	api.GET("/posts/:id/quote", s.apiQuote)
	api.GET("/posts/:id/revisions", member(s.apiRevisions))
	api.PUT("/posts/:id/reactions/:kind", member(s.apiReact))
	api.DELETE("/posts/:id/reactions/:kind", member(s.apiReact))
	api.POST("/posts/:id/flags", member(s.apiFlag))
	api.POST("/preview", member(s.apiPreview))
	api.GET("/events", s.apiEvents)
	api.GET("/search", s.apiSearch)
	api.GET("/search/suggest", s.apiSuggest)
	api.GET("/notifications", member(s.apiNotifications))
	api.POST("/notifications/read-all", member(s.apiMarkAllNotificationsRead))
	api.POST("/notifications/:id/read", member(s.apiMarkNotificationRead))
	api.GET("/mod/queue", staff(s.apiModQueue))
	api.GET("/mod/queue/:id", staff(s.apiModItem))
	api.POST("/mod/queue/:id/claim", staff(s.apiModClaim))
	api.DELETE("/mod/queue/:id/claim", staff(s.apiModClaim))
	api.POST("/mod/queue/:id/actions", staff(s.apiModAct))
	api.GET("/mod/stats", staff(s.apiModStats))
	api.GET("/mod/settings", staff(s.apiModSettings))
	api.PATCH("/mod/settings", admin(s.apiUpdateModSettings))
	api.GET("/guidelines", s.apiGuidelines)
	api.PUT("/guidelines", editor(s.apiUpdateGuidelines))
	api.GET("/guidelines/versions", s.apiGuidelinesVersions)
	api.GET("/guidelines/versions/:n", s.apiGuidelinesVersion)
	api.GET("/guidelines/diff", s.apiGuidelinesDiff)
	api.GET("/admin/audit", staff(s.apiAudit))
	api.GET("/ws", s.ws)
}

// member requires a signed-in user: the API answers 401, pages redirect to
// the sign-in form (in the error handler).
func member(h echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !viewer(c).SignedIn() {
			return errs.Unauthenticated("sign in first")
		}
		return h(c)
	}
}

// admin requires the admin role.
func admin(h echo.HandlerFunc) echo.HandlerFunc {
	return member(func(c echo.Context) error {
		if viewer(c).Role != auth.RoleAdmin {
			return errs.Forbidden("admins only")
		}
		return h(c)
	})
}

// staff requires a moderator, community manager or admin.
func staff(h echo.HandlerFunc) echo.HandlerFunc {
	return member(func(c echo.Context) error {
		if !viewer(c).IsStaff() {
			return errs.Forbidden("staff only")
		}
		return h(c)
	})
}

// editor requires a community manager or admin (who speak for the
// community: the guidelines are theirs to edit).
func editor(h echo.HandlerFunc) echo.HandlerFunc {
	return member(func(c echo.Context) error {
		if r := viewer(c).Role; r != auth.RoleManager && r != auth.RoleAdmin {
			return errs.Forbidden("community managers and admins only")
		}
		return h(c)
	})
}

// limitBody caps every request body before anything reads it (the CSRF
// check reads forms); only the logo upload gets more room.
func limitBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		n := int64(256 << 10)
		if c.Path() == "/admin/settings" {
			n = MaxLogoBytes + 64<<10
		}
		if c.Request().ContentLength > n {
			return errs.TooLarge("the request body is too large")
		}
		c.Request().Body = http.MaxBytesReader(c.Response(), c.Request().Body, n)
		return next(c)
	}
}
