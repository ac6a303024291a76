-- The PostgreSQL twin of sqlite/migrations/00017_refresh_tokens_replaced.sql.
-- A rotation deletes its family's tokens rotated out before a cut-off
-- (RotateRefreshToken). Indexed by family alone, that statement visits
-- every token the family still has; indexed by family and replacement
-- time it visits only those it deletes. The new index also serves what
-- the old one did (the cascade from refresh_families, lookups by family),
-- so it replaces it.

-- +goose Up
CREATE INDEX refresh_tokens_family_replaced ON refresh_tokens (family_id, replaced_at);
DROP INDEX refresh_tokens_family;

-- +goose Down
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
DROP INDEX refresh_tokens_family_replaced;
