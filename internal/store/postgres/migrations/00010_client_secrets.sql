-- Client secret rotation, the PostgreSQL twin of
-- sqlite/migrations/00010_client_secrets.sql: an app client holds up to
-- two secrets, both accepted, each with its creation time, from which its
-- ClientSecretId is made. secret_created_at is NULL for secrets made
-- before this migration, which are read as made with the client.

-- +goose Up
ALTER TABLE clients ADD COLUMN secret_created_at BIGINT;
ALTER TABLE clients ADD COLUMN secret2_hash BYTEA;
ALTER TABLE clients ADD COLUMN secret2_sealed BYTEA;
ALTER TABLE clients ADD COLUMN secret2_created_at BIGINT;

-- +goose Down
ALTER TABLE clients DROP COLUMN secret2_created_at;
ALTER TABLE clients DROP COLUMN secret2_sealed;
ALTER TABLE clients DROP COLUMN secret2_hash;
ALTER TABLE clients DROP COLUMN secret_created_at;
