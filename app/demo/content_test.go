package demo

import (
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"parley/app/forum"
)

// mentionRE finds @mentions: an @ not preceded by a username character,
// followed by something shaped like a username.
var mentionRE = regexp.MustCompile(`(?:^|[^A-Za-z0-9_.@-])@([A-Za-z0-9](?:[A-Za-z0-9]|[_.-][A-Za-z0-9])*)`)

func validUsername(s string) bool {
	if len(s) < 3 || len(s) > 20 {
		return false
	}
	isAlnum := func(c byte) bool {
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	isPunct := func(c byte) bool { return c == '_' || c == '.' || c == '-' }
	if !isAlnum(s[0]) || !isAlnum(s[len(s)-1]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isAlnum(c):
		case isPunct(c):
			if isPunct(s[i-1]) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func TestContentUsernameRule(t *testing.T) {
	for _, ok := range []string{"abc", "a.b", "dan-the-van", "x_1", "abcdefghij0123456789"} {
		if !validUsername(ok) {
			t.Errorf("validUsername(%q) = false, want true", ok)
		}
	}
	for _, bad := range []string{"ab", "_abc", "abc_", "a__b", "a._b", "a b", "abcdefghij01234567890", "émile", "a@b"} {
		if validUsername(bad) {
			t.Errorf("validUsername(%q) = true, want false", bad)
		}
	}
}

func TestContentUsers(t *testing.T) {
	d := Content()
	if d.Brand != "Fernwood Outdoor" {
		t.Errorf("Brand = %q", d.Brand)
	}
	if len(d.Users) < 24 {
		t.Errorf("%d users, want at least 24", len(d.Users))
	}
	if len(DemoPassword) < 10 {
		t.Errorf("DemoPassword is %d chars, want at least 10", len(DemoPassword))
	}
	for _, common := range []string{"password", "12345", "qwerty", "letmein", "admin"} {
		if strings.Contains(strings.ToLower(DemoPassword), common) {
			t.Errorf("DemoPassword contains %q", common)
		}
	}

	names := map[string]bool{}
	keys := map[string]bool{}
	emails := map[string]bool{}
	count := map[Role]int{}
	for _, u := range d.Users {
		if !validUsername(u.Username) {
			t.Errorf("invalid username %q", u.Username)
		}
		if names[u.Username] || keys[strings.ToLower(u.Username)] {
			t.Errorf("duplicate username %q", u.Username)
		}
		names[u.Username] = true
		keys[strings.ToLower(u.Username)] = true
		want := strings.ToLower(u.Username) + "@fernwood.example"
		if u.Email != want {
			t.Errorf("%s: email %q, want %q", u.Username, u.Email, want)
		}
		if emails[u.Email] {
			t.Errorf("duplicate email %q", u.Email)
		}
		emails[u.Email] = true
		switch u.Role {
		case RoleMember, RoleModerator, RoleManager, RoleAdmin:
		default:
			t.Errorf("%s: bad role %q", u.Username, u.Role)
		}
		count[u.Role]++
		if strings.TrimSpace(u.Bio) == "" {
			t.Errorf("%s: empty bio", u.Username)
		}
	}
	if count[RoleAdmin] != 1 {
		t.Errorf("%d admins, want exactly 1", count[RoleAdmin])
	}
	if count[RoleManager] < 1 {
		t.Errorf("%d managers, want at least 1", count[RoleManager])
	}
	if count[RoleModerator] < 2 {
		t.Errorf("%d moderators, want at least 2", count[RoleModerator])
	}
	if count[RoleMember] < 12 {
		t.Errorf("%d members, want most of the cast", count[RoleMember])
	}
	var admin *User
	for i := range d.Users {
		if d.Users[i].Username == AdminUsername {
			admin = &d.Users[i]
		}
	}
	if admin == nil || admin.Role != RoleAdmin {
		t.Errorf("AdminUsername %q is not a user with role admin", AdminUsername)
	}
}

func TestContentForums(t *testing.T) {
	d := Content()
	if len(d.Forums) < 5 {
		t.Errorf("%d forums, want at least 5", len(d.Forums))
	}
	slugRE := regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
	seen := map[string]bool{}
	vis := map[string]int{}
	for _, f := range d.Forums {
		if !slugRE.MatchString(f.Slug) {
			t.Errorf("bad slug %q", f.Slug)
		}
		if seen[f.Slug] {
			t.Errorf("duplicate slug %q", f.Slug)
		}
		seen[f.Slug] = true
		if strings.TrimSpace(f.Name) == "" || strings.TrimSpace(f.Description) == "" {
			t.Errorf("%s: empty name or description", f.Slug)
		}
		switch f.Visibility {
		case "public", "members", "staff":
			vis[f.Visibility]++
		default:
			t.Errorf("%s: bad visibility %q", f.Slug, f.Visibility)
		}
		if f.Language != "" && !slices.Contains(forum.Languages(), f.Language) {
			t.Errorf("%s: language %q is not one of %v", f.Slug, f.Language, forum.Languages())
		}
	}
	for _, v := range []string{"public", "members", "staff"} {
		if vis[v] == 0 {
			t.Errorf("no %s forum", v)
		}
	}
}

func TestContentThreads(t *testing.T) {
	d := Content()
	roles := map[string]Role{}
	for _, u := range d.Users {
		roles[u.Username] = u.Role
	}
	isStaff := func(name string) bool { r, ok := roles[name]; return ok && r != RoleMember }
	vis := map[string]string{}
	for _, f := range d.Forums {
		vis[f.Slug] = f.Visibility
	}

	if len(d.Threads) < 36 {
		t.Errorf("%d threads, want at least 36", len(d.Threads))
	}
	posts, long, welcome, fresh, old := 0, 0, 0, 0, 0
	posted := map[string]bool{}
	titles := map[string]bool{}
	threadsIn := map[string]int{}

	checkBody := func(where, body string) {
		if strings.TrimSpace(body) == "" {
			t.Errorf("%s: empty body", where)
		}
		if len(body) >= 32000 {
			t.Errorf("%s: body is %d bytes, want < 32000", where, len(body))
		}
		if !utf8.ValidString(body) {
			t.Errorf("%s: invalid UTF-8", where)
		}
		if strings.Contains(strings.ToLower(body), "lorem") {
			t.Errorf("%s: placeholder text", where)
		}
		if strings.Contains(body, "\t") {
			t.Errorf("%s: tab in body (indented raw string?)", where)
		}
	}
	checkMentions := func(where, forum, body string) {
		for _, m := range mentionRE.FindAllStringSubmatch(body, -1) {
			name := m[1]
			if _, ok := roles[name]; !ok {
				t.Errorf("%s: mentions unknown user @%s", where, name)
			} else if vis[forum] == "staff" && !isStaff(name) {
				t.Errorf("%s: mentions non-staff @%s in a staff forum", where, name)
			}
		}
	}
	checkReactions := func(where, forum, author string, rs map[string]string) {
		for who, kind := range rs {
			if _, ok := roles[who]; !ok {
				t.Errorf("%s: reaction by unknown user %q", where, who)
			}
			if who == author {
				t.Errorf("%s: %s reacts to their own post", where, who)
			}
			if vis[forum] == "staff" && !isStaff(who) {
				t.Errorf("%s: non-staff %s reacts in a staff forum", where, who)
			}
			switch kind {
			case "like", "thanks", "insightful":
			default:
				t.Errorf("%s: bad reaction kind %q", where, kind)
			}
		}
	}

	for ti, th := range d.Threads {
		where := th.Title
		if _, ok := vis[th.Forum]; !ok {
			t.Errorf("%s: unknown forum %q", where, th.Forum)
		}
		threadsIn[th.Forum]++
		if _, ok := roles[th.Author]; !ok {
			t.Errorf("%s: unknown author %q", where, th.Author)
		}
		if n := utf8.RuneCountInString(th.Title); n < 5 || n > 120 {
			t.Errorf("thread %d: title %q is %d chars, want 5..120", ti, th.Title, n)
		}
		if th.Title != strings.TrimSpace(th.Title) {
			t.Errorf("%s: title has surrounding space", where)
		}
		if titles[th.Title] {
			t.Errorf("duplicate title %q", th.Title)
		}
		titles[th.Title] = true
		if th.AgeHours < 1 || th.AgeHours > 61*24 {
			t.Errorf("%s: AgeHours %d, want 1..%d", where, th.AgeHours, 61*24)
		}
		if th.AgeHours <= 24 {
			fresh++
		}
		if th.AgeHours >= 50*24 {
			old++
		}
		checkBody(where+" (opening post)", th.Body)
		checkMentions(where+" (opening post)", th.Forum, th.Body)
		checkReactions(where+" (opening post)", th.Forum, th.Author, th.Reactions)
		posted[th.Author] = true

		if vis[th.Forum] == "staff" && !isStaff(th.Author) {
			t.Errorf("%s: staff forum thread by non-staff %s", where, th.Author)
		}
		if th.Forum == "announcements" && !isStaff(th.Author) {
			t.Errorf("%s: announcement by non-staff %s", where, th.Author)
		}
		if th.Forum == "announcements" && th.Pinned && th.Locked {
			welcome++
			if roles[th.Author] != RoleManager {
				t.Errorf("%s: welcome thread by %s, want a manager", where, th.Author)
			}
		}

		if n := len(th.Replies); n >= 25 {
			long++
			if n > 45 {
				t.Errorf("%s: %d replies, want at most 45", where, n)
			}
		}
		bodies := map[string]bool{th.Body: true}
		for i, r := range th.Replies {
			number := i + 2
			rw := where + " #" + strconv.Itoa(number)
			if _, ok := roles[r.Author]; !ok {
				t.Errorf("%s: unknown author %q", rw, r.Author)
			}
			if vis[th.Forum] == "staff" && !isStaff(r.Author) {
				t.Errorf("%s: staff forum reply by non-staff %s", rw, r.Author)
			}
			if r.QuoteOf < 0 || r.QuoteOf >= number {
				t.Errorf("%s: QuoteOf %d, want 0 or 1..%d", rw, r.QuoteOf, number-1)
			}
			if r.QuoteOf > 0 {
				var quoted string
				if r.QuoteOf == 1 {
					quoted = th.Author
				} else {
					quoted = th.Replies[r.QuoteOf-2].Author
				}
				if quoted == r.Author {
					t.Errorf("%s: %s quotes their own post", rw, r.Author)
				}
			}
			checkBody(rw, r.Body)
			checkMentions(rw, th.Forum, r.Body)
			checkReactions(rw, th.Forum, r.Author, r.Reactions)
			if bodies[r.Body] {
				t.Errorf("%s: body repeats an earlier post in the thread", rw)
			}
			bodies[r.Body] = true
			if mentionsSelf(r.Body, r.Author) {
				t.Errorf("%s: %s mentions themselves", rw, r.Author)
			}
			posted[r.Author] = true
		}
		posts += 1 + len(th.Replies)
	}

	if posts < 320 {
		t.Errorf("%d posts, want at least 320", posts)
	}
	if long < 2 {
		t.Errorf("%d threads with 25+ replies, want at least 2", long)
	}
	if welcome != 1 {
		t.Errorf("%d pinned+locked announcement threads, want exactly 1 (the welcome)", welcome)
	}
	if fresh == 0 || old == 0 {
		t.Errorf("ages not spread: %d threads within a day, %d older than 50 days", fresh, old)
	}
	for _, f := range d.Forums {
		if threadsIn[f.Slug] < 3 {
			t.Errorf("forum %s has %d threads, want at least 3", f.Slug, threadsIn[f.Slug])
		}
	}
	for _, u := range d.Users {
		if !posted[u.Username] {
			t.Errorf("%s never posts", u.Username)
		}
	}
	t.Logf("%d users, %d forums, %d threads, %d posts", len(d.Users), len(d.Forums), len(d.Threads), posts)
}

// The German-language forum: public, language "de", several threads in
// German with replies, and inflected forms a search must bring together.
func TestContentGermanForum(t *testing.T) {
	d := Content()
	var de []Forum
	for _, f := range d.Forums {
		if f.Language == "de" {
			de = append(de, f)
		}
	}
	if len(de) != 1 {
		t.Fatalf("%d German forums, want 1", len(de))
	}
	f := de[0]
	if f.Visibility != "public" {
		t.Errorf("the German forum is %s, want public (visitors try search on it)", f.Visibility)
	}
	threads, replies := 0, 0
	var text strings.Builder
	for _, th := range d.Threads {
		if th.Forum != f.Slug {
			continue
		}
		threads++
		replies += len(th.Replies)
		text.WriteString(th.Title + "\n" + th.Body + "\n")
		for _, r := range th.Replies {
			text.WriteString(r.Body + "\n")
		}
	}
	if threads < 4 || replies < 15 {
		t.Errorf("the German forum has %d threads and %d replies, want at least 4 and 15", threads, replies)
	}
	all := text.String()
	for _, word := range []string{"Kundendienst ", "Kundendienste ", "Kundendienstes", "Kocher ", "Kochern", "ä", "ö", "ü", "ß"} {
		if !strings.Contains(all, word) {
			t.Errorf("the German threads never use %q", word)
		}
	}
}

func TestContentReactionsSpread(t *testing.T) {
	d := Content()
	total, none := 0, 0
	kinds := map[string]int{}
	for _, th := range d.Threads {
		all := []map[string]string{th.Reactions}
		for _, r := range th.Replies {
			all = append(all, r.Reactions)
		}
		for _, rs := range all {
			if len(rs) == 0 {
				none++
			}
			for _, k := range rs {
				kinds[k]++
				total++
			}
		}
	}
	if total < 300 || none == 0 {
		t.Errorf("reactions not spread: %d in total, %d posts without any", total, none)
	}
	for _, k := range []string{"like", "thanks", "insightful"} {
		if kinds[k] == 0 {
			t.Errorf("no %q reactions", k)
		}
	}
}

func TestContentDeterministic(t *testing.T) {
	a, b := Content(), Content()
	if !reflect.DeepEqual(a, b) {
		t.Fatal("Content() differs between calls")
	}
	// The result must not share mutable state between calls.
	a.Threads[0].Replies[0].Body = "changed"
	a.Users[0].Bio = "changed"
	if c := Content(); !reflect.DeepEqual(b, c) {
		t.Fatal("modifying one result changed the next")
	}
}

func mentionsSelf(body, author string) bool {
	for _, m := range mentionRE.FindAllStringSubmatch(body, -1) {
		if m[1] == author {
			return true
		}
	}
	return false
}
