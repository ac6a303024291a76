-- SRP and remembered devices: the user columns of the SRP salt and
-- verifier (USER_SRP_AUTH), and the devices users confirm with
-- ConfirmDevice (DEVICE_SRP_AUTH).
--
-- The user columns are NULL for users whose password was set before this
-- migration: their verifier cannot be computed without the password, so
-- they sign in with SRP only once they set a new one.

-- +goose Up
ALTER TABLE users ADD COLUMN srp_salt     BLOB;
ALTER TABLE users ADD COLUMN srp_verifier BLOB;

-- A device belongs to a user and goes with it (and with its pool). The key
-- is "<region>_<uuid>", unique across pools; the methods also match the
-- pool and sub so a device is found only through its owner.
CREATE TABLE devices (
    device_key            TEXT    NOT NULL PRIMARY KEY,
    pool_id               TEXT    NOT NULL,
    sub                   TEXT    NOT NULL,
    group_key             TEXT    NOT NULL,
    name                  TEXT    NOT NULL DEFAULT '',
    salt                  BLOB    NOT NULL,
    verifier              BLOB    NOT NULL,
    remembered_status     TEXT    NOT NULL, -- "remembered" or "not_remembered"
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    last_authenticated_at INTEGER NOT NULL,
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);
-- ListDevices, and the cascade from users.
CREATE INDEX devices_user ON devices (pool_id, sub, device_key);
-- DeleteDevice revokes the families bound to the device through the
-- existing refresh_families_user index: a user has few families.

-- +goose Down
DROP TABLE devices;
ALTER TABLE users DROP COLUMN srp_verifier;
ALTER TABLE users DROP COLUMN srp_salt;
