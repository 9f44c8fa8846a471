package forum

import (
	"context"
	"fmt"
	"time"

	"parley/app/auth"
)

// UnreadWindow bounds "unread": threads without activity for this long are
// not counted, which keeps the count query on a short index range.
const UnreadWindow = 14 * 24 * time.Hour

func (s *Service) lastRead(ctx context.Context, userID, threadID int64) (int, error) {
	var n []int
	err := s.st.R.WithContext(ctx).Raw("SELECT last_read_number FROM thread_reads WHERE user_id = ? AND thread_id = ?", userID, threadID).Scan(&n).Error
	if err != nil {
		return 0, fmt.Errorf("forum: read state: %w", err)
	}
	if len(n) == 0 {
		return -1, nil
	}
	return n[0], nil
}

// markRead moves the read position forward, never back.
func (s *Service) markRead(ctx context.Context, userID, threadID int64, number int) error {
	err := s.st.W.WithContext(ctx).Exec(`INSERT INTO thread_reads (user_id, thread_id, last_read_number, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id, thread_id) DO UPDATE SET last_read_number = excluded.last_read_number, updated_at = excluded.updated_at
		WHERE thread_reads.last_read_number < excluded.last_read_number`, userID, threadID, number, s.now()).Error
	if err != nil {
		return fmt.Errorf("forum: mark read: %w", err)
	}
	return nil
}

// unreadByForum counts, per forum, the recently active threads with posts v
// has not read, in one grouped query.
func (s *Service) unreadByForum(ctx context.Context, v *auth.Viewer, forumIDs []int64) (map[int64]int64, error) {
	var rows []struct {
		ForumID int64
		N       int64
	}
	err := s.st.R.WithContext(ctx).Raw(`SELECT t.forum_id, COUNT(*) AS n FROM threads t
		LEFT JOIN thread_reads r ON r.thread_id = t.id AND r.user_id = ?
		WHERE t.forum_id IN ? AND t.deleted_at IS NULL AND t.last_posted_at > ?
		AND COALESCE(r.last_read_number, 0) < t.last_number
		GROUP BY t.forum_id`, v.ID, forumIDs, s.now().Add(-UnreadWindow)).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("forum: unread counts: %w", err)
	}
	out := make(map[int64]int64, len(rows))
	for _, r := range rows {
		out[r.ForumID] = r.N
	}
	return out, nil
}

// MarkForumRead marks every recent thread of a forum as read up to its last post.
func (s *Service) MarkForumRead(ctx context.Context, v *auth.Viewer, slug string) error {
	f, err := s.ForumBySlug(ctx, v, slug)
	if err != nil || !v.SignedIn() {
		return err
	}
	err = s.st.W.WithContext(ctx).Exec(`INSERT INTO thread_reads (user_id, thread_id, last_read_number, updated_at)
		SELECT ?, t.id, t.last_number, ? FROM threads t WHERE t.forum_id = ? AND t.deleted_at IS NULL AND t.last_posted_at > ?
		ON CONFLICT (user_id, thread_id) DO UPDATE SET last_read_number = excluded.last_read_number, updated_at = excluded.updated_at
		WHERE thread_reads.last_read_number < excluded.last_read_number`, v.ID, s.now(), f.ID, s.now().Add(-UnreadWindow)).Error
	if err != nil {
		return fmt.Errorf("forum: mark forum read: %w", err)
	}
	return nil
}
