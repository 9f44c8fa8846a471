package forum

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"parley/app/auth"
	"parley/app/errs"
	"parley/app/store"
)

// ThreadView is a thread in a list or at the top of its page.
type ThreadView struct {
	Thread
	Forum          *ForumView `json:"forum,omitempty" gorm:"-"`
	Author         string     `json:"author"`
	LastPoster     string     `json:"last_poster"`
	LastReadNumber *int       `json:"last_read_number,omitempty"`
	Pages          int        `json:"pages" gorm:"-"`
}

// Unread is the number of posts v has not read (signed-in viewers only).
func (t *ThreadView) Unread() int {
	if t.LastReadNumber == nil {
		return 0
	}
	return max(0, t.LastNumber-*t.LastReadNumber)
}

// IsNew reports a thread v has never opened.
func (t *ThreadView) IsNew(v *auth.Viewer) bool { return v.SignedIn() && t.LastReadNumber == nil }

// ThreadList is one page of a forum's threads.
type ThreadList struct {
	Forum   *ForumView   `json:"forum"`
	Threads []ThreadView `json:"threads"`
	Page    int          `json:"page,omitempty"`
	Pages   int          `json:"pages"`
	// NextCursor continues the list after its last thread (keyset paging:
	// every step costs the same however deep it goes). Empty at the end.
	NextCursor string `json:"next_cursor"`
}

func pages(n int64) int {
	return max(1, int((n+PageSize-1)/PageSize))
}

// Threads lists one page of a forum: pinned first, then newest activity.
// Either page (1-based, for the numbered pager) or cursor (from NextCursor,
// for deep or endless lists) chooses where to start; cursor wins.
func (s *Service) Threads(ctx context.Context, v *auth.Viewer, slug string, page int, cursor string) (*ThreadList, error) {
	f, err := s.ForumBySlug(ctx, v, slug)
	if err != nil {
		return nil, err
	}
	list := &ThreadList{Forum: f, Page: max(1, page), Pages: pages(f.ThreadCount)}
	q := s.st.R.WithContext(ctx).Table("threads t").
		Select("t.*, u.username AS author, COALESCE(lp.username, u.username) AS last_poster, r.last_read_number").
		Joins("JOIN users u ON u.id = t.user_id").
		Joins("LEFT JOIN users lp ON lp.id = t.last_poster_id").
		Joins("LEFT JOIN thread_reads r ON r.thread_id = t.id AND r.user_id = ?", v.ID).
		Where("t.forum_id = ? AND t.deleted_at IS NULL", f.ID).
		Order("t.pinned DESC, t.last_posted_at DESC, t.id DESC").
		Limit(PageSize + 1)
	if cursor != "" {
		c, err := decodeCursor(cursor)
		if err != nil {
			return nil, err
		}
		list.Page = 0
		// Rows after the cursor in (pinned DESC, last_posted_at DESC, id DESC)
		// order, written out so both SQLite and PostgreSQL use the index.
		q = q.Where("(t.pinned < ?) OR (t.pinned = ? AND (t.last_posted_at < ? OR (t.last_posted_at = ? AND t.id < ?)))",
			c.Pinned, c.Pinned, c.At, c.At, c.ID)
	} else {
		if list.Page > list.Pages {
			return nil, errs.NotFound("page")
		}
		// OFFSET still joins and filters every skipped row, so deep numbered
		// pages get slower; deep reading should use the cursor.
		q = q.Offset((list.Page - 1) * PageSize)
	}
	if err := q.Scan(&list.Threads).Error; err != nil {
		return nil, fmt.Errorf("forum: list threads of %d: %w", f.ID, err)
	}
	if len(list.Threads) > PageSize {
		list.Threads = list.Threads[:PageSize]
		last := list.Threads[PageSize-1]
		list.NextCursor = encodeCursor(threadCursor{Pinned: last.Pinned, At: last.LastPostedAt, ID: last.ID})
	}
	for i := range list.Threads {
		list.Threads[i].Pages = pages(int64(list.Threads[i].LastNumber))
	}
	return list, nil
}

