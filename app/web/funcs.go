package web

import (
	"fmt"
	"html/template"
	"regexp"
	"strings"
	"time"

	"parley/app/auth"
	"parley/app/forum"
	"parley/app/site"
)

// funcMap is every function the theme templates may call. Besides these,
// html/template's built-ins (urlquery, len, index, printf, eq…) are available.
// now is the clock the time helpers read (tests pass a fixed one).
func funcMap(now func() time.Time) template.FuncMap {
	return template.FuncMap{
		// html marks a post's rendered body as safe. Use it for PostView.HTML
		// only: that HTML comes from package render (sanitised at write time).
		"html":            safeHTML,
		"timeAgo":         func(t time.Time) string { return timeAgo(now(), t) },
		"timeAgoPtr":      func(t *time.Time) string { return timeAgoPtr(now(), t) },
		"isoTime":         isoTime,
		"roleLabel":       roleLabel,
		"isOfficial":      isOfficial,
		"reactionLabel":   reactionLabel,
		"reactionIcon":    reactionIcon,
		"visibilityLabel": visibilityLabel,
		"cssColor":        cssColor,
		"add":             func(a, b int) int { return a + b },
		"sub":             func(a, b int) int { return a - b },
		"deref":           deref,
		"pageRange":       pageRange,
		"pageOf":          forum.PageOf,
		"pager":           newPager,
		"postItem":        func(p *Page, post forum.PostView) postItem { return newPostItem(now(), p, post) },
	}
}

// timeAgo says how long ago t was: "just now", "5 minutes ago", "3 hours
// ago", "2 days ago", then the date ("Jan 2, 2006", UTC) from a week on.
func timeAgo(now, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute") + " ago"
	case d < 24*time.Hour:
		return plural(int(d/time.Hour), "hour") + " ago"
	case d < 7*24*time.Hour:
		return plural(int(d/(24*time.Hour)), "day") + " ago"
	}
	return t.UTC().Format("Jan 2, 2006")
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// timeAgoPtr is timeAgo for optional times: "never" for nil.
func timeAgoPtr(now time.Time, t *time.Time) string {
	if t == nil {
		return "never"
	}
	return timeAgo(now, *t)
}

// isoTime is t in RFC 3339, UTC, for <time datetime>.
func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// roleLabel names a role on a badge; members get none.
func roleLabel(r auth.Role) string {
	switch r {
	case auth.RoleModerator:
		return "Moderator"
	case auth.RoleManager:
		return "Community manager"
	case auth.RoleAdmin:
		return "Admin"
	}
	return ""
}

// isOfficial reports the roles that speak for the community (community
// managers and admins): their posts are styled as official.
func isOfficial(r auth.Role) bool { return r == auth.RoleManager || r == auth.RoleAdmin }

// reactionLabel is the button text of a reaction kind.
func reactionLabel(kind string) string {
	switch kind {
	case "like":
		return "Like"
	case "thanks":
		return "Thanks"
	case "insightful":
		return "Insightful"
	}
	return kind
}

// reactionIcon is the emoji of a reaction kind.
func reactionIcon(kind string) string {
	switch kind {
	case "like":
		return "👍"
	case "thanks":
		return "🙏"
	case "insightful":
		return "💡"
	}
	return ""
}

// visibilityLabel turns ForumView.VisibilityLabel ("public", "members",
// "staff", "group:slug") into words.
func visibilityLabel(v string) string {
	switch {
	case v == "" || v == forum.VisPublic:
		return "Everyone"
	case v == forum.VisMembers:
		return "Members only"
	case v == "staff":
		return "Staff"
	case strings.HasPrefix(v, "group:"):
		return "Private"
	}
	return v
}

var cssColorRE = regexp.MustCompile(`^#[0-9a-f]{6}$`)

// cssColor re-checks a brand colour before it goes into a <style> element
// and marks it safe CSS; anything else falls back to the default colour, so
// a bad value can never break out of the declaration nor blank the theme.
func cssColor(c string) template.CSS {
	c = strings.ToLower(strings.TrimSpace(c))
	if !cssColorRE.MatchString(c) {
		c = site.Defaults().Color
	}
	return template.CSS(c) //nolint:gosec // checked against ^#[0-9a-f]{6}$ just above
}

// deref reads an optional int, 0 for nil.
func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// pageRange lists the page numbers a compact pager shows: the first, the
// last and cur±2, in order, with 0 where pages are left out (an ellipsis).
// A gap of a single page shows that page rather than an ellipsis.
func pageRange(cur, total int) []int {
	if total < 1 {
		return nil
	}
	cur = min(max(cur, 1), total)
	lo, hi := max(cur-2, 1), min(cur+2, total)
	out := make([]int, 0, hi-lo+5)
	prev := 0
	emit := func(p int) {
		switch {
		case p-prev == 2:
			out = append(out, p-1)
		case p-prev > 2:
			out = append(out, 0)
		}
		out = append(out, p)
		prev = p
	}
	if lo > 1 {
		emit(1)
	}
	for p := lo; p <= hi; p++ {
		emit(p)
	}
	if hi < total {
		emit(total)
	}
	return out
}

// pager is what the "pager" partial receives: links go to Base?page=N.
type pager struct {
	Cur, Total int
	Base       string
}

func newPager(cur, total int, base string) pager { return pager{Cur: cur, Total: total, Base: base} }

// postItem is what the "post" partial receives: one post, the page it is
// shown on (for the CSRF token, the viewer and ThreadData), and everything
// the partial shows worked out here once, so that the template only reads
// fields: calls from a template go through reflection and were a fifth of
// a thread page's rendering time.
type postItem struct {
	*Page
	Post      forum.PostView
	Official  bool
	RoleLabel string
	ISO, Ago  string
	EditedAgo string
	Reactions []reactionItem // every kind when signed in, else the ones with a count
	SignedIn  bool
	CanQuote  bool
	PageNum   int
}

type reactionItem struct {
	Kind, Icon, Label string
	Count             int
	Pressed           bool
}

func newPostItem(now time.Time, p *Page, post forum.PostView) postItem {
	it := postItem{Page: p, Post: post, Official: isOfficial(post.Author.Role), RoleLabel: roleLabel(post.Author.Role),
		ISO: isoTime(post.CreatedAt), Ago: timeAgo(now, post.CreatedAt), SignedIn: p.Viewer.SignedIn()}
	if post.EditCount > 0 {
		it.EditedAgo = timeAgoPtr(now, post.EditedAt)
	}
	d, _ := p.Data.(ThreadData)
	it.CanQuote = it.SignedIn && d.CanReply
	if d.Page != nil {
		it.PageNum = d.Page.Page
	}
	for _, k := range d.Kinds {
		n := post.Reactions[k]
		if it.SignedIn || n > 0 {
			it.Reactions = append(it.Reactions, reactionItem{Kind: k, Icon: reactionIcon(k), Label: reactionLabel(k), Count: n, Pressed: post.MyReaction == k})
		}
	}
	return it
}
