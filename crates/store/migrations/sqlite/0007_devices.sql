-- Devices, enrolled with a user token or added by an admin. A device belongs to its
-- owner's organization; its serial number is unique within that organization
-- (serial_scope: the organization's id, 0 for none; a device without a serial has a NULL
-- serial_key, which no unique index compares).
CREATE TABLE devices (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    name_key         TEXT NOT NULL,
    os               TEXT NOT NULL CHECK (os IN ('windows', 'macos', 'linux', 'android', 'ios')),
    model            TEXT NOT NULL,
    serial           TEXT NOT NULL,
    serial_scope     INTEGER NOT NULL,
    serial_key       TEXT,
    organization_id  INTEGER REFERENCES organizations (id),
    -- NULL once the owner was deleted and the device retired.
    owner_id         INTEGER REFERENCES users (id) ON DELETE SET NULL,
    token_id         INTEGER REFERENCES user_tokens (id) ON DELETE SET NULL,
    token_last4      TEXT,
    enrolled_at      INTEGER NOT NULL,
    enrolled_by      TEXT NOT NULL,
    last_activity_at INTEGER,
    state            TEXT NOT NULL CHECK (state IN ('active', 'retired')),
    version          INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX devices_serial ON devices (serial_scope, serial_key);
CREATE INDEX devices_owner ON devices (owner_id, id);
CREATE INDEX devices_sort_name ON devices (name_key, id);
CREATE INDEX devices_sort_enrolled ON devices (enrolled_at, id);
CREATE INDEX devices_sort_last_activity ON devices (last_activity_at, id);
CREATE INDEX devices_organization ON devices (organization_id, name_key, id);

-- Each user's active devices, kept like group_count (0005) for the "# of devices" column.
ALTER TABLE users ADD COLUMN device_count INTEGER NOT NULL DEFAULT 0;
CREATE INDEX users_sort_device_count ON users (device_count, id);

-- When a token last enrolled a device.
ALTER TABLE user_tokens ADD COLUMN last_used_at INTEGER;
