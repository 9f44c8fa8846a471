package auth

import (
	"context"
	"database/sql"
	"fmt"
)

// Viewers loads accounts as Viewers (role and groups) by id, for judging
// what someone other than the requester may see: the notifier writes a
// notification only about a post its recipient could open. Unknown ids are
// left out of the map. One query, however many ids.
func (s *Service) Viewers(ctx context.Context, ids []int64) (map[int64]*Viewer, error) {
	out := make(map[int64]*Viewer, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.st.R.WithContext(ctx).Raw(`SELECT u.id, u.username, u.role, u.created_at, g.group_id
		FROM users u LEFT JOIN group_members g ON g.user_id = u.id WHERE u.id IN ?`, ids).Rows()
	if err != nil {
		return nil, fmt.Errorf("auth: load viewers: %w", err)
	}
	defer func() { _ = rows.Close() }() // the scan's error is the one that matters
	for rows.Next() {
		var (
			u     Viewer
			group sql.NullInt64
		)
		if err := rows.Scan(&u.ID, &u.Username, &u.Role, &u.CreatedAt, &group); err != nil {
			return nil, fmt.Errorf("auth: load viewers: %w", err)
		}
		v := out[u.ID]
		if v == nil {
			v = &u
			out[u.ID] = v
		}
		if group.Valid {
			v.Groups = append(v.Groups, group.Int64)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("auth: load viewers: %w", err)
	}
	return out, nil
}