// thread loads a thread v may see, with its forum, in one query.
func (s *Service) thread(ctx context.Context, v *auth.Viewer, id int64) (*ThreadView, error) {
	// Scanned by hand: this runs for every thread page and reply, and
	// GORM's reflective Scan cost more than the query.
	var row struct {
		ThreadView
		FSlug, FName, FVisibility string
		FGroupID                  *int64
	}
	rs, err := s.st.R.WithContext(ctx).Table("threads t").
		Select(`t.id, t.forum_id, t.user_id, t.title, t.pinned, t.locked, t.last_number, t.reply_count, t.last_posted_at,
			t.last_poster_id, t.deleted_at, t.created_at, t.updated_at, u.username, f.slug, f.name, f.visibility, f.group_id`).
		Joins("JOIN users u ON u.id = t.user_id").
		Joins("JOIN forums f ON f.id = t.forum_id").
		Where("t.id = ? AND t.deleted_at IS NULL", id).Rows()
	if err != nil {
		return nil, fmt.Errorf("forum: load thread %d: %w", id, err)
	}
	defer func() { _ = rs.Close() }() // rs.Err() reports what matters
	if !rs.Next() {
		if err := rs.Err(); err != nil {
			return nil, fmt.Errorf("forum: load thread %d: %w", id, err)
		}
		return nil, errs.NotFound("thread")
	}
	t0 := &row.Thread
	if err := rs.Scan(&t0.ID, &t0.ForumID, &t0.UserID, &t0.Title, &t0.Pinned, &t0.Locked, &t0.LastNumber, &t0.ReplyCount, &t0.LastPostedAt,
		&t0.LastPosterID, &t0.DeletedAt, &t0.CreatedAt, &t0.UpdatedAt, &row.Author, &row.FSlug, &row.FName, &row.FVisibility, &row.FGroupID); err != nil {
		return nil, fmt.Errorf("forum: load thread %d: %w", id, err)
	}
	f := &Forum{ID: row.ForumID, Slug: row.FSlug, Name: row.FName, Visibility: row.FVisibility, GroupID: row.FGroupID}
	if !s.canSee(v, f) {
		return nil, errs.NotFound("thread")
	}
	t := row.ThreadView
	label := f.Visibility
	if f.Visibility == VisGroup {
		label = "group"
	}
	t.Forum = &ForumView{Forum: *f, VisibilityLabel: label}
	t.Pages = pages(int64(t.LastNumber))
	return &t, nil
}

// ThreadInput starts a thread.
type ThreadInput struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

func checkTitle(title string) (string, error) {
	if strings.ContainsRune(title, 0) {
		return title, errs.Field("title", "a title cannot contain NUL characters")
	}
	title = strings.Join(strings.Fields(title), " ")
	if n := utf8.RuneCountInString(title); n < 5 || n > 120 {
		return title, errs.Field("title", "a title has 5 to 120 characters")
	}
	return title, nil
}

// CreateThread starts a thread with its first post.
func (s *Service) CreateThread(ctx context.Context, v *auth.Viewer, slug string, in ThreadInput) (*ThreadView, *PostView, error) {
	t, p, _, err := s.CreateThreadOnce(ctx, v, slug, in, "")
	return t, p, err
}

// CreateThreadOnce is CreateThread with an idempotency key (see ReplyOnce):
// a retry with the same key answers with the thread made the first time.
// A key already used for a reply is refused rather than reinterpreted.
func (s *Service) CreateThreadOnce(ctx context.Context, v *auth.Viewer, slug string, in ThreadInput, key string) (*ThreadView, *PostView, bool, error) {
	if key != "" {
		if err := checkIdempotencyKey(key); err != nil {
			return nil, nil, false, err
		}
		if t, p, err := s.replayThread(ctx, v, key); t != nil || err != nil {
			return t, p, t != nil, err
		}
	}
	t, p, err := s.createThread(ctx, v, slug, in, key)
	if errors.Is(err, errReplay) || (err != nil && key != "" && !isClientError(err)) {
		// Our key was used meanwhile (a concurrent retry won the race on
		// its primary key): answer with the winner's thread.
		if rt, rp, rerr := s.replayThread(ctx, v, key); rt != nil && rerr == nil {
			return rt, rp, true, nil
		} else if rerr != nil {
			return nil, nil, false, rerr
		}
	}
	return t, p, false, err
}

// replayThread returns the thread a key already made, or nils.
func (s *Service) replayThread(ctx context.Context, v *auth.Viewer, key string) (*ThreadView, *PostView, error) {
	p, err := s.replay(ctx, v, key)
	if err != nil || p == nil {
		return nil, nil, err
	}
	if p.Number != 1 {
		return nil, nil, &errs.Error{Kind: errs.KindConflict, Message: "this Idempotency-Key was already used for a reply; use a new key for a new thread"}
	}
	t, err := s.thread(ctx, v, p.ThreadID)
	if err != nil {
		return nil, nil, err
	}
	return t, p, nil
}

