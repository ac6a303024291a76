-- One-time codes, the PostgreSQL twin of sqlite/migrations/00004_codes.sql:
-- sign-up confirmation, attribute verification and password reset. A user
-- has at most one code per purpose, so the key is (pool, sub, purpose) and
-- a new code replaces the old one in place. Only a hash of the code is
-- kept. The codes go with their user.

-- +goose Up
CREATE TABLE codes (
    pool_id     TEXT COLLATE "C" NOT NULL,
    sub         TEXT COLLATE "C" NOT NULL,
    purpose     TEXT COLLATE "C" NOT NULL,
    code_hash   BYTEA   NOT NULL,
    attribute   TEXT    NOT NULL DEFAULT '',
    value       TEXT    NOT NULL DEFAULT '',
    pending     BOOLEAN NOT NULL DEFAULT false,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    sends       INTEGER NOT NULL DEFAULT 0,
    sends_since BIGINT  NOT NULL,
    CONSTRAINT codes_pkey PRIMARY KEY (pool_id, sub, purpose),
    CONSTRAINT codes_user_fkey FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);

-- +goose Down
DROP TABLE codes;
