-- Credentials and everything around them on MySQL / MariaDB: the same tables as
-- migrations/sqlite/0002.

CREATE TABLE credentials (
    user_id         BIGINT PRIMARY KEY,
    password_hash   VARCHAR(255) COLLATE utf8mb4_bin,  -- Argon2id PHC string
    totp_secret     VARBINARY(255),
    totp_last_step  BIGINT,                            -- replay guard
    failed_sign_ins BIGINT NOT NULL DEFAULT 0,
    code_hash       VARCHAR(255) COLLATE utf8mb4_bin,  -- SHA-256 of a pending one-time code
    code_expires_at BIGINT,
    CONSTRAINT credentials_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Kept when the user is deleted: the trail shows "Deleted User (ID: …)".
CREATE TABLE sign_in_events (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    at          BIGINT NOT NULL,
    user_id     BIGINT,
    login       VARCHAR(320) NOT NULL,
    login_key   VARCHAR(700) COLLATE utf8mb4_bin NOT NULL,
    workstation VARCHAR(255) NOT NULL,
    origin      VARCHAR(32) NOT NULL,
    success     BOOLEAN NOT NULL,
    reason      VARCHAR(255) NOT NULL,
    INDEX sign_in_events_user (user_id, id),
    INDEX sign_in_events_login (login_key, at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE user_tokens (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    user_id    BIGINT NOT NULL,
    token_hash VARCHAR(128) COLLATE utf8mb4_bin NOT NULL UNIQUE,  -- SHA-256; never the token
    last4      VARCHAR(16) NOT NULL,
    created_at BIGINT NOT NULL,
    created_by VARCHAR(255) NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT,
    INDEX user_tokens_user (user_id, id),
    INDEX user_tokens_expiry (expires_at, id),
    CONSTRAINT user_tokens_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Built-in roles' permissions live in code; custom roles' here.
CREATE TABLE role_permissions (
    role       VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
    permission VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
    PRIMARY KEY (role, permission),
    CONSTRAINT role_permissions_role_fk FOREIGN KEY (role) REFERENCES roles (name)
        ON UPDATE CASCADE ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- One row, a JSON document: new settings get defaults without a migration.
CREATE TABLE settings (
    id    BIGINT PRIMARY KEY CHECK (id = 1),
    value MEDIUMTEXT COLLATE utf8mb4_bin NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE outbox (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    created_at      BIGINT NOT NULL,
    kind            VARCHAR(64) NOT NULL,
    to_address      VARCHAR(320) NOT NULL,
    to_name         VARCHAR(255) NOT NULL,
    subject         TEXT NOT NULL,
    body            MEDIUMTEXT NOT NULL,
    status          VARCHAR(16) NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
    attempts        BIGINT NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at BIGINT NOT NULL,
    sent_at         BIGINT,
    INDEX outbox_due (status, next_attempt_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
