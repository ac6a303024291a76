-- Client secret rotation (AddUserPoolClientSecret): an app client holds up
-- to two secrets, both accepted, each with its creation time, from which
-- its ClientSecretId is made. The first secret keeps its columns; the
-- second has its own. secret_created_at is NULL for secrets made before
-- this migration, which are read as made with the client.

-- +goose Up
ALTER TABLE clients ADD COLUMN secret_created_at INTEGER;
ALTER TABLE clients ADD COLUMN secret2_hash BLOB;
ALTER TABLE clients ADD COLUMN secret2_sealed BLOB;
ALTER TABLE clients ADD COLUMN secret2_created_at INTEGER;

-- +goose Down
ALTER TABLE clients DROP COLUMN secret2_created_at;
ALTER TABLE clients DROP COLUMN secret2_sealed;
ALTER TABLE clients DROP COLUMN secret2_hash;
ALTER TABLE clients DROP COLUMN secret_created_at;
