package forum

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"parley/app/auth"
	"parley/app/errs"
	"parley/app/render"
	"parley/app/store"
)

// Author is the public face of a post's author.
type Author struct {
	ID       int64     `json:"id"`
	Username string    `json:"username"`
	Role     auth.Role `json:"role"`
}

// PostView is a post as one viewer sees it. A deleted post keeps its place
// (and number) but shows no body to anyone but staff; a hidden one (pending
// review) shows its body to staff and its author only.
type PostView struct {
	ID         int64          `json:"id"`
	ThreadID   int64          `json:"thread_id"`
	Number     int            `json:"number"`
	Body       string         `json:"body"`
	HTML       string         `json:"html"`
	Author     Author         `json:"author"`
	Reactions  map[string]int `json:"reactions"`
	MyReaction string         `json:"my_reaction,omitempty"`
	EditCount  int            `json:"edit_count"`
	EditedAt   *time.Time     `json:"edited_at"`
	Deleted    bool           `json:"deleted"`
	Hidden     bool           `json:"hidden"`
	CreatedAt  time.Time      `json:"created_at"`
	// New marks posts after the viewer's last read position.
	New bool `json:"new,omitempty"`
	// CanEdit tells the page which buttons to show; the service checks again.
	CanEdit bool `json:"can_edit"`
}

func (s *Service) postView(p *Post, username string, role auth.Role, mine string, v *auth.Viewer) PostView {
	pv := PostView{ID: p.ID, ThreadID: p.ThreadID, Number: p.Number, Body: p.Body, HTML: p.HTML,
		Author:     Author{ID: p.UserID, Username: username, Role: role},
		Reactions:  map[string]int{"like": p.LikeCount, "thanks": p.ThanksCount, "insightful": p.InsightfulCount},
		MyReaction: mine, EditCount: p.EditCount, EditedAt: p.EditedAt, Deleted: p.DeletedAt != nil,
		Hidden: p.HiddenAt != nil, CreatedAt: p.CreatedAt}
	if (pv.Deleted || pv.Hidden && v.ID != p.UserID) && !v.CanModerate() {
		pv.Body, pv.HTML = "", ""
	}
	pv.CanEdit = !pv.Deleted && v.SignedIn() && (v.ID == p.UserID || v.CanModerate())
	return pv
}

// doc is a rendered post body with the users it mentions.
type doc struct {
	body     string
	html     string
	mentions []int64
}

// prepare validates and renders a body, resolving @mentions to real users.
// It runs before the transaction: rendering is pure and may be slow.
func (s *Service) prepare(ctx context.Context, body string) (doc, error) {
	body = strings.TrimRight(strings.ReplaceAll(body, "\r\n", "\n"), " \n\t")
	if strings.TrimSpace(body) == "" {
		return doc{}, errs.Field("body", "write something first")
	}
	// PostgreSQL text cannot hold NUL; refuse it on every store alike.
	if strings.ContainsRune(body, 0) {
		return doc{}, errs.Field("body", "a post cannot contain NUL characters")
	}
	if len([]rune(body)) > render.MaxBody {
		return doc{}, errs.Field("body", "a post has at most %d characters", render.MaxBody)
	}
	names := render.Mentions(body)
	keyOf := map[string]string{}
	var keys []string
	for _, n := range names {
		if _, k, err := auth.NormalizeUsername(n); err == nil {
			keyOf[n] = k
			keys = append(keys, k)
		}
	}
	users, err := s.users.UsersByKeys(ctx, keys)
	if err != nil {
		return doc{}, err
	}
	d := doc{body: body}
	seen := map[int64]bool{}
	d.html, err = s.r.Render(body, func(name string) (string, bool) {
		u, ok := users[keyOf[name]]
		if ok && !seen[u.ID] {
			seen[u.ID] = true
			d.mentions = append(d.mentions, u.ID)
		}
		return u.Username, ok
	})
	if errors.Is(err, render.ErrTooLong) {
		return doc{}, errs.Field("body", "a post has at most %d characters", render.MaxBody)
	}
	if errors.Is(err, render.ErrEmpty) {
		return doc{}, errs.Field("body", "write something first")
	}
	if err != nil {
		return doc{}, errs.Field("body", "this text cannot be shown: %v", err)
	}
	return d, nil
}

