-- Devices: as migrations/sqlite/0007.
CREATE TABLE devices (
    id               BIGINT AUTO_INCREMENT PRIMARY KEY,
    name             VARCHAR(255) NOT NULL,
    name_key         VARCHAR(700) COLLATE utf8mb4_bin NOT NULL,
    os               VARCHAR(16) NOT NULL CHECK (os IN ('windows', 'macos', 'linux', 'android', 'ios')),
    model            VARCHAR(255) NOT NULL,
    serial           VARCHAR(255) NOT NULL,
    serial_scope     BIGINT NOT NULL,
    serial_key       VARCHAR(255) COLLATE utf8mb4_bin,
    organization_id  BIGINT,
    owner_id         BIGINT,
    token_id         BIGINT,
    token_last4      VARCHAR(16),
    enrolled_at      BIGINT NOT NULL,
    enrolled_by      VARCHAR(255) NOT NULL,
    last_activity_at BIGINT,
    state            VARCHAR(16) NOT NULL CHECK (state IN ('active', 'retired')),
    version          BIGINT NOT NULL DEFAULT 1,
    UNIQUE INDEX devices_serial (serial_scope, serial_key),
    INDEX devices_owner (owner_id, id),
    INDEX devices_sort_name (name_key, id),
    INDEX devices_sort_enrolled (enrolled_at, id),
    INDEX devices_sort_last_activity (last_activity_at, id),
    INDEX devices_organization (organization_id, name_key, id),
    CONSTRAINT devices_organization_fk FOREIGN KEY (organization_id) REFERENCES organizations (id),
    CONSTRAINT devices_owner_fk FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT devices_token_fk FOREIGN KEY (token_id) REFERENCES user_tokens (id) ON DELETE SET NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

ALTER TABLE users ADD COLUMN device_count BIGINT NOT NULL DEFAULT 0;
CREATE INDEX users_sort_device_count ON users (device_count, id);

ALTER TABLE user_tokens ADD COLUMN last_used_at BIGINT;
