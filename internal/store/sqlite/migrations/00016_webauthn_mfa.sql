-- Passkey MFA: whether the user turned on passkeys as MFA
-- (WebAuthnMfaSettings of SetUserMFAPreference), which lets a passkey
-- signed with user verification satisfy MFA in a pool whose
-- WebAuthnConfiguration.FactorConfiguration is
-- MULTI_FACTOR_WITH_USER_VERIFICATION. Off for every existing user.

-- +goose Up
ALTER TABLE users ADD COLUMN mfa_webauthn_enabled INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE users DROP COLUMN mfa_webauthn_enabled;
