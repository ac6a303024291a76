-- The first schema. Every uniqueness rule the store promises is a
-- constraint here, so two requests racing past a Go check still cannot both
-- win. Times are integer unix milliseconds (UTC by construction); JSON
-- documents the store does not interpret are BLOBs.

-- +goose Up
CREATE TABLE pools (
    id         TEXT    NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL,
    settings   BLOB,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Client ids are the primary key on their own, not per pool: the hosted
-- endpoints find the pool from client_id alone.
CREATE TABLE clients (
    id            TEXT    NOT NULL PRIMARY KEY,
    pool_id       TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    settings      BLOB,
    secret_hash   BLOB,
    secret_sealed BLOB,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX clients_pool ON clients (pool_id, id);

CREATE TABLE domains (
    domain     TEXT    NOT NULL PRIMARY KEY,
    pool_id    TEXT    NOT NULL UNIQUE REFERENCES pools (id) ON DELETE CASCADE,
    settings   BLOB,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE resource_servers (
    pool_id    TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    identifier TEXT NOT NULL,
    name       TEXT NOT NULL,
    scopes     TEXT NOT NULL DEFAULT '[]', -- JSON array of {"Name","Description"}
    PRIMARY KEY (pool_id, identifier)
);

CREATE TABLE groups (
    pool_id     TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL,
    role_arn    TEXT    NOT NULL,
    precedence  INTEGER,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (pool_id, name)
);

-- The constraint errors name the columns (users.username_key,
-- users.alias_email, ...); the store maps them to ConflictError.Field, so
-- renaming a column means updating conflictField in users.go.
CREATE TABLE users (
    pool_id                  TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    sub                      TEXT    NOT NULL,
    username                 TEXT    NOT NULL,
    username_key             TEXT    NOT NULL,
    status                   TEXT    NOT NULL,
    enabled                  INTEGER NOT NULL,
    password_hash            TEXT    NOT NULL,
    alias_email              TEXT    NOT NULL DEFAULT '',
    alias_phone              TEXT    NOT NULL DEFAULT '',
    alias_preferred_username TEXT    NOT NULL DEFAULT '',
    created_at               INTEGER NOT NULL,
    updated_at               INTEGER NOT NULL,
    password_updated_at      INTEGER NOT NULL,
    PRIMARY KEY (pool_id, sub),
    UNIQUE (pool_id, username_key)
);
-- Partial indexes: an empty alias means "no alias" and must never collide.
CREATE UNIQUE INDEX users_alias_email ON users (pool_id, alias_email) WHERE alias_email <> '';
CREATE UNIQUE INDEX users_alias_phone ON users (pool_id, alias_phone) WHERE alias_phone <> '';
CREATE UNIQUE INDEX users_alias_preferred_username ON users (pool_id, alias_preferred_username) WHERE alias_preferred_username <> '';

-- One row per attribute rather than a JSON document, so ListUsers filters
-- are index lookups instead of scans of every user.
CREATE TABLE user_attributes (
    pool_id  TEXT    NOT NULL,
    sub      TEXT    NOT NULL,
    position INTEGER NOT NULL,
    name     TEXT    NOT NULL,
    value    TEXT    NOT NULL,
    PRIMARY KEY (pool_id, sub, position),
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);
CREATE INDEX user_attributes_filter ON user_attributes (pool_id, name, value);

CREATE TABLE group_members (
    pool_id    TEXT NOT NULL,
    group_name TEXT NOT NULL,
    sub        TEXT NOT NULL,
    PRIMARY KEY (pool_id, group_name, sub),
    FOREIGN KEY (pool_id, group_name) REFERENCES groups (pool_id, name) ON DELETE CASCADE,
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);
-- ListGroupsForUser, and the cascade from users (SQLite needs an index on
-- the child columns to avoid a scan per deleted user).
CREATE INDEX group_members_user ON group_members (pool_id, sub, group_name);

-- +goose Down
DROP TABLE group_members;
DROP TABLE user_attributes;
DROP TABLE users;
DROP TABLE groups;
DROP TABLE resource_servers;
DROP TABLE domains;
DROP TABLE clients;
DROP TABLE pools;
