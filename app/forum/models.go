package forum

import "time"

// Visibility values stored in forums.visibility.
const (
	VisPublic  = "public"
	VisMembers = "members"
	VisGroup   = "group"
)

// Forum is a category of threads.
type Forum struct {
	ID           int64      `json:"id"`
	Slug         string     `json:"slug"`
	Name         string     `json:"name"`
	Description  string     `json:"description"`
	Visibility   string     `json:"-"`
	GroupID      *int64     `json:"-"`
	Position     int        `json:"position"`
	Language     string     `json:"language"`
	ThreadCount  int64      `json:"thread_count"`
	PostCount    int64      `json:"post_count"`
	LastPostedAt *time.Time `json:"last_posted_at"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"-"`
}

// TableName pins the table.
func (Forum) TableName() string { return "forums" }

// Thread is a conversation in a forum. Posts are numbered 1..LastNumber
// within it; the number addresses pages without OFFSET scans.
type Thread struct {
	ID           int64      `json:"id"`
	ForumID      int64      `json:"forum_id"`
	UserID       int64      `json:"-"`
	Title        string     `json:"title"`
	Pinned       bool       `json:"pinned"`
	Locked       bool       `json:"locked"`
	LastNumber   int        `json:"post_count"`
	ReplyCount   int        `json:"reply_count"`
	LastPostedAt time.Time  `json:"last_posted_at"`
	LastPosterID *int64     `json:"-"`
	DeletedAt    *time.Time `json:"-"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"-"`
}

// TableName pins the table.
func (Thread) TableName() string { return "threads" }

// Post is one message. Body is the markdown source, HTML its rendering
// (made once at write time by package render).
type Post struct {
	ID              int64
	ThreadID        int64
	Number          int
	UserID          int64
	Body            string
	HTML            string `gorm:"column:html"`
	LikeCount       int
	ThanksCount     int
	InsightfulCount int
	EditCount       int
	EditedAt        *time.Time
	DeletedAt       *time.Time
	DeletedBy       *int64
	// HiddenAt is set while the post is hidden pending review (flags, or a
	// moderator): it keeps its place, but only staff and its author read it.
	HiddenAt     *time.Time
	HiddenBy     *int64
	HiddenReason string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// TableName pins the table.
func (Post) TableName() string { return "posts" }

// Revision is an earlier body of an edited post.
type Revision struct {
	ID        int64     `json:"id"`
	PostID    int64     `json:"post_id"`
	Body      string    `json:"body"`
	EditorID  int64     `json:"editor_id"`
	CreatedAt time.Time `json:"created_at"`
}

// TableName pins the table.
func (Revision) TableName() string { return "post_revisions" }

// ReactionKinds lists the small fixed set of reactions in display order;
// a user has at most one reaction per post.
func ReactionKinds() []string { return []string{"like", "thanks", "insightful"} }

// ValidReaction reports whether kind is one of ReactionKinds.
func ValidReaction(kind string) bool {
	switch kind {
	case "like", "thanks", "insightful":
		return true
	}
	return false
}
