-- Authorization codes of the hosted endpoints, the PostgreSQL twin of
-- sqlite/migrations/00003_auth_codes.sql: single use, minutes long. The id
-- is the hex SHA-256 of the code; the code itself is never stored. A code
-- belongs to a user: deleting the user (or its pool) deletes the codes it
-- had not exchanged yet. client_id has no foreign key, as in
-- refresh_families: a code of a deleted client fails the client check at
-- the token endpoint and expires within minutes.

-- +goose Up
CREATE TABLE auth_codes (
    id                    TEXT COLLATE "C" NOT NULL,
    pool_id               TEXT COLLATE "C" NOT NULL,
    client_id             TEXT COLLATE "C" NOT NULL,
    sub                   TEXT COLLATE "C" NOT NULL,
    redirect_uri          TEXT   NOT NULL,
    scopes                JSONB  NOT NULL DEFAULT '[]', -- array of strings
    nonce                 TEXT   NOT NULL DEFAULT '',
    code_challenge        TEXT   NOT NULL DEFAULT '',
    code_challenge_method TEXT   NOT NULL DEFAULT '',
    auth_time             BIGINT NOT NULL,
    created_at            BIGINT NOT NULL,
    expires_at            BIGINT NOT NULL,
    CONSTRAINT auth_codes_pkey PRIMARY KEY (id),
    CONSTRAINT auth_codes_pool_fkey FOREIGN KEY (pool_id) REFERENCES pools (id) ON DELETE CASCADE,
    CONSTRAINT auth_codes_user_fkey FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);
-- The cascades from users and pools.
CREATE INDEX auth_codes_user ON auth_codes (pool_id, sub);
-- Garbage collection.
CREATE INDEX auth_codes_expires ON auth_codes (expires_at);

-- +goose Down
DROP TABLE auth_codes;
