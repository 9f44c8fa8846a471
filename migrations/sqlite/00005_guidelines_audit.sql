-- +goose Up
-- The audit log: one row per staff action, written in the same transaction
-- as the action and its event (audit.Record). Staff cannot erase their
-- tracks: no route updates or deletes rows, and the triggers below make
-- the database refuse it too.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id INTEGER NOT NULL REFERENCES users (id),
    actor_role TEXT NOT NULL,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id INTEGER NOT NULL DEFAULT 0,
    target_user_id INTEGER REFERENCES users (id),
    forum_id INTEGER REFERENCES forums (id),
    reason TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    before_json TEXT NOT NULL DEFAULT '',
    after_json TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL
);
-- The staff page's filters, each read newest first by id (keyset paging).
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_target_user ON audit_log (target_user_id, id);
CREATE INDEX audit_log_forum ON audit_log (forum_id, id);
CREATE INDEX audit_log_created ON audit_log (created_at);
-- "Everything done to this post" for the review queue.
CREATE INDEX audit_log_target ON audit_log (target_type, target_id, id);

-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be changed');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be deleted');
END;
-- +goose StatementEnd

-- The community guidelines: every save is a new version, never an edit.
-- html is the rendered document (sections numbered, anchors section-N).
CREATE TABLE guidelines_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version INTEGER NOT NULL UNIQUE,
    body TEXT NOT NULL,
    html TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    editor_id INTEGER NOT NULL REFERENCES users (id),
    created_at DATETIME NOT NULL
);

-- Which version a member accepted at sign-up, and when (NULL: never asked,
-- e.g. accounts made before any guidelines existed or by an admin).
ALTER TABLE users ADD COLUMN guidelines_version INTEGER;
ALTER TABLE users ADD COLUMN guidelines_accepted_at DATETIME;

-- +goose Down
ALTER TABLE users DROP COLUMN guidelines_accepted_at;
ALTER TABLE users DROP COLUMN guidelines_version;
DROP TABLE guidelines_versions;
DROP TABLE audit_log;
