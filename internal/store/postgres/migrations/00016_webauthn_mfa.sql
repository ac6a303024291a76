-- Passkey MFA, the PostgreSQL twin of sqlite/migrations/00016_webauthn_mfa.sql:
-- whether the user turned on passkeys as MFA (WebAuthnMfaSettings of
-- SetUserMFAPreference). Off for every existing user.

-- +goose Up
ALTER TABLE users ADD COLUMN mfa_webauthn_enabled BOOLEAN NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE users DROP COLUMN mfa_webauthn_enabled;
