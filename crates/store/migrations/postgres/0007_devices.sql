-- Devices: as migrations/sqlite/0007.
CREATE TABLE devices (
    id               BIGSERIAL PRIMARY KEY,
    name             TEXT NOT NULL,
    name_key         TEXT NOT NULL,
    os               TEXT NOT NULL CHECK (os IN ('windows', 'macos', 'linux', 'android', 'ios')),
    model            TEXT NOT NULL,
    serial           TEXT NOT NULL,
    serial_scope     BIGINT NOT NULL,
    serial_key       TEXT,
    organization_id  BIGINT REFERENCES organizations (id),
    owner_id         BIGINT REFERENCES users (id) ON DELETE SET NULL,
    token_id         BIGINT REFERENCES user_tokens (id) ON DELETE SET NULL,
    token_last4      TEXT,
    enrolled_at      BIGINT NOT NULL,
    enrolled_by      TEXT NOT NULL,
    last_activity_at BIGINT,
    state            TEXT NOT NULL CHECK (state IN ('active', 'retired')),
    version          BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX devices_serial ON devices (serial_scope, serial_key);
CREATE INDEX devices_owner ON devices (owner_id, id);
CREATE INDEX devices_sort_name ON devices (name_key, id);
CREATE INDEX devices_sort_enrolled ON devices (enrolled_at, id);
CREATE INDEX devices_sort_last_activity ON devices (last_activity_at, id);
CREATE INDEX devices_organization ON devices (organization_id, name_key, id);

ALTER TABLE users ADD COLUMN device_count BIGINT NOT NULL DEFAULT 0;
CREATE INDEX users_sort_device_count ON users (device_count, id);

ALTER TABLE user_tokens ADD COLUMN last_used_at BIGINT;
