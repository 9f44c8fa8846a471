package loadgen

import (
	"context"
	"fmt"
	"strings"

	"parley/app"
)

// Check is one consistency check: Bad counts the rows that break it.
type Check struct {
	Name string
	Bad  int64
}

// Verify checks that the counters kept on threads, forums, users and posts
// agree with the rows they count, that posts are numbered 1..n in each
// thread, and that the event log has one post.created per post and one
// thread.created per thread. It holds for any data set the app wrote (and
// for Build's). foreignKeys adds SQLite's foreign_key_check (slow on
// millions of rows).
func Verify(ctx context.Context, a *app.App, foreignKeys bool) ([]Check, error) {
	db := a.Store.R
	checks := []struct{ name, q string }{
		{"threads: last_number = count = max(number), reply_count = count-1, min(number) = 1", `
			SELECT COUNT(*) FROM threads t LEFT JOIN (
				SELECT thread_id, COUNT(*) AS n, MAX(number) AS mx, MIN(number) AS mn FROM posts GROUP BY thread_id
			) p ON p.thread_id = t.id
			WHERE p.n IS NULL OR t.last_number <> p.n OR t.last_number <> p.mx OR p.mn <> 1 OR t.reply_count <> p.n - 1`},
		{"threads: last_posted_at and last_poster_id are the last post's", `
			SELECT COUNT(*) FROM threads t JOIN posts p ON p.thread_id = t.id AND p.number = t.last_number
			WHERE p.created_at <> t.last_posted_at OR t.last_poster_id IS NULL OR p.user_id <> t.last_poster_id`},
		{"forums: thread_count, post_count, last_posted_at", `
			SELECT COUNT(*) FROM forums f LEFT JOIN (
				SELECT forum_id, COUNT(*) AS n, SUM(last_number) AS posts, MAX(last_posted_at) AS last
				FROM threads WHERE deleted_at IS NULL GROUP BY forum_id
			) t ON t.forum_id = f.id
			WHERE COALESCE(t.n, 0) <> f.thread_count OR COALESCE(t.posts, 0) <> f.post_count
			   OR (t.last IS NOT NULL AND (f.last_posted_at IS NULL OR t.last <> f.last_posted_at))`},
		{"users: post_count", `
			SELECT COUNT(*) FROM users u LEFT JOIN (SELECT user_id, COUNT(*) AS n FROM posts GROUP BY user_id) p ON p.user_id = u.id
			WHERE COALESCE(p.n, 0) <> u.post_count`},
		{"posts: like/thanks/insightful counts = reaction rows", `
			SELECT COUNT(*) FROM posts p LEFT JOIN (
				SELECT post_id,
					SUM(CASE WHEN kind = 'like' THEN 1 ELSE 0 END) AS l,
					SUM(CASE WHEN kind = 'thanks' THEN 1 ELSE 0 END) AS th,
					SUM(CASE WHEN kind = 'insightful' THEN 1 ELSE 0 END) AS i
				FROM reactions GROUP BY post_id
			) r ON r.post_id = p.id
			WHERE COALESCE(r.l, 0) <> p.like_count OR COALESCE(r.th, 0) <> p.thanks_count OR COALESCE(r.i, 0) <> p.insightful_count`},
		{"events: post.created events - posts", `
			SELECT ABS((SELECT COUNT(*) FROM events WHERE type = 'post.created') - (SELECT COUNT(*) FROM posts))`},
		{"events: thread.created events - threads", `
			SELECT ABS((SELECT COUNT(*) FROM events WHERE type = 'thread.created') - (SELECT COUNT(*) FROM threads))`},
		{"events: reactions without a reaction.changed event", `
			SELECT CASE WHEN r.n > e.n THEN r.n - e.n ELSE 0 END FROM
				(SELECT COUNT(*) AS n FROM reactions) r, (SELECT COUNT(*) AS n FROM events WHERE type = 'reaction.changed') e`},
		{"events: content events outside forum:<id> scopes", `
			SELECT COUNT(*) FROM events WHERE type IN ('post.created', 'thread.created', 'reaction.changed') AND scope NOT LIKE 'forum:%'`},
	}
	var out []Check
	for _, c := range checks {
		var n int64
		if err := db.WithContext(ctx).Raw(c.q).Scan(&n).Error; err != nil {
			return out, fmt.Errorf("loadgen: check %q: %w", c.name, err)
		}
		out = append(out, Check{Name: c.name, Bad: n})
	}
	if foreignKeys && a.Store.Dialect == "sqlite" {
		rows, err := a.Store.SQL().QueryContext(ctx, "PRAGMA foreign_key_check")
		if err != nil {
			return out, err
		}
		var n int64
		for rows.Next() {
			n++
		}
		if err := rows.Close(); err != nil {
			return out, err
		}
		out = append(out, Check{Name: "foreign keys (PRAGMA foreign_key_check)", Bad: n})
	}
	return out, nil
}

// Failed lists the checks with bad rows, empty when all pass.
func Failed(checks []Check) string {
	var bad []string
	for _, c := range checks {
		if c.Bad != 0 {
			bad = append(bad, fmt.Sprintf("%s: %d", c.Name, c.Bad))
		}
	}
	return strings.Join(bad, "; ")
}
