package forum

import (
	"context"
	"fmt"
	"time"
)

// PublicPost is a post as everyone allowed to read its forum sees it: the
// fields of PostView that do not depend on the viewer. The websocket hub
// sends it with post.created and post.edited, so that thousands of readers
// of a thread need not each fetch the post; a page works out can_edit and
// my_reaction itself.
type PublicPost struct {
	ID        int64          `json:"id"`
	ThreadID  int64          `json:"thread_id"`
	Number    int            `json:"number"`
	HTML      string         `json:"html"`
	Author    Author         `json:"author"`
	Reactions map[string]int `json:"reactions"`
	EditCount int            `json:"edit_count"`
	EditedAt  *time.Time     `json:"edited_at"`
	CreatedAt time.Time      `json:"created_at"`
}

// PostsPublic loads the posts with the given ids that are neither deleted
// nor hidden, in one query, keyed by id. It checks no permission: the
// caller decides who receives them (the hub, by the forum scope of the
// event that names them). A deleted or hidden post is left out, so its text
// never travels this way.
func (s *Service) PostsPublic(ctx context.Context, ids []int64) (map[int64]*PublicPost, error) {
	out := make(map[int64]*PublicPost, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rs, err := s.st.R.WithContext(ctx).Table("posts p").
		Select(`p.id, p.thread_id, p.number, p.user_id, p.html, p.like_count, p.thanks_count, p.insightful_count,
			p.edit_count, p.edited_at, p.created_at, u.username, u.role`).
		Joins("JOIN users u ON u.id = p.user_id").
		Where("p.id IN ? AND p.deleted_at IS NULL AND p.hidden_at IS NULL", ids).Rows()
	if err != nil {
		return nil, fmt.Errorf("forum: public posts: %w", err)
	}
	defer func() { _ = rs.Close() }() // rs.Err() reports what matters
	for rs.Next() {
		var p PublicPost
		var like, thanks, insightful int
		if err := rs.Scan(&p.ID, &p.ThreadID, &p.Number, &p.Author.ID, &p.HTML, &like, &thanks, &insightful,
			&p.EditCount, &p.EditedAt, &p.CreatedAt, &p.Author.Username, &p.Author.Role); err != nil {
			return nil, fmt.Errorf("forum: scan public posts: %w", err)
		}
		p.Reactions = map[string]int{"like": like, "thanks": thanks, "insightful": insightful}
		out[p.ID] = &p
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("forum: public posts: %w", err)
	}
	return out, nil
}
