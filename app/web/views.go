package web

import (
	"html/template"

	"parley/app/auth"
	"parley/app/forum"
	"parley/app/site"
)

// Page is what every template receives as its root (dot).
type Page struct {
	Title  string            // the <title>, before " · Site.Name"
	Site   site.Settings     // brand name, tagline, colour, logo file
	Viewer *auth.Viewer      // never nil; Viewer.SignedIn() tells anonymous apart
	csrf   func() string     // the form token, made on first use (see CSRF)
	Nonce  string            // CSP nonce for <script nonce> and <style nonce>
	Path   string            // request path, for the sign-in "next" link
	Flash  string            // one-off notice shown at the top ("Your reply was posted")
	Errors map[string]string // field -> message for forms; key "" is a form-wide message
	Form   map[string]string // submitted form values to refill inputs after an error
	Data   any               // the page's own data, one of the *Data types below
	Unread int64             // the signed-in viewer's unread notifications (the bell)
}

// CSRF is the value for <input type="hidden" name="_csrf">. It is made
// only when a template asks, because for visitors without an account it is
// a per-visitor cookie value that would make the page unfit for the cache.
func (p *Page) CSRF() string {
	if p.csrf == nil {
		return ""
	}
	return p.csrf()
}

// HomeData: GET /
type HomeData struct {
	Forums    []forum.ForumView
	LastEvent int64 // see Server.liveFrom
}

// ForumData: GET /f/:slug
type ForumData struct {
	List      *forum.ThreadList
	LastEvent int64 // see Server.liveFrom
	PageSize  int   // posts per thread page, for the live script's unread links
}

// NewThreadData: GET /f/:slug/new
type NewThreadData struct {
	Forum *forum.ForumView
}

// ThreadData: GET /t/:id
type ThreadData struct {
	Page        *forum.ThreadPage
	Kinds       []string // reaction kinds in display order
	Composer    string   // prefilled reply text (a quote)
	CanReply    bool
	CanModerate bool
	LastEvent   int64 // see Server.liveFrom
	PageSize    int   // posts per page, for the live script
}

// EditData: GET /p/:id/edit
type EditData struct {
	Post   *forum.PostView
	Thread *forum.ThreadView
}

// HistoryData: GET /p/:id/history
type HistoryData struct {
	Post      *forum.PostView
	Thread    *forum.ThreadView
	Revisions []forum.Revision
}

// ProfileData: GET /u/:name
type ProfileData struct {
	User auth.Public
}

// AccountData: GET /account
type AccountData struct {
	NewToken string // shown once after creation
}

// AdminSettingsData: GET /admin/settings
type AdminSettingsData struct{}

// AdminForumsData: GET /admin/forums
type AdminForumsData struct {
	Forums []forum.ForumView
}

// ErrorData: error pages
type ErrorData struct {
	Status  int
	Message string
}

// safeHTML marks HTML made by package render (goldmark then bluemonday) as
// safe for templates; it is the only such conversion in the web layer.
func safeHTML(s string) template.HTML { return template.HTML(s) } //nolint:gosec // output of render only
