package forum

import (
	"context"
	"fmt"
	"time"

	"parley/app/auth"
)

// SearchDoc is what the search index needs of a visible post, and what a
// search result shows of it. The index keeps only ids and analysed text;
// titles, names and the text of snippets are read here, fresh, for the
// page of results shown.
type SearchDoc struct {
	PostID    int64
	ThreadID  int64
	ForumID   int64
	UserID    int64
	Number    int
	Username  string
	Title     string // the thread's title
	HTML      string
	Reactions int
	Language  string // the forum's content language
	ForumSlug string
	ForumName string
	CreatedAt time.Time
}

const searchDocCols = `p.id, p.thread_id, t.forum_id, p.user_id, p.number, u.username, t.title, p.html,
	p.like_count + p.thanks_count + p.insightful_count, f.language, f.slug, f.name, p.created_at`

func (s *Service) searchDocs(ctx context.Context, where string, args []any, limit int) ([]SearchDoc, error) {
	q := s.st.R.WithContext(ctx).Table("posts p").Select(searchDocCols).
		Joins("JOIN threads t ON t.id = p.thread_id").
		Joins("JOIN forums f ON f.id = t.forum_id").
		Joins("JOIN users u ON u.id = p.user_id").
		Where("p.deleted_at IS NULL AND p.hidden_at IS NULL AND t.deleted_at IS NULL").
		Where(where, args...).Order("p.id")
	if limit > 0 {
		q = q.Limit(limit)
	}
	rs, err := q.Rows()
	if err != nil {
		return nil, fmt.Errorf("forum: search documents: %w", err)
	}
	defer func() { _ = rs.Close() }() // rs.Err() reports what matters
	var out []SearchDoc
	for rs.Next() {
		var d SearchDoc
		if err := rs.Scan(&d.PostID, &d.ThreadID, &d.ForumID, &d.UserID, &d.Number, &d.Username, &d.Title, &d.HTML,
			&d.Reactions, &d.Language, &d.ForumSlug, &d.ForumName, &d.CreatedAt); err != nil {
			return nil, fmt.Errorf("forum: scan search documents: %w", err)
		}
		out = append(out, d)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("forum: search documents: %w", err)
	}
	return out, nil
}

// SearchDocs loads the posts with these ids that are visible to someone
// (neither the post nor its thread deleted, the post not hidden pending
// review), in one query. It checks no
// viewer: the indexer stores every visible post, and the searcher filters
// by forum. An id left out is a post the index must not hold.
func (s *Service) SearchDocs(ctx context.Context, ids []int64) ([]SearchDoc, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return s.searchDocs(ctx, "p.id IN ?", []any{ids}, 0)
}

// SearchDocsAfter reads up to limit visible posts with id > after in id
// order, of one forum or (forumID 0) of all: the rebuild's scan.
func (s *Service) SearchDocsAfter(ctx context.Context, forumID, after int64, limit int) ([]SearchDoc, error) {
	if forumID > 0 {
		return s.searchDocs(ctx, "p.id > ? AND t.forum_id = ?", []any{after, forumID}, limit)
	}
	return s.searchDocs(ctx, "p.id > ?", []any{after}, limit)
}

// CountVisiblePosts counts the posts a rebuild indexes (for its progress).
func (s *Service) CountVisiblePosts(ctx context.Context) (int64, error) {
	var n int64
	err := s.st.R.WithContext(ctx).Raw(`SELECT COUNT(*) FROM posts p JOIN threads t ON t.id = p.thread_id
		WHERE p.deleted_at IS NULL AND p.hidden_at IS NULL AND t.deleted_at IS NULL`).Scan(&n).Error
	if err != nil {
		return 0, fmt.Errorf("forum: count posts: %w", err)
	}
	return n, nil
}

// ThreadPostIDs lists the ids of a thread's posts (deleted ones too), or
// only its first post's: what a title change or a thread's deletion
// touches in the index.
func (s *Service) ThreadPostIDs(ctx context.Context, threadID int64, firstOnly bool) ([]int64, error) {
	q := s.st.R.WithContext(ctx).Table("posts").Where("thread_id = ?", threadID)
	if firstOnly {
		q = q.Where("number = 1")
	}
	var ids []int64
	if err := q.Order("id").Pluck("id", &ids).Error; err != nil {
		return nil, fmt.Errorf("forum: posts of thread %d: %w", threadID, err)
	}
	return ids, nil
}

// VisibleForums lists the forums v may see, by canSee: the search filter.
func (s *Service) VisibleForums(ctx context.Context, v *auth.Viewer) ([]Forum, error) {
	fs, err := s.allForums(ctx)
	if err != nil {
		return nil, err
	}
	out := fs[:0]
	for _, f := range fs {
		if s.canSee(v, &f) {
			out = append(out, f)
		}
	}
	return out, nil
}
