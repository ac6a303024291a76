-- Named configuration documents of a pool, the PostgreSQL twin of
-- sqlite/migrations/00011_pool_settings.sql (store.PoolSettings): the risk
-- configurations of the pool and of its clients. They go with their pool.

-- +goose Up
CREATE TABLE pool_settings (
    pool_id    TEXT COLLATE "C" NOT NULL,
    name       TEXT COLLATE "C" NOT NULL,
    value      BYTEA  NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT pool_settings_pkey PRIMARY KEY (pool_id, name),
    CONSTRAINT pool_settings_pool_fkey FOREIGN KEY (pool_id) REFERENCES pools (id) ON DELETE CASCADE
);

-- +goose Down
DROP TABLE pool_settings;
