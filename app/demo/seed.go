// Package demo seeds a believable community for a fictional brand so that a
// fresh install has something to look at and test against.
package demo

import (
	"context"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"

	"parley/app"
	"parley/app/auth"
	"parley/app/forum"
	"parley/app/site"
)

// Result counts what Seed created.
type Result struct {
	Brand                         string
	Users, Forums, Threads, Posts int
}

// Seed writes the demo dataset through the real services (so every post is
// rendered and every change has its event), with timestamps spread over the
// past weeks. It expects an empty database.
func Seed(ctx context.Context, a *app.App) (Result, error) {
	d := Content()
	res := Result{Brand: d.Brand}
	now := time.Now().UTC()
	users := map[string]*auth.Viewer{}
	for _, u := range d.Users {
		role, _ := auth.ParseRole(string(u.Role))
		created, err := a.Auth.CreateUser(ctx, auth.Registration{Username: u.Username, Email: u.Email, Password: DemoPassword}, role, 0)
		if err != nil {
			return res, fmt.Errorf("user %s: %w", u.Username, err)
		}
		// Accounts join long before the content so nobody counts as new.
		joined := now.Add(-120 * 24 * time.Hour)
		if err := a.Store.W.WithContext(ctx).Exec("UPDATE users SET created_at = ?, bio = ? WHERE id = ?", joined, u.Bio, created.ID).Error; err != nil {
			return res, err
		}
		users[u.Username] = &auth.Viewer{ID: created.ID, Username: created.Username, Role: role, CreatedAt: joined}
		res.Users++
	}
	adm := users[AdminUsername]
	if adm == nil {
		return res, fmt.Errorf("the dataset has no admin %q", AdminUsername)
	}
	if _, err := a.Site.Save(ctx, adm, site.Settings{Name: d.Brand + " Community", Tagline: "Gear talk, trip reports and help from the Fernwood team", Color: "#2f6f4e"}); err != nil {
		return res, err
	}
	for i, f := range d.Forums {
		if _, err := a.Forum.CreateForum(ctx, adm, forum.ForumInput{Name: f.Name, Slug: f.Slug, Description: f.Description, Visibility: f.Visibility, Language: f.Language, Position: i}); err != nil {
			return res, fmt.Errorf("forum %s: %w", f.Slug, err)
		}
		res.Forums++
	}
	if err := seedGuidelines(ctx, a, users); err != nil {
		return res, err
	}

	// Lay every post on one timeline, oldest first, so each author's posts
	// keep the posting interval and threads fill in the order people wrote.
	type item struct {
		at     time.Time
		thread int
		reply  int // -1 for the opening post
	}
	var items []item
	for ti, t := range d.Threads {
		start := now.Add(-time.Duration(t.AgeHours) * time.Hour)
		items = append(items, item{start, ti, -1})
		step := time.Duration(t.AgeHours) * time.Hour / time.Duration(len(t.Replies)+2)
		step = min(max(step, 3*time.Minute), 9*time.Hour)
		for ri := range t.Replies {
			items = append(items, item{start.Add(time.Duration(ri+1) * step), ti, ri})
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].at.Before(items[j].at) })
	lastBy := map[string]time.Time{}
	threadIDs := make([]int64, len(d.Threads))
	postIDs := make([][]int64, len(d.Threads)) // by post number - 1
	clock := time.Time{}
	a.Forum.SetClock(func() time.Time { return clock })
	defer a.Forum.SetClock(func() time.Time { return time.Now().UTC() })
	for _, it := range items {
		t := d.Threads[it.thread]
		author, body := t.Author, t.Body
		if it.reply >= 0 {
			r := t.Replies[it.reply]
			author, body = r.Author, r.Body
			if r.QuoteOf > 0 && r.QuoteOf <= len(postIDs[it.thread]) {
				q, err := a.Forum.Quote(ctx, users[author], postIDs[it.thread][r.QuoteOf-1])
				if err != nil {
					return res, err
				}
				body = q + body
			}
		}
		v := users[author]
		if v == nil {
			return res, fmt.Errorf("thread %q: unknown author %q", t.Title, author)
		}
		at := it.at
		if prev, ok := lastBy[author]; ok && at.Before(prev.Add(a.Config.PostEvery+time.Second)) {
			at = prev.Add(a.Config.PostEvery + time.Second)
		}
		lastBy[author], clock = at, at
		if it.reply < 0 {
			tv, pv, err := a.Forum.CreateThread(ctx, v, t.Forum, forum.ThreadInput{Title: t.Title, Body: body})
			if err != nil {
				return res, fmt.Errorf("thread %q: %w", t.Title, err)
			}
			threadIDs[it.thread] = tv.ID
			postIDs[it.thread] = append(postIDs[it.thread], pv.ID)
			res.Threads++
		} else {
			pv, err := a.Forum.Reply(ctx, v, threadIDs[it.thread], body)
			if err != nil {
				return res, fmt.Errorf("reply %d in %q: %w", it.reply+1, t.Title, err)
			}
			postIDs[it.thread] = append(postIDs[it.thread], pv.ID)
		}
		res.Posts++
	}
	for ti, t := range d.Threads {
		if err := react(ctx, a, users, postIDs[ti][0], t.Reactions); err != nil {
			return res, err
		}
		for ri, r := range t.Replies {
			if err := react(ctx, a, users, postIDs[ti][ri+1], r.Reactions); err != nil {
				return res, err
			}
		}
		if t.Pinned || t.Locked {
			yes := true
			patch := forum.ThreadPatch{}
			if t.Pinned {
				patch.Pinned = &yes
			}
			if t.Locked {
				patch.Locked = &yes
			}
			if _, err := a.Forum.UpdateThread(ctx, adm, threadIDs[ti], patch); err != nil {
				return res, err
			}
		}
	}
	// Keep the last activity times of the timeline rather than the moment
	// of pinning.
	err := a.Store.W.WithContext(ctx).Session(&gorm.Session{}).Exec("UPDATE threads SET updated_at = last_posted_at").Error
	return res, err
}

func react(ctx context.Context, a *app.App, users map[string]*auth.Viewer, postID int64, rs map[string]string) error {
	names := make([]string, 0, len(rs))
	for n := range rs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		v := users[n]
		if v == nil {
			return fmt.Errorf("unknown reactor %q", n)
		}
		if _, err := a.Forum.React(ctx, v, postID, rs[n]); err != nil {
			return fmt.Errorf("reaction of %s on post %d: %w", n, postID, err)
		}
	}
	return nil
}
