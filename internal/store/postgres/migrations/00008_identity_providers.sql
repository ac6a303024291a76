-- External identity providers of a pool, the PostgreSQL twin of
-- sqlite/migrations/00008_identity_providers.sql (store.IdentityProviders),
-- and their IdpIdentifiers. An identifier is unique in its pool, which the
-- primary key of idp_identifiers enforces (the provider's row keeps them in
-- order for reading); identifiers go with their
-- provider, and providers with their pool.

-- +goose Up
CREATE TABLE identity_providers (
    pool_id    TEXT COLLATE "C" NOT NULL,
    name       TEXT COLLATE "C" NOT NULL,
    type       TEXT   NOT NULL,
    settings   BYTEA  NOT NULL, -- sealed JSON owned by the userpool package
    identifiers JSONB  NOT NULL DEFAULT '[]', -- array, in the order given
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT identity_providers_pkey PRIMARY KEY (pool_id, name),
    CONSTRAINT identity_providers_pool_fkey FOREIGN KEY (pool_id) REFERENCES pools (id) ON DELETE CASCADE
);

CREATE TABLE idp_identifiers (
    pool_id       TEXT COLLATE "C" NOT NULL,
    identifier    TEXT COLLATE "C" NOT NULL,
    provider_name TEXT COLLATE "C" NOT NULL,
    CONSTRAINT idp_identifiers_pkey PRIMARY KEY (pool_id, identifier),
    CONSTRAINT idp_identifiers_provider_fkey FOREIGN KEY (pool_id, provider_name)
        REFERENCES identity_providers (pool_id, name) ON DELETE CASCADE
);
CREATE INDEX idp_identifiers_provider ON idp_identifiers (pool_id, provider_name);

-- The key and self-signed certificate each pool signs SAML requests with
-- (GetSigningCertificate), made on first use.
CREATE TABLE saml_signing_keys (
    pool_id     TEXT COLLATE "C" NOT NULL,
    sealed      BYTEA NOT NULL,
    certificate BYTEA NOT NULL,
    created_at  BIGINT NOT NULL,
    CONSTRAINT saml_signing_keys_pkey PRIMARY KEY (pool_id),
    CONSTRAINT saml_signing_keys_pool_fkey FOREIGN KEY (pool_id) REFERENCES pools (id) ON DELETE CASCADE
);

-- +goose Down
DROP TABLE saml_signing_keys;
DROP TABLE idp_identifiers;
DROP TABLE identity_providers;
