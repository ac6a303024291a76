-- Authorization codes of the hosted endpoints: single use, minutes long.
-- The id is the hex SHA-256 of the code; the code itself is never stored.
-- A code belongs to a user: deleting the user (or its pool) deletes the
-- codes it had not exchanged yet. client_id has no foreign key, as in
-- refresh_families: a code of a deleted client fails the client check at
-- the token endpoint and expires within minutes.

-- +goose Up
CREATE TABLE auth_codes (
    id                    TEXT    NOT NULL PRIMARY KEY,
    pool_id               TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    client_id             TEXT    NOT NULL,
    sub                   TEXT    NOT NULL,
    redirect_uri          TEXT    NOT NULL,
    scopes                TEXT    NOT NULL DEFAULT '[]', -- JSON array of strings
    nonce                 TEXT    NOT NULL DEFAULT '',
    code_challenge        TEXT    NOT NULL DEFAULT '',
    code_challenge_method TEXT    NOT NULL DEFAULT '',
    auth_time             INTEGER NOT NULL,
    created_at            INTEGER NOT NULL,
    expires_at            INTEGER NOT NULL,
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);
-- The cascade from users.
CREATE INDEX auth_codes_user ON auth_codes (pool_id, sub);
-- Garbage collection.
CREATE INDEX auth_codes_expires ON auth_codes (expires_at);

-- +goose Down
DROP TABLE auth_codes;
