-- Upstream identities linked to existing users (AdminLinkProviderForUser,
-- store.ProviderLinks): an identity of a provider, named by the provider's
-- user id (attribute Cognito_Subject) or by a mapped attribute's value,
-- signs in as the user. An identity links to one user at most, which the
-- primary key enforces; links go with their user, their provider and their
-- pool.

-- +goose Up
CREATE TABLE provider_links (
    pool_id         TEXT    NOT NULL,
    provider_name   TEXT    NOT NULL,
    attribute_name  TEXT    NOT NULL,
    attribute_value TEXT    NOT NULL,
    sub             TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (pool_id, provider_name, attribute_name, attribute_value),
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE,
    FOREIGN KEY (pool_id, provider_name) REFERENCES identity_providers (pool_id, name) ON DELETE CASCADE
);
CREATE INDEX provider_links_user ON provider_links (pool_id, sub);

-- +goose Down
DROP TABLE provider_links;
