-- +goose Up
-- One row per thing a member is told about. At most one row per recipient,
-- post and kind (the consumer inserts with ON CONFLICT DO NOTHING, so
-- reading an event twice cannot notify twice). Post ids lead the unique
-- index so that removing a deleted post's notifications is an index read.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    actor_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    post_id INTEGER NOT NULL REFERENCES posts (id),
    thread_id INTEGER NOT NULL REFERENCES threads (id),
    created_at DATETIME NOT NULL,
    read_at DATETIME
);
CREATE UNIQUE INDEX notifications_once ON notifications (post_id, user_id, kind);
-- The bell: COUNT(*) WHERE user_id = ? AND read_at IS NULL.
CREATE INDEX notifications_unread ON notifications (user_id, read_at, id);
-- The list: newest first, paged by id.
CREATE INDEX notifications_user ON notifications (user_id, id);

-- Where each event-log consumer that keeps its checkpoint in the database
-- has got to, written in the same transaction as the work it covers.
CREATE TABLE consumer_positions (
    name TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    updated_at DATETIME NOT NULL
);

-- +goose Down
DROP TABLE consumer_positions;
DROP TABLE notifications;
