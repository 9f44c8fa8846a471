// Package demo holds the demo community that a fresh Parley install can be
// seeded with: a fictional outdoor brand, its staff, moderators and fans,
// and a few hundred posts of believable conversation.
//
// This file defines the data model and assembles the dataset. The text
// itself lives in content_*.go, grouped by forum. Everything is
// deterministic: Content returns the same Dataset on every call.
package demo

import (
	"fmt"
	"math/rand/v2"
)

// Role is a demo user's place in the community.
type Role string

// The roles a demo user can have.
const (
	RoleMember    Role = "member"
	RoleModerator Role = "moderator"
	RoleManager   Role = "manager"
	RoleAdmin     Role = "admin"
)

// User is a demo account.
type User struct {
	Username string // 3-20 chars, ASCII letters/digits/_ . - , starting and ending with letter/digit, no two punctuation in a row
	Email    string // username@fernwood.example (lower-case)
	Role     Role
	Bio      string
}

// Forum is a demo forum.
type Forum struct {
	Slug, Name, Description string
	Visibility              string // "public", "members" or "staff"
	Language                string // content language, one of forum.Languages(); "" is the default (en)
}

// Reply is a post after the opening post of a thread.
type Reply struct {
	Author    string            // a Username from Users
	Body      string            // markdown; may contain @mentions of existing Usernames
	QuoteOf   int               // 0 = none; otherwise the 1-based number of an earlier post in the same thread (1 = the opening post) that this reply quotes (the seeder prefixes the quote)
	Reactions map[string]string // reactor Username -> kind ("like", "thanks", "insightful"); reactors differ from Author
}

// Thread is a demo thread: its opening post and its replies.
type Thread struct {
	Forum     string // a Forum slug
	Author    string
	Title     string // 5..120 chars
	Body      string // opening post, markdown
	Pinned    bool
	Locked    bool
	AgeHours  int // how long ago the thread was started
	Replies   []Reply
	Reactions map[string]string // reactions to the opening post
}

// Dataset is the whole demo community.
type Dataset struct {
	Brand   string // "Fernwood Outdoor"
	Users   []User
	Forums  []Forum
	Threads []Thread
}

// AdminUsername is the demo administrator; it is one of Users with Role "admin".
const AdminUsername = "admin_fern"

// DemoPassword is the password of every demo account (the admin's too),
// printed at first start.
const DemoPassword = "ridgeline-ember-2026"

const (
	brand       = "Fernwood Outdoor"
	emailDomain = "fernwood.example"
)

// post is one hand-written reply: who wrote it, whose earlier post it
// quotes and the text. quote is "" (no quote), quoteOP (the opening post)
// or a username, meaning that user's most recent earlier post in the
// thread; Content turns it into Reply.QuoteOf.
type post struct {
	author, quote, body string
}

const quoteOP = "#1"

// p is a reply without a quote.
func p(author, body string) post { return post{author: author, body: body} }

// pq is a reply quoting the most recent earlier post of quoted (or the
// opening post, if quoted is quoteOP).
func pq(author, quoted, body string) post { return post{author: author, quote: quoted, body: body} }

// threadSpec is a hand-written thread before reactions are added.
type threadSpec struct {
	forum, author, title string
	age                  int // hours
	pinned, locked       bool
	body                 string
	posts                []post
}

