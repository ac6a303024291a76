-- The SAML assertions the pools' service provider has accepted, so that
-- each is accepted once by every node sharing the database. The id is the
-- hex SHA-256 of the assertion's ID, recorded per pool and provider (an
-- assertion ID is unique only among its issuer's). The primary key is
-- what makes consuming atomic: of two nodes inserting the same assertion
-- at once, one inserts and the other conflicts. provider_name has no
-- foreign key: a provider deleted and made again under the same name
-- must still refuse the assertions its namesake accepted until they
-- expire, minutes later.

-- +goose Up
CREATE TABLE saml_assertions (
    pool_id       TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    provider_name TEXT    NOT NULL,
    id_hash       TEXT    NOT NULL,
    expires_at    INTEGER NOT NULL,
    PRIMARY KEY (pool_id, provider_name, id_hash)
);
-- Garbage collection.
CREATE INDEX saml_assertions_expires ON saml_assertions (expires_at);

-- +goose Down
DROP TABLE saml_assertions;
