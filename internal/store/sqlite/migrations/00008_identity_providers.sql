-- External identity providers of a pool (store.IdentityProviders) and
-- their IdpIdentifiers. An identifier is unique in its pool, which the
-- primary key of idp_identifiers enforces (the provider's row keeps them in
-- order for reading); identifiers go with their
-- provider, and providers with their pool.

-- +goose Up
CREATE TABLE identity_providers (
    pool_id    TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    type       TEXT    NOT NULL,
    settings   BLOB    NOT NULL, -- sealed JSON owned by the userpool package
    identifiers TEXT   NOT NULL DEFAULT '[]', -- JSON array, in the order given
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (pool_id, name)
);

CREATE TABLE idp_identifiers (
    pool_id       TEXT    NOT NULL,
    identifier    TEXT    NOT NULL,
    provider_name TEXT    NOT NULL,
    PRIMARY KEY (pool_id, identifier),
    FOREIGN KEY (pool_id, provider_name) REFERENCES identity_providers (pool_id, name) ON DELETE CASCADE
);
CREATE INDEX idp_identifiers_provider ON idp_identifiers (pool_id, provider_name);

-- The key and self-signed certificate each pool signs SAML requests with
-- (GetSigningCertificate), made on first use.
CREATE TABLE saml_signing_keys (
    pool_id     TEXT NOT NULL,
    sealed      BLOB NOT NULL,
    certificate BLOB NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (pool_id),
    FOREIGN KEY (pool_id) REFERENCES pools (id) ON DELETE CASCADE
);

-- +goose Down
DROP TABLE saml_signing_keys;
DROP TABLE idp_identifiers;
DROP TABLE identity_providers;
