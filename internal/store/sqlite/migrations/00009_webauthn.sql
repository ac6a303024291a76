-- Passkeys (WebAuthn credentials) users register with
-- StartWebAuthnRegistration and CompleteWebAuthnRegistration.

-- +goose Up
-- A passkey belongs to a user and goes with it (and with its pool). Its id
-- is unique within the pool; the methods also match the sub, so a passkey
-- is found only through its owner.
CREATE TABLE webauthn_credentials (
    pool_id          TEXT    NOT NULL,
    credential_id    TEXT    NOT NULL, -- base64url, as clients name it
    sub              TEXT    NOT NULL,
    relying_party_id TEXT    NOT NULL,
    friendly_name    TEXT    NOT NULL DEFAULT '',
    attachment       TEXT    NOT NULL DEFAULT '',
    transports       TEXT    NOT NULL DEFAULT '', -- comma-separated
    data             BLOB    NOT NULL, -- the verifier's credential, JSON
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    PRIMARY KEY (pool_id, credential_id),
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);
-- ListWebAuthnCredentials, and the cascade from users.
CREATE INDEX webauthn_credentials_user ON webauthn_credentials (pool_id, sub, credential_id);

-- +goose Down
DROP TABLE webauthn_credentials;
