-- Facts about the database itself rather than its pools (store.Meta): a
-- few named values, each written once. The first is the data key's check
-- value, a fixed plaintext sealed with the key the database was made with,
-- which a node reads at start-up to refuse a key that is not that one.
--
-- A database from before this migration has no check value; the first
-- node to start on it stores one with its own key.

-- +goose Up
CREATE TABLE metadata (
    name  TEXT NOT NULL PRIMARY KEY,
    value BLOB NOT NULL
);

-- +goose Down
DROP TABLE metadata;
