package realtime_test

import (
	"fmt"
	"net/http"
	"testing"

	"parley/app/apptest"
	"parley/app/auth"
)

// world is a small forum: a public, a members-only and a staff (group)
// forum, an admin, a moderator and a member.
type world struct {
	a                       *apptest.App
	admin, mod, member      *apptest.Client
	general, club, staff    int64 // forum ids
	generalT, clubT, staffT int64 // one thread in each
}

type created struct {
	Thread struct {
		ID      int64 `json:"id"`
		ForumID int64 `json:"forum_id"`
	} `json:"thread"`
	Post struct {
		ID int64 `json:"id"`
	} `json:"post"`
}

func newWorld(t *testing.T, opts ...apptest.Option) *world {
	t.Helper()
	a := apptest.New(t, opts...)
	w := &world{a: a, admin: a.User("root_admin", auth.RoleAdmin), mod: a.User("mod_mia", auth.RoleModerator)}
	w.member = a.Client().Register("member_max")
	forum := func(slug, vis string) int64 {
		var f struct {
			ID int64 `json:"id"`
		}
		w.admin.Must(http.StatusCreated, "POST", "/api/v1/forums", map[string]any{"name": slug, "slug": slug, "visibility": vis}).JSON(t, &f)
		return f.ID
	}
	w.general, w.club, w.staff = forum("general", "public"), forum("club", "members"), forum("staff-room", "staff")
	w.generalT = w.thread(w.member, "general", "Public thread").Thread.ID
	w.clubT = w.thread(w.member, "club", "Members meetup").Thread.ID
	w.staffT = w.thread(w.mod, "staff-room", "Spam wave tonight").Thread.ID
	settle(t, a.Realtime, a)
	return w
}

func (w *world) thread(c *apptest.Client, forum, title string) created {
	w.a.T.Helper()
	var out created
	c.Must(http.StatusCreated, "POST", "/api/v1/forums/"+forum+"/threads", map[string]string{"title": title, "body": "First post of " + title}).JSON(w.a.T, &out)
	return out
}

func (w *world) reply(c *apptest.Client, thread int64, body string) int64 {
	w.a.T.Helper()
	var p struct {
		ID int64 `json:"id"`
	}
	c.Must(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/threads/%d/posts", thread), map[string]string{"body": body}).JSON(w.a.T, &p)
	return p.ID
}

// ws connects c (nil: anonymous) to the app's own /api/v1/ws, as a browser
// with its session cookie and the site's Origin.
func (w *world) ws(c *apptest.Client) *client {
	w.a.T.Helper()
	if c == nil {
		return dial(w.a.T, wsURL(w.a.URL, "/api/v1/ws"), nil)
	}
	return dial(w.a.T, wsURL(w.a.URL, "/api/v1/ws"), browser(w.a, c, w.a.URL))
}