func (s *Service) insertPost(tx *gorm.DB, v *auth.Viewer, t *Thread, number int, d doc, now time.Time) (Post, error) {
	p := Post{ThreadID: t.ID, Number: number, UserID: v.ID, Body: d.body, HTML: d.html, CreatedAt: now, UpdatedAt: now}
	// A plain INSERT rather than Create: this is every reply's statement,
	// and Create reflects over the whole struct to write its zero counters.
	err := tx.Raw(`INSERT INTO posts (thread_id, number, user_id, body, html, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, p.ThreadID, p.Number, p.UserID, p.Body, p.HTML, now, now).Row().Scan(&p.ID)
	if err != nil {
		return p, fmt.Errorf("forum: create post: %w", err)
	}
	// A new post has no mentions to replace yet.
	if err := insertMentions(tx, p.ID, d.mentions); err != nil {
		return p, err
	}
	_, err = store.Emit(tx, "post.created", store.ForumScope(t.ForumID), v.ID, fmt.Sprintf("post:%d", p.ID),
		map[string]any{"post_id": p.ID, "thread_id": t.ID, "forum_id": t.ForumID, "number": number, "mentions": d.mentions})
	return p, err
}

// saveMentions replaces the mentions of an edited post.
func (s *Service) saveMentions(tx *gorm.DB, postID int64, ids []int64) error {
	if err := tx.Exec("DELETE FROM mentions WHERE post_id = ?", postID).Error; err != nil {
		return err
	}
	return insertMentions(tx, postID, ids)
}

// insertMentions writes all of a post's mentions in one statement; ids are
// distinct (prepare keeps the first mention of each user).
func insertMentions(tx *gorm.DB, postID int64, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	var q strings.Builder
	q.WriteString("INSERT INTO mentions (post_id, user_id) VALUES ")
	args := make([]any, 0, 2*len(ids))
	for i, id := range ids {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?)")
		args = append(args, postID, id)
	}
	if err := tx.Exec(q.String(), args...).Error; err != nil {
		return fmt.Errorf("forum: save mentions of %d: %w", postID, err)
	}
	return nil
}

// Reply adds a post to a thread.
func (s *Service) Reply(ctx context.Context, v *auth.Viewer, threadID int64, body string) (*PostView, error) {
	p, _, err := s.ReplyOnce(ctx, v, threadID, body, "")
	return p, err
}

// ReplyOnce is Reply with an idempotency key: a retry with the same key
// (after a lost answer) returns the post made the first time instead of
// posting again; replayed tells the two apart. The key is stored in the
// same transaction as the post, so a crash keeps both or neither.
func (s *Service) ReplyOnce(ctx context.Context, v *auth.Viewer, threadID int64, body, key string) (p *PostView, replayed bool, err error) {
	if key != "" {
		if err := checkIdempotencyKey(key); err != nil {
			return nil, false, err
		}
		if p, err := s.replay(ctx, v, key); p != nil || err != nil {
			return p, p != nil, err
		}
	}
	p, err = s.reply(ctx, v, threadID, body, key)
	if errors.Is(err, errReplay) {
		p, err = s.replay(ctx, v, key)
		return p, true, err
	}
	if err != nil && key != "" && !isClientError(err) {
		// A concurrent request with the same key won the race and our
		// transaction failed on the key's primary key: answer with its post.
		if rp, rerr := s.replay(ctx, v, key); rp != nil && rerr == nil {
			return rp, true, nil
		}
	}
	return p, false, err
}

func (s *Service) reply(ctx context.Context, v *auth.Viewer, threadID int64, body, key string) (*PostView, error) {
	if !v.SignedIn() {
		return nil, errs.Unauthenticated("sign in to reply")
	}
	t, err := s.replyTarget(ctx, v, threadID)
	if err != nil {
		return nil, err
	}
	if t.Locked && !v.CanModerate() {
		return nil, errs.Forbidden("this thread is locked; no new replies")
	}
	d, err := s.prepare(ctx, body)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var p Post
	err = s.st.Tx(ctx, func(tx *gorm.DB) error {
		if key != "" {
			if id, err := idempotentPost(tx, v.ID, key); err != nil || id != 0 {
				if err == nil {
					err = errReplay
				}
				return err
			}
		}
		if err := s.throttle(tx, v, now); err != nil {
			return err
		}
		// Take the next number and re-check the lock in the same statement,
		// so a lock or delete that committed after our read still wins.
		var next struct{ LastNumber int }
		res := tx.Raw(`UPDATE threads SET last_number = last_number + 1, reply_count = reply_count + 1,
			last_posted_at = ?, last_poster_id = ?, updated_at = ?
			WHERE id = ? AND deleted_at IS NULL AND (locked = ? OR ?) RETURNING last_number`,
			now, v.ID, now, t.ID, false, v.CanModerate()).Scan(&next)
		if res.Error != nil {
			return fmt.Errorf("forum: number reply in %d: %w", t.ID, res.Error)
		}
		if res.RowsAffected == 0 {
			return errs.Forbidden("this thread was locked or removed; no new replies")
		}
		if err := tx.Exec("UPDATE forums SET post_count = post_count + 1, last_posted_at = ? WHERE id = ?", now, t.ForumID).Error; err != nil {
			return err
		}
		p, err = s.insertPost(tx, v, t, next.LastNumber, d, now)
		if err != nil || key == "" {
			return err
		}
		return saveIdempotencyKey(tx, v.ID, key, p.ID, now)
	})
	if err != nil {
		return nil, err
	}
	pv := s.postView(&p, v.Username, v.Role, "", v)
	return &pv, nil
}

// replyTarget reads what a reply needs of its thread: the forum (for the
// visibility rule) and the lock. It is thread() without the author, the
// forum's names and the mapping of every column, as one small query: every
// reply pays for it.
func (s *Service) replyTarget(ctx context.Context, v *auth.Viewer, id int64) (*Thread, error) {
	t := &Thread{ID: id}
	var f Forum
	err := s.st.R.WithContext(ctx).Raw(`SELECT t.forum_id, t.locked, f.visibility, f.group_id
		FROM threads t JOIN forums f ON f.id = t.forum_id WHERE t.id = ? AND t.deleted_at IS NULL`, id).
		Row().Scan(&t.ForumID, &t.Locked, &f.Visibility, &f.GroupID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.NotFound("thread")
	}
	if err != nil {
		return nil, fmt.Errorf("forum: load thread %d: %w", id, err)
	}
	f.ID = t.ForumID
	if !s.canSee(v, &f) {
		return nil, errs.NotFound("thread")
	}
	return t, nil
}

// ThreadPage is a thread with one page of its posts.
type ThreadPage struct {
	Thread *ThreadView `json:"thread"`
	Posts  []PostView  `json:"posts"`
	Page   int         `json:"page"`
	Pages  int         `json:"pages"`
	// FirstNew is the number of the first post v has not read, 0 if none.
	FirstNew int `json:"first_new,omitempty"`
}

type postRow struct {
	Post
	Username string
	Role     auth.Role
	Mine     string
}

// ThreadPage loads page (1-based) of a thread. Posts are fetched by their
// number range, so page 500 costs what page 1 costs; the whole page is a
// fixed number of queries whatever its content.
func (s *Service) ThreadPage(ctx context.Context, v *auth.Viewer, threadID int64, page int) (*ThreadPage, error) {
	t, err := s.thread(ctx, v, threadID)
	if err != nil {
		return nil, err
	}
	tp := &ThreadPage{Thread: t, Page: max(1, page), Pages: t.Pages}
	if tp.Page > tp.Pages {
		return nil, errs.NotFound("page")
	}
	from, to := (tp.Page-1)*PageSize+1, tp.Page*PageSize
	rows, err := s.pageRows(ctx, v, threadID, from, to)
	if err != nil {
		return nil, err
	}
	lastRead := -1
	if v.SignedIn() {
		lastRead, err = s.lastRead(ctx, v.ID, threadID)
		if err != nil {
			return nil, err
		}
	}
	tp.Posts = make([]PostView, len(rows))
	for i := range rows {
		tp.Posts[i] = s.postView(&rows[i].Post, rows[i].Username, rows[i].Role, rows[i].Mine, v)
		// A thread never opened before is not "new" post by post: only
		// posts after a known read position are marked.
		if lastRead >= 0 && rows[i].Number > lastRead {
			tp.Posts[i].New = true
			if tp.FirstNew == 0 {
				tp.FirstNew = rows[i].Number
			}
		}
	}
	if v.SignedIn() && len(rows) > 0 {
		if seen := rows[len(rows)-1].Number; seen > lastRead {
			if err := s.markRead(ctx, v.ID, threadID, seen); err != nil {
				return nil, err
			}
		}
	}
	return tp, nil
}

// pageRows loads posts from..to of a thread with their authors and v's
// reactions. The columns are scanned by hand: GORM's reflective Scan was a
// tenth of a rendered page's time (GORM still writes the SQL, so the
// placeholders suit both dialects).
func (s *Service) pageRows(ctx context.Context, v *auth.Viewer, threadID int64, from, to int) ([]postRow, error) {
	rs, err := s.st.R.WithContext(ctx).Table("posts p").
		Select(`p.id, p.thread_id, p.number, p.user_id, p.body, p.html, p.like_count, p.thanks_count, p.insightful_count,
			p.edit_count, p.edited_at, p.deleted_at, p.deleted_by, p.hidden_at, p.created_at, p.updated_at, u.username, u.role, COALESCE(r.kind, '')`).
		Joins("JOIN users u ON u.id = p.user_id").
		Joins("LEFT JOIN reactions r ON r.post_id = p.id AND r.user_id = ?", v.ID).
		Where("p.thread_id = ? AND p.number BETWEEN ? AND ?", threadID, from, to).Order("p.number").Rows()
	if err != nil {
		return nil, fmt.Errorf("forum: posts of %d: %w", threadID, err)
	}
	defer func() { _ = rs.Close() }() // rs.Err() reports what matters
	out := make([]postRow, 0, PageSize)
	for rs.Next() {
		var r postRow
		p := &r.Post
		if err := rs.Scan(&p.ID, &p.ThreadID, &p.Number, &p.UserID, &p.Body, &p.HTML, &p.LikeCount, &p.ThanksCount, &p.InsightfulCount,
			&p.EditCount, &p.EditedAt, &p.DeletedAt, &p.DeletedBy, &p.HiddenAt, &p.CreatedAt, &p.UpdatedAt, &r.Username, &r.Role, &r.Mine); err != nil {
			return nil, fmt.Errorf("forum: scan posts of %d: %w", threadID, err)
		}
		out = append(out, r)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("forum: posts of %d: %w", threadID, err)
	}
	return out, nil
}

// PostByID returns a post v may see, with its thread (for links and quotes).
func (s *Service) PostByID(ctx context.Context, v *auth.Viewer, id int64) (*PostView, *ThreadView, error) {
	var row postRow
	err := s.st.R.WithContext(ctx).Table("posts p").
		Select("p.*, u.username, u.role, COALESCE(r.kind, '') AS mine").
		Joins("JOIN users u ON u.id = p.user_id").
		Joins("LEFT JOIN reactions r ON r.post_id = p.id AND r.user_id = ?", v.ID).
		Where("p.id = ?", id).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, errs.NotFound("post")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("forum: load post %d: %w", id, err)
	}
	t, err := s.thread(ctx, v, row.ThreadID)
	if errs.Is(err, errs.KindNotFound) {
		return nil, nil, errs.NotFound("post")
	}
	if err != nil {
		return nil, nil, err
	}
	pv := s.postView(&row.Post, row.Username, row.Role, row.Mine, v)
	return &pv, t, nil
}

// PageOf returns the page of a thread on which post number n appears.
func PageOf(n int) int { return (n-1)/PageSize + 1 }

// EditPost replaces a post's body, keeping the old one as a revision.
func (s *Service) EditPost(ctx context.Context, v *auth.Viewer, id int64, body string) (*PostView, error) {
	if !v.SignedIn() {
		return nil, errs.Unauthenticated("sign in to edit")
	}
	cur, t, err := s.PostByID(ctx, v, id)
	if err != nil {
		return nil, err
	}
	if cur.Author.ID != v.ID && !v.CanModerate() {
		return nil, errs.Forbidden("you can only edit your own posts")
	}
	if cur.Deleted {
		return nil, errs.Conflict("this post was deleted and cannot be edited")
	}
	if t.Locked && !v.CanModerate() {
		return nil, errs.Forbidden("this thread is locked; posts cannot be edited")
	}
	d, err := s.prepare(ctx, body)
	if err != nil {
		return nil, err
	}
	if d.body == cur.Body {
		return cur, nil
	}
	now := s.now()
	err = s.st.Tx(ctx, func(tx *gorm.DB) error {
		var old Post
		if err := tx.First(&old, id).Error; err != nil {
			return fmt.Errorf("forum: reload post %d: %w", id, err)
		}
		if old.DeletedAt != nil {
			return errs.Conflict("this post was deleted and cannot be edited")
		}
		if err := tx.Create(&Revision{PostID: id, Body: old.Body, EditorID: v.ID, CreatedAt: now}).Error; err != nil {
			return fmt.Errorf("forum: save revision of %d: %w", id, err)
		}
		if err := tx.Model(&Post{}).Where("id = ?", id).Updates(map[string]any{"body": d.body, "html": d.html,
			"edit_count": gorm.Expr("edit_count + 1"), "edited_at": now, "updated_at": now}).Error; err != nil {
			return fmt.Errorf("forum: edit post %d: %w", id, err)
		}
		if err := s.saveMentions(tx, id, d.mentions); err != nil {
			return err
		}
		_, err := store.Emit(tx, "post.edited", store.ForumScope(t.ForumID), v.ID, fmt.Sprintf("post:%d", id),
			map[string]any{"post_id": id, "thread_id": t.ID, "forum_id": t.ForumID, "number": cur.Number, "mentions": d.mentions})
		return err
	})
	if err != nil {
		return nil, err
	}
	pv, _, err := s.PostByID(ctx, v, id)
	return pv, err
}

// DeletePost soft-deletes a post; deleting the first post removes the thread.
func (s *Service) DeletePost(ctx context.Context, v *auth.Viewer, id int64) error {
	if !v.SignedIn() {
		return errs.Unauthenticated("sign in to delete")
	}
	cur, t, err := s.PostByID(ctx, v, id)
	if err != nil {
		return err
	}
	if cur.Author.ID != v.ID && !v.CanModerate() {
		return errs.Forbidden("you can only delete your own posts")
	}
	if cur.Deleted {
		return errs.NotFound("post")
	}
	now := s.now()
	return s.st.Tx(ctx, func(tx *gorm.DB) error {
		return deletePost(tx, v.ID, postRef{ID: id, ThreadID: t.ID, ForumID: t.ForumID, Number: cur.Number}, now)
	})
}

// deletePost soft-deletes a post (and its thread with its first post) and
// writes post.deleted, inside tx; the caller has checked the permission.
func deletePost(tx *gorm.DB, actorID int64, p postRef, now time.Time) error {
	id := p.ID
	res := tx.Exec("UPDATE posts SET deleted_at = ?, deleted_by = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL", now, actorID, now, id)
	if res.Error != nil {
		return fmt.Errorf("forum: delete post %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return errs.NotFound("post")
	}
	payload := map[string]any{"post_id": id, "thread_id": p.ThreadID, "forum_id": p.ForumID, "number": p.Number}
	if p.Number == 1 {
		if err := tx.Exec("UPDATE threads SET deleted_at = ? WHERE id = ?", now, p.ThreadID).Error; err != nil {
			return err
		}
		if err := tx.Exec("UPDATE forums SET thread_count = thread_count - 1 WHERE id = ?", p.ForumID).Error; err != nil {
			return err
		}
		payload["thread_deleted"] = true
	}
	_, err := store.Emit(tx, "post.deleted", store.ForumScope(p.ForumID), actorID, fmt.Sprintf("post:%d", id), payload)
	return err
}

// Revisions lists the earlier bodies of a post, newest first. Only the
// author and staff may read them: an edit may have removed something on purpose.
func (s *Service) Revisions(ctx context.Context, v *auth.Viewer, id int64) ([]Revision, error) {
	cur, _, err := s.PostByID(ctx, v, id)
	if err != nil {
		return nil, err
	}
	if cur.Author.ID != v.ID && !v.CanModerate() {
		return nil, errs.Forbidden("only the author and staff can see the edit history")
	}
	var revs []Revision
	if err := s.st.R.WithContext(ctx).Where("post_id = ?", id).Order("id DESC").Find(&revs).Error; err != nil {
		return nil, fmt.Errorf("forum: revisions of %d: %w", id, err)
	}
	return revs, nil
}

// Preview renders a draft exactly as it would be saved, without saving it.
func (s *Service) Preview(ctx context.Context, body string) (string, error) {
	d, err := s.prepare(ctx, body)
	if err != nil {
		return "", err
	}
	return d.html, nil
}
