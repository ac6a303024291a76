-- The users' authentication events, the PostgreSQL twin of
-- sqlite/migrations/00013_auth_events.sql (store.AuthEvents): what
-- AdminListUserAuthEvents pages, newest first. An event belongs to a user
-- and goes with it (and with its pool); old ones are collected by age and
-- by a per-user count (DeleteOldAuthEvents).

-- +goose Up
CREATE TABLE auth_events (
    pool_id    TEXT COLLATE "C" NOT NULL,
    id         TEXT COLLATE "C" NOT NULL,
    sub        TEXT COLLATE "C" NOT NULL,
    type       TEXT   NOT NULL,
    response   TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    detail     BYTEA  NOT NULL, -- the rest of the event, JSON
    CONSTRAINT auth_events_pkey PRIMARY KEY (pool_id, id),
    CONSTRAINT auth_events_user_fkey FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);
-- ListAuthEvents (newest first), the per-user bound, and the cascade.
CREATE INDEX auth_events_user ON auth_events (pool_id, sub, created_at, id);
-- The collection by age.
CREATE INDEX auth_events_created ON auth_events (created_at);

-- +goose Down
DROP TABLE auth_events;
