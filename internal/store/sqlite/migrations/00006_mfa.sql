-- Multi-factor authentication: the user's MFA settings and TOTP
-- authenticator, and the part of a pool's MFA configuration its settings
-- document has no member for.
--
-- The TOTP secrets are sealed with the server's data key (never stored in
-- the clear) and NULL when the user has none. Every column has a value that
-- means "MFA not set up", so the rows that exist before this migration need
-- nothing more. It only adds columns, so it applies whether or not 00005
-- ran first.

-- +goose Up
ALTER TABLE users ADD COLUMN mfa_totp_secret    BLOB;
ALTER TABLE users ADD COLUMN mfa_totp_pending   BLOB;
ALTER TABLE users ADD COLUMN mfa_totp_name      TEXT    NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN mfa_totp_last_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN mfa_totp_enabled   INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN mfa_sms_enabled    INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN mfa_email_enabled  INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN mfa_preferred      TEXT    NOT NULL DEFAULT '';

ALTER TABLE pools ADD COLUMN mfa BLOB; -- JSON, NULL until SetUserPoolMfaConfig

-- +goose Down
ALTER TABLE pools DROP COLUMN mfa;
ALTER TABLE users DROP COLUMN mfa_preferred;
ALTER TABLE users DROP COLUMN mfa_email_enabled;
ALTER TABLE users DROP COLUMN mfa_sms_enabled;
ALTER TABLE users DROP COLUMN mfa_totp_enabled;
ALTER TABLE users DROP COLUMN mfa_totp_last_step;
ALTER TABLE users DROP COLUMN mfa_totp_name;
ALTER TABLE users DROP COLUMN mfa_totp_pending;
ALTER TABLE users DROP COLUMN mfa_totp_secret;
