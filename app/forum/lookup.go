package forum

import (
	"context"

	"parley/app/auth"
)

// ThreadForumID returns the forum of a thread v may see. A missing, deleted
// or invisible thread is the same NotFound, so subscribers of live updates
// learn nothing more than the thread page would tell them.
func (s *Service) ThreadForumID(ctx context.Context, v *auth.Viewer, threadID int64) (int64, error) {
	t, err := s.thread(ctx, v, threadID)
	if err != nil {
		return 0, err
	}
	return t.ForumID, nil
}
