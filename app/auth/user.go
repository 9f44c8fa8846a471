package auth

import "time"

// User is an account row.
type User struct {
	ID               int64
	Username         string
	UsernameKey      string
	UsernameSkeleton string
	Email            string
	EmailKey         string
	PasswordHash     string
	Role             Role
	Bio              string
	PostCount        int64
	LastPostedAt     *time.Time
	CreatedAt        time.Time
	UpdatedAt        time.Time
	// The community guidelines version accepted at sign-up, and when
	// (nil for accounts that were not asked).
	GuidelinesVersion    *int
	GuidelinesAcceptedAt *time.Time
}

// TableName pins the table.
func (User) TableName() string { return "users" }

// Public is what anyone may see of a user.
type Public struct {
	ID        int64     `json:"id"`
	Username  string    `json:"username"`
	Role      Role      `json:"role"`
	Bio       string    `json:"bio"`
	PostCount int64     `json:"post_count"`
	CreatedAt time.Time `json:"created_at"`
}

// Public strips private fields.
func (u *User) Public() Public {
	return Public{ID: u.ID, Username: u.Username, Role: u.Role, Bio: u.Bio, PostCount: u.PostCount, CreatedAt: u.CreatedAt}
}

type session struct {
	ID        int64
	TokenHash string
	CSRFToken string `gorm:"column:csrf_token"`
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
}

func (session) TableName() string { return "sessions" }

type apiToken struct {
	ID         int64
	TokenHash  string
	UserID     int64
	Name       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
}

func (apiToken) TableName() string { return "api_tokens" }
