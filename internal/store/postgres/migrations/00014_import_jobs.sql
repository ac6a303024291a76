-- User import jobs and their CSV files, the PostgreSQL twin of
-- sqlite/migrations/00014_import_jobs.sql. The file is kept in the
-- database so that whichever node runs the job can read it and nothing is
-- lost on a restart; it is dropped (csv set to NULL, csv_size kept) once
-- the job has ended. Jobs go with their pool.

-- +goose Up
CREATE TABLE import_jobs (
    pool_id      TEXT COLLATE "C" NOT NULL,
    id           TEXT COLLATE "C" NOT NULL,
    name         TEXT   NOT NULL,
    role_arn     TEXT   NOT NULL,
    status       TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    started_at   BIGINT,
    completed_at BIGINT,
    updated_at   BIGINT NOT NULL,
    imported     BIGINT NOT NULL DEFAULT 0,
    skipped      BIGINT NOT NULL DEFAULT 0,
    failed       BIGINT NOT NULL DEFAULT 0,
    message      TEXT   NOT NULL DEFAULT '',
    csv_size     BIGINT NOT NULL DEFAULT -1,
    csv          BYTEA,
    CONSTRAINT import_jobs_pkey PRIMARY KEY (pool_id, id),
    CONSTRAINT import_jobs_pool_fkey FOREIGN KEY (pool_id) REFERENCES pools (id) ON DELETE CASCADE
);

-- +goose Down
DROP TABLE import_jobs;
