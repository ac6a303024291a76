-- Named configuration documents of a pool that its record has no place
-- for (store.PoolSettings): the risk configurations of the pool and of its
-- clients. They go with their pool.

-- +goose Up
CREATE TABLE pool_settings (
    pool_id    TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    value      BLOB    NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (pool_id, name)
);

-- +goose Down
DROP TABLE pool_settings;