func (s *Service) createThread(ctx context.Context, v *auth.Viewer, slug string, in ThreadInput, key string) (*ThreadView, *PostView, error) {
	if !v.SignedIn() {
		return nil, nil, errs.Unauthenticated("sign in to start a thread")
	}
	f, err := s.ForumBySlug(ctx, v, slug)
	if err != nil {
		return nil, nil, err
	}
	fields := errs.Fields{}
	title, err := checkTitle(in.Title)
	if err != nil {
		fields.AddErr("title", err)
	}
	doc, err := s.prepare(ctx, in.Body)
	if err != nil {
		fields.AddErr("body", err)
	}
	if err := fields.Err(); err != nil {
		return nil, nil, err
	}
	now := s.now()
	t := Thread{ForumID: f.ID, UserID: v.ID, Title: title, LastNumber: 1, LastPostedAt: now, LastPosterID: &v.ID, CreatedAt: now, UpdatedAt: now}
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
		if err := tx.Create(&t).Error; err != nil {
			return fmt.Errorf("forum: create thread: %w", err)
		}
		if err := tx.Exec("UPDATE forums SET thread_count = thread_count + 1, post_count = post_count + 1, last_posted_at = ? WHERE id = ?", now, f.ID).Error; err != nil {
			return err
		}
		if _, err := store.Emit(tx, "thread.created", store.ForumScope(f.ID), v.ID, fmt.Sprintf("thread:%d", t.ID),
			map[string]any{"thread_id": t.ID, "forum_id": f.ID, "title": t.Title}); err != nil {
			return err
		}
		p, err = s.insertPost(tx, v, &t, 1, doc, now)
		if err != nil || key == "" {
			return err
		}
		return saveIdempotencyKey(tx, v.ID, key, p.ID, now)
	})
	if err != nil {
		return nil, nil, err
	}
	tv, err := s.thread(ctx, v, t.ID)
	if err != nil {
		return nil, nil, err
	}
	pv := s.postView(&p, v.Username, v.Role, "", v)
	return tv, &pv, nil
}

// ThreadPatch changes a thread. Title: the author or staff; pin and lock: staff.
type ThreadPatch struct {
	Title  *string `json:"title"`
	Pinned *bool   `json:"pinned"`
	Locked *bool   `json:"locked"`
}

// UpdateThread applies a patch.
func (s *Service) UpdateThread(ctx context.Context, v *auth.Viewer, id int64, in ThreadPatch) (*ThreadView, error) {
	if !v.SignedIn() {
		return nil, errs.Unauthenticated("sign in to change a thread")
	}
	t, err := s.thread(ctx, v, id)
	if err != nil {
		return nil, err
	}
	changes := map[string]any{}
	if in.Title != nil {
		if t.UserID != v.ID && !v.CanModerate() {
			return nil, errs.Forbidden("only the author or staff can rename a thread")
		}
		title, err := checkTitle(*in.Title)
		if err != nil {
			return nil, err
		}
		changes["title"] = title
	}
	if in.Pinned != nil || in.Locked != nil {
		if !v.CanModerate() {
			return nil, errs.Forbidden("only staff can pin or lock threads")
		}
		if in.Pinned != nil {
			changes["pinned"] = *in.Pinned
		}
		if in.Locked != nil {
			changes["locked"] = *in.Locked
		}
	}
	if len(changes) == 0 {
		return nil, errs.Field("title", "nothing to change: send title, pinned or locked")
	}
	err = s.st.Tx(ctx, func(tx *gorm.DB) error {
		payload := map[string]any{"thread_id": id, "forum_id": t.ForumID}
		for k, val := range changes {
			payload[k] = val
		}
		changes["updated_at"] = s.now()
		if err := tx.Model(&Thread{}).Where("id = ?", id).Updates(changes).Error; err != nil {
			return fmt.Errorf("forum: update thread %d: %w", id, err)
		}
		_, err := store.Emit(tx, "thread.updated", store.ForumScope(t.ForumID), v.ID, fmt.Sprintf("thread:%d", id), payload)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.thread(ctx, v, id)
}

// throttle enforces the posting interval, inside the writing transaction so
// that concurrent requests from one member cannot both slip through. Staff
// are exempt, so their last post time is not even read; every poster's
// last_posted_at and post_count are kept up to date.
func (s *Service) throttle(tx *gorm.DB, v *auth.Viewer, now time.Time) error {
	if !v.IsStaff() {
		var u struct{ LastPostedAt *time.Time }
		if err := tx.Raw("SELECT last_posted_at FROM users WHERE id = ?", v.ID).Scan(&u).Error; err != nil {
			return fmt.Errorf("forum: throttle: %w", err)
		}
		if last := u.LastPostedAt; last != nil {
			gap := s.opt.PostEvery
			if v.IsNew(now, s.opt.NewAccountAge) {
				gap = s.opt.NewPostEvery
			}
			if wait := last.Add(gap).Sub(now); wait > 0 {
				return errs.RateLimited(fmt.Sprintf("you are posting too fast; wait %d seconds", int(wait.Seconds()+0.999)), wait)
			}
		}
	}
	return tx.Exec("UPDATE users SET last_posted_at = ?, post_count = post_count + 1 WHERE id = ?", now, v.ID).Error
}
