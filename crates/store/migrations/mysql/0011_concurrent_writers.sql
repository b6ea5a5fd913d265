-- Writers on a server no longer take turns on the audit chain's row: the same as
-- migrations/postgres/0011.
CREATE TABLE audit_pending (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    batch       BIGINT NOT NULL,
    at          BIGINT NOT NULL,
    actor       VARCHAR(255) NOT NULL,
    workstation VARCHAR(255) NOT NULL,
    origin      VARCHAR(32) NOT NULL,
    action      VARCHAR(100) NOT NULL,
    target_kind VARCHAR(32) NOT NULL,
    target_id   BIGINT NOT NULL,
    target_name TEXT NOT NULL,
    changes     MEDIUMTEXT NOT NULL,
    INDEX audit_pending_batch (batch)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE user_state_deltas (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    status     VARCHAR(32) NOT NULL,
    two_factor VARCHAR(32) NOT NULL,
    n          BIGINT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE name_claims (
    name_hash BINARY(32) PRIMARY KEY
) ENGINE = InnoDB;
