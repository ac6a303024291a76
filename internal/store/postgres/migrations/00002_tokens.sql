-- Token lifecycle, the PostgreSQL twin of sqlite/migrations/00002_tokens.sql:
-- signing keys, refresh-token families and their tokens, and the user
-- columns of the sign-in lockout and global sign-out.
--
-- Times that mean "not yet" when zero (a key still signing, a token not
-- replaced, a family not revoked, a user not locked or signed out) are NULL
-- rather than the zero time's milliseconds: rotation's compare-and-swap
-- tests replaced_at IS NULL, and the new user columns read as "never" on
-- rows that existed before this migration.

-- +goose Up
ALTER TABLE users ADD COLUMN failed_sign_ins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until    BIGINT;
ALTER TABLE users ADD COLUMN signed_out_at   BIGINT;

CREATE TABLE signing_keys (
    pool_id    TEXT COLLATE "C" NOT NULL,
    id         TEXT COLLATE "C" NOT NULL,
    key_use    TEXT   NOT NULL, -- "id" or "access"
    sealed     BYTEA  NOT NULL,
    public_jwk BYTEA  NOT NULL, -- JSON
    created_at BIGINT NOT NULL,
    active_at  BIGINT NOT NULL,
    expires_at BIGINT,          -- NULL while the key may still sign
    CONSTRAINT signing_keys_pkey PRIMARY KEY (pool_id, id),
    CONSTRAINT signing_keys_pool_fkey FOREIGN KEY (pool_id) REFERENCES pools (id) ON DELETE CASCADE
);

-- A family belongs to a user: deleting the user (or its pool) ends every
-- sign-in it had. client_id has no foreign key: a family of a deleted
-- client can no longer be redeemed (the client check fails first) and goes
-- with the garbage collection.
CREATE TABLE refresh_families (
    id         TEXT COLLATE "C" NOT NULL,
    pool_id    TEXT COLLATE "C" NOT NULL,
    client_id  TEXT COLLATE "C" NOT NULL,
    sub        TEXT COLLATE "C" NOT NULL,
    auth_time  BIGINT NOT NULL,
    scopes     JSONB  NOT NULL DEFAULT '[]', -- array of strings
    device_key TEXT   NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT,                       -- NULL while valid
    CONSTRAINT refresh_families_pkey PRIMARY KEY (id),
    CONSTRAINT refresh_families_pool_fkey FOREIGN KEY (pool_id) REFERENCES pools (id) ON DELETE CASCADE,
    CONSTRAINT refresh_families_user_fkey FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);
-- RevokeUserRefreshFamilies, and the cascades from users and pools.
CREATE INDEX refresh_families_user ON refresh_families (pool_id, sub);
-- Garbage collection.
CREATE INDEX refresh_families_expires ON refresh_families (expires_at);

CREATE TABLE refresh_tokens (
    id          TEXT COLLATE "C" NOT NULL,
    family_id   TEXT COLLATE "C" NOT NULL,
    secret_hash BYTEA  NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    replaced_at BIGINT,             -- NULL while current
    CONSTRAINT refresh_tokens_pkey PRIMARY KEY (id),
    CONSTRAINT refresh_tokens_family_fkey FOREIGN KEY (family_id) REFERENCES refresh_families (id) ON DELETE CASCADE
);
-- The cascade from refresh_families, and the garbage collection's join.
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
