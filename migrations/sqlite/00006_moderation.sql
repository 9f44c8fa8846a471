-- +goose Up
-- Moderation: flags, the review queue, hidden posts and trust levels.

-- A hidden post keeps its place and number; only staff and its author see
-- its text until a moderator decides. hidden_reason is 'flags' (members'
-- flags crossed the threshold) or 'moderator'; later increments add more.
ALTER TABLE posts ADD COLUMN hidden_at DATETIME;
ALTER TABLE posts ADD COLUMN hidden_by INTEGER REFERENCES users (id);
ALTER TABLE posts ADD COLUMN hidden_reason TEXT NOT NULL DEFAULT '';

-- Trust levels 0-4 weigh a member's flags. trust_locked keeps a level an
-- admin set by hand from being changed by automatic promotion (later).
ALTER TABLE users ADD COLUMN trust_level INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN trust_locked BOOLEAN NOT NULL DEFAULT FALSE;

-- One row per thing that needs a human. kind is flag, held_post,
-- held_signup or user_report (only flag is written today); status is
-- pending or resolved. priority is stored with its age term folded in (see
-- app/moderation/priority.go), so the queue is one index range scan.
-- reasons counts the flags by reason as a JSON object.
CREATE TABLE review_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    forum_id INTEGER REFERENCES forums (id),
    thread_id INTEGER REFERENCES threads (id),
    post_id INTEGER REFERENCES posts (id),
    target_user_id INTEGER REFERENCES users (id),
    weight REAL NOT NULL DEFAULT 0,
    priority REAL NOT NULL DEFAULT 0,
    reasons TEXT NOT NULL DEFAULT '{}',
    claimed_by INTEGER REFERENCES users (id),
    claimed_until DATETIME,
    first_action_at DATETIME,
    resolved_by INTEGER REFERENCES users (id),
    resolved_at DATETIME,
    resolution TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
-- The queue: pending items, highest priority first, oldest first on a tie.
CREATE INDEX review_items_queue ON review_items (status, priority DESC, id);
-- At most one pending flag item per post: every flag adds to it.
CREATE UNIQUE INDEX review_items_pending_post ON review_items (post_id) WHERE status = 'pending' AND kind = 'flag';
-- The figures: first actions and resolutions of the last 7 days.
CREATE INDEX review_items_first_action ON review_items (first_action_at);
CREATE INDEX review_items_resolved ON review_items (resolved_at);

-- A member's flag on a post: one per member and post. weight is the
-- reporter's weight when they flagged (trust level, or staff); status
-- becomes upheld (the post was hidden or deleted) or dismissed.
CREATE TABLE flags (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id INTEGER NOT NULL REFERENCES posts (id),
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    section INTEGER,
    note TEXT NOT NULL DEFAULT '',
    weight REAL NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    item_id INTEGER REFERENCES review_items (id),
    created_at DATETIME NOT NULL,
    UNIQUE (post_id, user_id)
);
CREATE INDEX flags_item ON flags (item_id);

-- +goose Down
DROP TABLE flags;
DROP TABLE review_items;
ALTER TABLE users DROP COLUMN trust_locked;
ALTER TABLE users DROP COLUMN trust_level;
ALTER TABLE posts DROP COLUMN hidden_reason;
ALTER TABLE posts DROP COLUMN hidden_by;
ALTER TABLE posts DROP COLUMN hidden_at;