// Content returns the demo dataset. It is deterministic: the spread of
// reactions comes from a fixed-seed generator created on every call, and
// there is no package-level mutable state.
func Content() Dataset {
	rng := rand.New(rand.NewPCG(1, 2)) //nolint:gosec // demo data must be reproducible, not secret

	us := users()
	roles := make(map[string]Role, len(us))
	var everyone, staff []string
	for _, u := range us {
		roles[u.Username] = u.Role
		everyone = append(everyone, u.Username)
		if u.Role != RoleMember {
			staff = append(staff, u.Username)
		}
	}
	fs := forums()
	vis := make(map[string]string, len(fs))
	for _, f := range fs {
		vis[f.Slug] = f.Visibility
	}

	specs := threadSpecs()
	threads := make([]Thread, 0, len(specs))
	for _, s := range specs {
		pool := everyone
		if vis[s.forum] == "staff" {
			pool = staff // nobody else can see the staff room
		}
		t := Thread{
			Forum: s.forum, Author: s.author, Title: s.title, Body: s.body,
			Pinned: s.pinned, Locked: s.locked, AgeHours: s.age,
		}
		t.Reactions = reactions(rng, pool, roles, s, s.author, s.body, true)
		authors := []string{s.author} // authors[n-1] wrote post number n
		t.Replies = make([]Reply, 0, len(s.posts))
		for _, ps := range s.posts {
			r := Reply{Author: ps.author, Body: ps.body, QuoteOf: quoteNumber(s, authors, ps.quote)}
			r.Reactions = reactions(rng, pool, roles, s, ps.author, ps.body, false)
			t.Replies = append(t.Replies, r)
			authors = append(authors, ps.author)
		}
		threads = append(threads, t)
	}
	return Dataset{Brand: brand, Users: us, Forums: fs, Threads: threads}
}

// quoteNumber resolves a post.quote to a post number. A quote that
// names nobody who posted earlier is a mistake in the text, caught by the
// package tests.
func quoteNumber(s threadSpec, authors []string, quoted string) int {
	switch quoted {
	case "":
		return 0
	case quoteOP:
		return 1
	}
	for i := len(authors) - 1; i >= 0; i-- {
		if authors[i] == quoted {
			return i + 1
		}
	}
	panic(fmt.Sprintf("demo: thread %q quotes %q, who has not posted earlier", s.title, quoted))
}

// reactions picks who reacted to one post, and how. The counts are
// long-tailed (most posts get a few reactions, some none, a few many),
// pinned opening posts get more, people who asked a question tend to
// thank whoever answered, and staff answers in the help forums collect
// "thanks" rather than "like".
func reactions(rng *rand.Rand, pool []string, roles map[string]Role, s threadSpec, author, body string, opening bool) map[string]string {
	n := reactionCount(rng)
	if opening && s.pinned {
		n += 4
	}
	out := make(map[string]string)
	helpForum := s.forum == "gear-talk" || s.forum == "warranty-and-repairs"
	if !opening && helpForum && author != s.author && rng.IntN(2) == 0 {
		out[s.author] = "thanks"
	}
	want := len(out) + n
	staffAnswer := (roles[author] == RoleManager || roles[author] == RoleAdmin) &&
		(helpForum || s.forum == "announcements" || s.forum == "trail-club")
	for _, i := range rng.Perm(len(pool)) {
		if len(out) >= want {
			break
		}
		u := pool[i]
		if u == author || out[u] != "" {
			continue
		}
		out[u] = reactionKind(rng, staffAnswer, len(body) > 450)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func reactionCount(rng *rand.Rand) int {
	switch x := rng.IntN(100); {
	case x < 25:
		return 0
	case x < 47:
		return 1
	case x < 64:
		return 2
	case x < 77:
		return 3
	case x < 93:
		return 4 + rng.IntN(3)
	default:
		return 7 + rng.IntN(6)
	}
}

func reactionKind(rng *rand.Rand, staffAnswer, long bool) string {
	like, thanks, insightful := 64, 20, 16
	if staffAnswer {
		like, thanks, insightful = 34, 52, 14
	}
	if long {
		insightful += 18
	}
	switch x := rng.IntN(like + thanks + insightful); {
	case x < like:
		return "like"
	case x < like+thanks:
		return "thanks"
	default:
		return "insightful"
	}
}

// threadSpecs lists every thread, grouped by forum in display order.
func threadSpecs() []threadSpec {
	var all []threadSpec
	for _, group := range [][]threadSpec{
		announcementThreads(),
		gearThreads(),
		tripThreads(),
		repairThreads(),
		ideaThreads(),
		germanThreads(),
		clubThreads(),
		staffThreads(),
	} {
		all = append(all, group...)
	}
	return all
}
