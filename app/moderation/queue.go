package moderation

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"parley/app/auth"
	"parley/app/errs"
	"parley/app/forum"
)

// Paging of the queue.
const (
	DefaultLimit = 25
	MaxLimit     = 100
)

// UserRef names a person on a queue card.
type UserRef struct {
	ID         int64     `json:"id"`
	Username   string    `json:"username"`
	Role       auth.Role `json:"role"`
	TrustLevel int       `json:"trust_level"`
}

// Claim says who works on an item, until when (a claim nobody renews
// lapses; an expired claim is no claim).
type Claim struct {
	By    UserRef   `json:"by"`
	Until time.Time `json:"until"`
}

// FlagView is one flag on a queue card.
type FlagView struct {
	ID        int64     `json:"id"`
	Reporter  UserRef   `json:"reporter"`
	Reason    string    `json:"reason"`
	Section   *int      `json:"section,omitempty"`
	Note      string    `json:"note"`
	Weight    float64   `json:"weight"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
}

// ItemPost is the post an item is about, as staff see it: its stored,
// sanitised HTML even when hidden or deleted.
type ItemPost struct {
	ID        int64     `json:"id"`
	Number    int       `json:"number"`
	HTML      string    `json:"html"`
	Hidden    bool      `json:"hidden"`
	Deleted   bool      `json:"deleted"`
	URL       string    `json:"url"`
	CreatedAt time.Time `json:"created_at"`
}

// ItemThread is the thread of an item's post.
type ItemThread struct {
	ID     int64  `json:"id"`
	Title  string `json:"title"`
	Locked bool   `json:"locked"`
}

// ItemForum is the forum of an item.
type ItemForum struct {
	ID       int64  `json:"id"`
	Slug     string `json:"slug"`
	Name     string `json:"name"`
	Language string `json:"language"`
}

// Item is a review item as a staff member sees it.
type Item struct {
	ID     int64  `json:"id"`
	Kind   string `json:"kind"`
	Status string `json:"status"`
	// Priority is the queue's order, with the item's age counted as of
	// the answer (see priority.go).
	Priority      float64        `json:"priority"`
	Weight        float64        `json:"weight"`
	Reasons       map[string]int `json:"reasons"`
	Forum         *ItemForum     `json:"forum"`
	Thread        *ItemThread    `json:"thread"`
	Post          *ItemPost      `json:"post"`
	Author        *UserRef       `json:"author"`
	Flags         []FlagView     `json:"flags"`
	Claim         *Claim         `json:"claim"`
	FirstActionAt *time.Time     `json:"first_action_at"`
	Resolution    string         `json:"resolution,omitempty"`
	ResolvedBy    *UserRef       `json:"resolved_by,omitempty"`
	ResolvedAt    *time.Time     `json:"resolved_at,omitempty"`
	CreatedAt     time.Time      `json:"created_at"`
	UpdatedAt     time.Time      `json:"updated_at"`
	// Actions are the actions the viewer may take now (the page's
	// buttons); the service checks again. Empty on one's own post.
	Actions []string `json:"actions"`
	// Own marks an item about the viewer's own post: another moderator
	// must decide it.
	Own bool `json:"own"`
}

// ClaimedByOther reports a live claim by someone other than userID.
func (it *Item) ClaimedByOther(userID int64) bool {
	return it.Claim != nil && it.Claim.By.ID != userID
}

// QueueFilter narrows the queue; empty fields do not filter.
type QueueFilter struct {
	Kind     string // one of Kinds
	Forum    string // a forum's slug
	Reason   string // one of Reasons: items with at least one flag for it
	Language string // the forum's content language
	// Assignee is "me", "none" (unclaimed, or the claim lapsed) or a user id.
	Assignee string
	Cursor   string // NextCursor of the previous page
	Limit    int    // 1..MaxLimit; 0 is DefaultLimit
}

// Queue is one page of pending items, highest priority first.
type Queue struct {
	Items []Item `json:"items"`
	// NextCursor continues after the last item; empty at the end.
	NextCursor string `json:"next_cursor"`
}

// requireStaff is the gate of every queue operation.
func requireStaff(v *auth.Viewer) error {
	if !v.SignedIn() {
		return errs.Unauthenticated("sign in first")
	}
	if !v.IsStaff() {
		return errs.Forbidden("the review queue is for moderators, community managers and admins")
	}
	return nil
}

// visibleForumIDs are the forums whose items v may see and act on.
func (s *Service) visibleForumIDs(ctx context.Context, v *auth.Viewer) ([]int64, error) {
	fs, err := s.forums.VisibleForums(ctx, v)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(fs))
	for i, f := range fs {
		ids[i] = f.ID
	}
	return ids, nil
}

type queueCursor struct {
	priority float64
	id       int64
}

func encodeQueueCursor(c queueCursor) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatFloat(c.priority, 'g', -1, 64) + ":" + strconv.FormatInt(c.id, 10)))
}

func decodeQueueCursor(s string) (queueCursor, error) {
	bad := errs.BadRequest("cursor is not one this server gave out; start again without it")
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return queueCursor{}, bad
	}
	p, id, ok := strings.Cut(string(b), ":")
	if !ok {
		return queueCursor{}, bad
	}
	var c queueCursor
	if c.priority, err = strconv.ParseFloat(p, 64); err != nil {
		return queueCursor{}, bad
	}
	if c.id, err = strconv.ParseInt(id, 10, 64); err != nil || c.id < 1 {
		return queueCursor{}, bad
	}
	return c, nil
}

// Validate checks a filter before any query (a clear 400 for nonsense).
func (f *QueueFilter) Validate() error {
	switch {
	case f.Kind != "" && !slices.Contains(Kinds(), f.Kind):
		return errs.BadRequest("type must be one of " + strings.Join(Kinds(), ", "))
	case f.Reason != "" && !ValidReason(f.Reason):
		return errs.BadRequest("reason must be one of " + strings.Join(Reasons(), ", "))
	case f.Language != "" && !slices.Contains(forum.Languages(), f.Language):
		return errs.BadRequest("language must be one of " + strings.Join(forum.Languages(), ", "))
	case f.Limit < 0 || f.Limit > MaxLimit:
		return errs.BadRequest(fmt.Sprintf("limit must be a whole number from 1 to %d", MaxLimit))
	}
	switch f.Assignee {
	case "", "me", "none":
	default:
		if id, err := strconv.ParseInt(f.Assignee, 10, 64); err != nil || id < 1 {
			return errs.BadRequest(`assignee must be "me", "none" or a user id`)
		}
	}
	return nil
}

// Queue lists pending items in forums v can see, in priority order.
func (s *Service) Queue(ctx context.Context, v *auth.Viewer, f QueueFilter) (*Queue, error) {
	if err := requireStaff(v); err != nil {
		return nil, err
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit == 0 {
		limit = DefaultLimit
	}
	ids, err := s.visibleForumIDs(ctx, v)
	if err != nil {
		return nil, err
	}
	now := s.now()
	q := s.itemQuery(ctx).Where("i.status = ?", statusPending).
		Where("(i.forum_id IN ? OR i.forum_id IS NULL)", ids).
		Order("i.priority DESC, i.id").Limit(limit + 1)
	if f.Kind != "" {
		q = q.Where("i.kind = ?", f.Kind)
	}
	if f.Forum != "" {
		fv, err := s.forums.ForumBySlug(ctx, v, f.Forum)
		if errs.Is(err, errs.KindNotFound) {
			return nil, errs.BadRequest("forum: there is no forum " + strconv.Quote(f.Forum))
		}
		if err != nil {
			return nil, err
		}
		q = q.Where("i.forum_id = ?", fv.ID)
	}
	if f.Reason != "" {
		q = q.Where("i.reasons LIKE ?", `%"`+f.Reason+`":%`)
	}
	if f.Language != "" {
		q = q.Where("f.language = ?", f.Language)
	}
	switch f.Assignee {
	case "":
	case "me":
		q = q.Where("i.claimed_by = ? AND i.claimed_until > ?", v.ID, now)
	case "none":
		q = q.Where("(i.claimed_by IS NULL OR i.claimed_until <= ?)", now)
	default:
		id, _ := strconv.ParseInt(f.Assignee, 10, 64) // checked by Validate
		q = q.Where("i.claimed_by = ? AND i.claimed_until > ?", id, now)
	}
	if f.Cursor != "" {
		c, err := decodeQueueCursor(f.Cursor)
		if err != nil {
			return nil, err
		}
		q = q.Where("(i.priority < ? OR (i.priority = ? AND i.id > ?))", c.priority, c.priority, c.id)
	}
	var rows []itemRow
	if err := q.Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("moderation: queue: %w", err)
	}
	out := &Queue{Items: []Item{}}
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[limit-1]
		out.NextCursor = encodeQueueCursor(queueCursor{priority: last.Priority, id: last.ID})
	}
	out.Items, err = s.items(ctx, v, rows)
	return out, err
}

// Item returns one item (pending or resolved) in a forum v can see; any
// other id is NotFound.
func (s *Service) Item(ctx context.Context, v *auth.Viewer, id int64) (*Item, error) {
	if err := requireStaff(v); err != nil {
		return nil, err
	}
	var rows []itemRow
	if err := s.itemQuery(ctx).Where("i.id = ?", id).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("moderation: load item %d: %w", id, err)
	}
	if len(rows) == 0 {
		return nil, errs.NotFound("review item")
	}
	if fid := rows[0].ForumID; fid != nil {
		ids, err := s.visibleForumIDs(ctx, v)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(ids, *fid) {
			return nil, errs.NotFound("review item")
		}
	}
	items, err := s.items(ctx, v, rows)
	if err != nil {
		return nil, err
	}
	return &items[0], nil
}

// itemRow is one row of itemQuery.
type itemRow struct {
	ID            int64
	Kind          string
	Status        string
	ForumID       *int64
	ThreadID      *int64
	PostID        *int64
	TargetUserID  *int64
	Weight        float64
	Priority      float64
	Reasons       string
	ClaimedBy     *int64
	ClaimedUntil  *time.Time
	FirstActionAt *time.Time
	ResolvedBy    *int64
	ResolvedAt    *time.Time
	Resolution    string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	FSlug         *string    `gorm:"column:f_slug"`
	FName         *string    `gorm:"column:f_name"`
	FLanguage     *string    `gorm:"column:f_language"`
	TTitle        *string    `gorm:"column:t_title"`
	TLocked       *bool      `gorm:"column:t_locked"`
	TDeletedAt    *time.Time `gorm:"column:t_deleted_at"`
	PNumber       *int       `gorm:"column:p_number"`
	PHTML         *string    `gorm:"column:p_html"`
	PHiddenAt     *time.Time `gorm:"column:p_hidden_at"`
	PDeletedAt    *time.Time `gorm:"column:p_deleted_at"`
	PCreatedAt    *time.Time `gorm:"column:p_created_at"`
	AUsername     *string    `gorm:"column:a_username"`
	ARole         *auth.Role `gorm:"column:a_role"`
	ATrust        *int       `gorm:"column:a_trust"`
	CUsername     *string    `gorm:"column:c_username"`
	CRole         *auth.Role `gorm:"column:c_role"`
	CTrust        *int       `gorm:"column:c_trust"`
	RUsername     *string    `gorm:"column:r_username"`
	RRole         *auth.Role `gorm:"column:r_role"`
	RTrust        *int       `gorm:"column:r_trust"`
}

// itemQuery reads items with everything a card shows, in one query.
func (s *Service) itemQuery(ctx context.Context) *gorm.DB {
	return s.st.R.WithContext(ctx).Table("review_items i").
		Select(`i.id, i.kind, i.status, i.forum_id, i.thread_id, i.post_id, i.target_user_id, i.weight, i.priority, i.reasons,
			i.claimed_by, i.claimed_until, i.first_action_at, i.resolved_by, i.resolved_at, i.resolution, i.created_at, i.updated_at,
			f.slug AS f_slug, f.name AS f_name, f.language AS f_language,
			t.title AS t_title, t.locked AS t_locked, t.deleted_at AS t_deleted_at,
			p.number AS p_number, p.html AS p_html, p.hidden_at AS p_hidden_at, p.deleted_at AS p_deleted_at, p.created_at AS p_created_at,
			a.username AS a_username, a.role AS a_role, a.trust_level AS a_trust,
			c.username AS c_username, c.role AS c_role, c.trust_level AS c_trust,
			r.username AS r_username, r.role AS r_role, r.trust_level AS r_trust`).
		Joins("LEFT JOIN forums f ON f.id = i.forum_id").
		Joins("LEFT JOIN threads t ON t.id = i.thread_id").
		Joins("LEFT JOIN posts p ON p.id = i.post_id").
		Joins("LEFT JOIN users a ON a.id = i.target_user_id").
		Joins("LEFT JOIN users c ON c.id = i.claimed_by").
		Joins("LEFT JOIN users r ON r.id = i.resolved_by")
}

// items turns rows into views, with their flags in one more query.
func (s *Service) items(ctx context.Context, v *auth.Viewer, rows []itemRow) ([]Item, error) {
	out := make([]Item, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]int64, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	flags, err := s.flagsOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	now := s.now()
	for i := range rows {
		out[i] = s.itemView(v, &rows[i], flags[rows[i].ID], now)
	}
	return out, nil
}

func (s *Service) itemView(v *auth.Viewer, r *itemRow, flags []FlagView, now time.Time) Item {
	it := Item{ID: r.ID, Kind: r.Kind, Status: r.Status, Priority: Effective(r.Priority, now), Weight: r.Weight,
		Reasons: decodeReasons(r.Reasons), Flags: flags, FirstActionAt: r.FirstActionAt, Resolution: r.Resolution,
		ResolvedAt: r.ResolvedAt, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Actions: []string{}}
	if it.Flags == nil {
		it.Flags = []FlagView{}
	}
	if r.ForumID != nil && r.FSlug != nil {
		it.Forum = &ItemForum{ID: *r.ForumID, Slug: *r.FSlug, Name: deref(r.FName), Language: deref(r.FLanguage)}
	}
	if r.ThreadID != nil && r.TTitle != nil {
		it.Thread = &ItemThread{ID: *r.ThreadID, Title: *r.TTitle, Locked: r.TLocked != nil && *r.TLocked}
	}
	if r.PostID != nil && r.PNumber != nil {
		it.Post = &ItemPost{ID: *r.PostID, Number: *r.PNumber, HTML: deref(r.PHTML), Hidden: r.PHiddenAt != nil,
			Deleted: r.PDeletedAt != nil || r.TDeletedAt != nil, URL: "/p/" + strconv.FormatInt(*r.PostID, 10)}
		if r.PCreatedAt != nil {
			it.Post.CreatedAt = *r.PCreatedAt
		}
	}
	if r.TargetUserID != nil && r.AUsername != nil {
		it.Author = &UserRef{ID: *r.TargetUserID, Username: *r.AUsername, Role: derefRole(r.ARole), TrustLevel: derefInt(r.ATrust)}
	}
	if r.ClaimedBy != nil && r.ClaimedUntil != nil && r.ClaimedUntil.After(now) && r.CUsername != nil {
		it.Claim = &Claim{By: UserRef{ID: *r.ClaimedBy, Username: *r.CUsername, Role: derefRole(r.CRole), TrustLevel: derefInt(r.CTrust)},
			Until: *r.ClaimedUntil}
	}
	if r.ResolvedBy != nil && r.RUsername != nil {
		it.ResolvedBy = &UserRef{ID: *r.ResolvedBy, Username: *r.RUsername, Role: derefRole(r.RRole), TrustLevel: derefInt(r.RTrust)}
	}
	it.Own = it.Author != nil && it.Author.ID == v.ID
	if it.Status == statusPending {
		it.Actions = allowed(v, &it)
	}
	return it
}

// allowed lists the actions v may take on a pending item (see Act for the
// rules and their reasons).
func allowed(v *auth.Viewer, it *Item) []string {
	out := []string{}
	if it.Own || it.Post == nil {
		return out
	}
	outranked := it.Author != nil && rank(it.Author.Role) > rank(v.Role)
	for _, a := range Actions() {
		switch {
		case (a == ActionHide || a == ActionDelete) && outranked:
		case a == ActionDismiss && it.Post.Hidden && !it.Post.Deleted:
		case a == ActionLock && (it.Thread == nil || it.Thread.Locked || it.Post.Deleted):
		default:
			out = append(out, a)
		}
	}
	return out
}

// flagsOf loads the flags of items, oldest first, with their reporters.
func (s *Service) flagsOf(ctx context.Context, itemIDs []int64) (map[int64][]FlagView, error) {
	var rows []struct {
		ID         int64
		ItemID     int64
		UserID     int64
		Username   string
		Role       auth.Role
		TrustLevel int
		Reason     string
		Section    *int
		Note       string
		Weight     float64
		Status     string
		CreatedAt  time.Time
	}
	err := s.st.R.WithContext(ctx).Raw(`SELECT f.id, f.item_id, f.user_id, u.username, u.role, u.trust_level, f.reason, f.section,
		f.note, f.weight, f.status, f.created_at FROM flags f JOIN users u ON u.id = f.user_id
		WHERE f.item_id IN ? ORDER BY f.id`, itemIDs).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("moderation: load flags: %w", err)
	}
	out := map[int64][]FlagView{}
	for _, r := range rows {
		out[r.ItemID] = append(out[r.ItemID], FlagView{ID: r.ID, Reporter: UserRef{ID: r.UserID, Username: r.Username, Role: r.Role, TrustLevel: r.TrustLevel},
			Reason: r.Reason, Section: r.Section, Note: r.Note, Weight: r.Weight, Status: r.Status, CreatedAt: r.CreatedAt})
	}
	return out, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func derefInt(n *int) int {
	if n == nil {
		return 0
	}
	return *n
}

func derefRole(r *auth.Role) auth.Role {
	if r == nil {
		return ""
	}
	return *r
}
