-- User import jobs (CreateUserImportJob) and their CSV files. The file is
-- kept in the database, not in the data directory, so that whichever node
-- runs the job can read it and nothing is lost on a restart; it is dropped
-- (csv set to NULL, csv_size kept) once the job has ended. Jobs go with
-- their pool.

-- +goose Up
CREATE TABLE import_jobs (
    pool_id      TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    id           TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    role_arn     TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    started_at   INTEGER,
    completed_at INTEGER,
    updated_at   INTEGER NOT NULL,
    imported     INTEGER NOT NULL DEFAULT 0,
    skipped      INTEGER NOT NULL DEFAULT 0,
    failed       INTEGER NOT NULL DEFAULT 0,
    message      TEXT    NOT NULL DEFAULT '',
    csv_size     INTEGER NOT NULL DEFAULT -1,
    csv          BLOB,
    PRIMARY KEY (pool_id, id)
);

-- +goose Down
DROP TABLE import_jobs;
