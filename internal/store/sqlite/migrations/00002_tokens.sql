-- Token lifecycle: signing keys, refresh-token families and their tokens,
-- and the user columns of the sign-in lockout and global sign-out.
--
-- Times that mean "not yet" when zero (a key still signing, a token not
-- replaced, a family not revoked, a user not locked or signed out) are NULL
-- rather than the zero time's milliseconds: rotation's compare-and-swap
-- tests replaced_at IS NULL, and the new user columns read as "never" on
-- rows that existed before this migration.

-- +goose Up
ALTER TABLE users ADD COLUMN failed_sign_ins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until    INTEGER;
ALTER TABLE users ADD COLUMN signed_out_at   INTEGER;

CREATE TABLE signing_keys (
    pool_id    TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    id         TEXT    NOT NULL,
    key_use    TEXT    NOT NULL, -- "id" or "access"
    sealed     BLOB    NOT NULL,
    public_jwk BLOB    NOT NULL, -- JSON
    created_at INTEGER NOT NULL,
    active_at  INTEGER NOT NULL,
    expires_at INTEGER,          -- NULL while the key may still sign
    PRIMARY KEY (pool_id, id)
);

-- A family belongs to a user: deleting the user (or its pool) ends every
-- sign-in it had. client_id has no foreign key: a family of a deleted
-- client can no longer be redeemed (the client check fails first) and goes
-- with the garbage collection.
CREATE TABLE refresh_families (
    id         TEXT    NOT NULL PRIMARY KEY,
    pool_id    TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    client_id  TEXT    NOT NULL,
    sub        TEXT    NOT NULL,
    auth_time  INTEGER NOT NULL,
    scopes     TEXT    NOT NULL DEFAULT '[]', -- JSON array of strings
    device_key TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER,                       -- NULL while valid
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);
-- RevokeUserRefreshFamilies, and the cascade from users.
CREATE INDEX refresh_families_user ON refresh_families (pool_id, sub);
-- Garbage collection.
CREATE INDEX refresh_families_expires ON refresh_families (expires_at);

CREATE TABLE refresh_tokens (
    id          TEXT    NOT NULL PRIMARY KEY,
    family_id   TEXT    NOT NULL REFERENCES refresh_families (id) ON DELETE CASCADE,
    secret_hash BLOB    NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    replaced_at INTEGER              -- NULL while current
);
-- The cascade from refresh_families (SQLite scans the child table for
-- every deleted parent without it).
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
-- Garbage collection.
CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at);

-- +goose Down
DROP TABLE refresh_tokens;
DROP TABLE refresh_families;
DROP TABLE signing_keys;
ALTER TABLE users DROP COLUMN signed_out_at;
ALTER TABLE users DROP COLUMN locked_until;
ALTER TABLE users DROP COLUMN failed_sign_ins;
