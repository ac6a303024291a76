-- The first schema, the PostgreSQL twin of sqlite/migrations/00001_init.sql:
-- the same tables, keys, uniqueness rules and cascades. Every uniqueness
-- rule the store promises is a constraint here, so two requests racing past
-- a Go check (on one node or on two) still cannot both win.
--
-- Times are BIGINT unix milliseconds, as in SQLite: they compare exactly,
-- carry no zone, and the zero time.Time fits. Documents the store keeps but
-- does not interpret are BYTEA, so they come back byte for byte.
--
-- Text columns that are keys, are ordered by or are filtered with a range
-- use COLLATE "C": byte order, the order of SQLite's BINARY collation and
-- the one the store promises, whatever the database's default collation.
--
-- Constraints are named: the store maps a unique violation to
-- ConflictError.Field by constraint name (users.go), and a name chosen here
-- cannot drift with PostgreSQL's naming rules.

-- +goose Up
CREATE TABLE pools (
    id         TEXT COLLATE "C" NOT NULL,
    name       TEXT   NOT NULL,
    settings   BYTEA,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT pools_pkey PRIMARY KEY (id)
);

-- Client ids are the primary key on their own, not per pool: the hosted
-- endpoints find the pool from client_id alone.
CREATE TABLE clients (
    id            TEXT COLLATE "C" NOT NULL,
    pool_id       TEXT COLLATE "C" NOT NULL,
    name          TEXT   NOT NULL,
    settings      BYTEA,
    secret_hash   BYTEA,
    secret_sealed BYTEA,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    CONSTRAINT clients_pkey PRIMARY KEY (id),
    CONSTRAINT clients_pool_fkey FOREIGN KEY (pool_id) REFERENCES pools (id) ON DELETE CASCADE
);
CREATE INDEX clients_pool ON clients (pool_id, id);

CREATE TABLE domains (
    domain     TEXT COLLATE "C" NOT NULL,
    pool_id    TEXT COLLATE "C" NOT NULL,
    settings   BYTEA,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT domains_pkey PRIMARY KEY (domain),
    CONSTRAINT domains_pool_key UNIQUE (pool_id),
    CONSTRAINT domains_pool_fkey FOREIGN KEY (pool_id) REFERENCES pools (id) ON DELETE CASCADE
);

CREATE TABLE resource_servers (
    pool_id    TEXT COLLATE "C" NOT NULL,
    identifier TEXT COLLATE "C" NOT NULL,
    name       TEXT  NOT NULL,
    scopes     JSONB NOT NULL DEFAULT '[]', -- array of {"Name","Description"}
    CONSTRAINT resource_servers_pkey PRIMARY KEY (pool_id, identifier),
    CONSTRAINT resource_servers_pool_fkey FOREIGN KEY (pool_id) REFERENCES pools (id) ON DELETE CASCADE
);

CREATE TABLE groups (
    pool_id     TEXT COLLATE "C" NOT NULL,
    name        TEXT COLLATE "C" NOT NULL,
    description TEXT   NOT NULL,
    role_arn    TEXT   NOT NULL,
    precedence  BIGINT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    CONSTRAINT groups_pkey PRIMARY KEY (pool_id, name),
    CONSTRAINT groups_pool_fkey FOREIGN KEY (pool_id) REFERENCES pools (id) ON DELETE CASCADE
);

-- users_pkey, users_username_key and the users_alias_* indexes are the
-- names conflictField in users.go maps to ConflictError fields.
CREATE TABLE users (
    pool_id                  TEXT COLLATE "C" NOT NULL,
    sub                      TEXT COLLATE "C" NOT NULL,
    username                 TEXT    NOT NULL,
    username_key             TEXT COLLATE "C" NOT NULL,
    status                   TEXT COLLATE "C" NOT NULL,
    enabled                  BOOLEAN NOT NULL,
    password_hash            TEXT    NOT NULL,
    alias_email              TEXT COLLATE "C" NOT NULL DEFAULT '',
    alias_phone              TEXT COLLATE "C" NOT NULL DEFAULT '',
    alias_preferred_username TEXT COLLATE "C" NOT NULL DEFAULT '',
    created_at               BIGINT  NOT NULL,
    updated_at               BIGINT  NOT NULL,
    password_updated_at      BIGINT  NOT NULL,
    CONSTRAINT users_pkey PRIMARY KEY (pool_id, sub),
    CONSTRAINT users_username_key UNIQUE (pool_id, username_key),
    CONSTRAINT users_pool_fkey FOREIGN KEY (pool_id) REFERENCES pools (id) ON DELETE CASCADE
);
-- Partial indexes: an empty alias means "no alias" and must never collide.
CREATE UNIQUE INDEX users_alias_email ON users (pool_id, alias_email) WHERE alias_email <> '';
CREATE UNIQUE INDEX users_alias_phone ON users (pool_id, alias_phone) WHERE alias_phone <> '';
CREATE UNIQUE INDEX users_alias_preferred_username ON users (pool_id, alias_preferred_username) WHERE alias_preferred_username <> '';

-- One row per attribute rather than a JSON document, so ListUsers filters
-- are index lookups instead of scans of every user.
CREATE TABLE user_attributes (
    pool_id  TEXT COLLATE "C" NOT NULL,
    sub      TEXT COLLATE "C" NOT NULL,
    position INTEGER NOT NULL,
    name     TEXT COLLATE "C" NOT NULL,
    value    TEXT COLLATE "C" NOT NULL,
    CONSTRAINT user_attributes_pkey PRIMARY KEY (pool_id, sub, position),
    CONSTRAINT user_attributes_user_fkey FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);
CREATE INDEX user_attributes_filter ON user_attributes (pool_id, name, value);

CREATE TABLE group_members (
    pool_id    TEXT COLLATE "C" NOT NULL,
    group_name TEXT COLLATE "C" NOT NULL,
    sub        TEXT COLLATE "C" NOT NULL,
    CONSTRAINT group_members_pkey PRIMARY KEY (pool_id, group_name, sub),
    CONSTRAINT group_members_group_fkey FOREIGN KEY (pool_id, group_name) REFERENCES groups (pool_id, name) ON DELETE CASCADE,
    CONSTRAINT group_members_user_fkey FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);
-- ListGroupsForUser, and the cascade from users: PostgreSQL does not index
-- the referencing side of a foreign key by itself.
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
