-- Facts about the database itself, the PostgreSQL twin of
-- sqlite/migrations/00007_metadata.sql (store.Meta): a few named values,
-- each written once. The first is the data key's check value, a fixed
-- plaintext sealed with the key the database was made with, which a node
-- reads at start-up to refuse a key that is not that one.
--
-- A database from before this migration has no check value; the first
-- node to start on it stores one with its own key.

-- +goose Up
CREATE TABLE metadata (
    name  TEXT COLLATE "C" NOT NULL,
    value BYTEA NOT NULL,
    CONSTRAINT metadata_pkey PRIMARY KEY (name)
);

-- +goose Down
DROP TABLE metadata;
