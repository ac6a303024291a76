-- One-time codes: sign-up confirmation, attribute verification and password
-- reset. A user has at most one code per purpose, so the key is (pool, sub,
-- purpose) and a new code replaces the old one in place. Only a hash of the
-- code is kept. The codes go with their user.

-- +goose Up
CREATE TABLE codes (
    pool_id     TEXT    NOT NULL,
    sub         TEXT    NOT NULL,
    purpose     TEXT    NOT NULL,
    code_hash   BLOB    NOT NULL,
    attribute   TEXT    NOT NULL DEFAULT '',
    value       TEXT    NOT NULL DEFAULT '',
    pending     INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    sends       INTEGER NOT NULL DEFAULT 0,
    sends_since INTEGER NOT NULL,
    PRIMARY KEY (pool_id, sub, purpose),
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);

-- +goose Down
DROP TABLE codes;
