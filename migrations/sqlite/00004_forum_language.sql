-- +goose Up
-- The content language of a forum's posts: search analyses them with that
-- language's stemmer and stop words. 'en' is the site-wide default.
ALTER TABLE forums ADD COLUMN language TEXT NOT NULL DEFAULT 'en';

-- +goose Down
ALTER TABLE forums DROP COLUMN language;
