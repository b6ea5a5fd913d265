-- Roster's directory on MySQL 8 / MariaDB 10.6+: the same tables as migrations/sqlite/0001.
-- Timestamps are milliseconds since the Unix epoch (UTC), the same on every backend.
--
-- Text is utf8mb4 in utf8mb4_unicode_ci (present on MySQL and MariaDB): case- and
-- accent-insensitive, so names sort "émile" beside "Emile" and LIKE finds "García" by
-- "garc". Keys compared for uniqueness (already NFKC-normalised and lower-cased by Roster)
-- are utf8mb4_bin, so "rene" and "rené" stay two users. Indexed text is VARCHAR, sized
-- beyond what Roster's validation lets in.

CREATE TABLE roles (
    name        VARCHAR(100) COLLATE utf8mb4_bin PRIMARY KEY,
    built_in    BOOLEAN NOT NULL DEFAULT FALSE,
    description VARCHAR(1000) NOT NULL DEFAULT ''
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

INSERT INTO roles (name, built_in, description) VALUES
    ('owner',    TRUE, 'Everything, including roles and settings'),
    ('admin',    TRUE, 'Manages users, groups and tokens'),
    ('helpdesk', TRUE, 'Views users, resets passwords and 2FA, unlocks, issues tokens'),
    ('auditor',  TRUE, 'Reads everything, including the audit trail; changes nothing'),
    ('user',     TRUE, 'Self-service only');

CREATE TABLE organizations (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    name       VARCHAR(255) NOT NULL,
    name_key   VARCHAR(700) COLLATE utf8mb4_bin NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE teams (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    name       VARCHAR(255) NOT NULL,
    name_key   VARCHAR(700) COLLATE utf8mb4_bin NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE users (
    id                  BIGINT AUTO_INCREMENT PRIMARY KEY,
    username            VARCHAR(255) NOT NULL,
    username_key        VARCHAR(700) COLLATE utf8mb4_bin NOT NULL,
    email               VARCHAR(320) NOT NULL,
    email_key           VARCHAR(700) COLLATE utf8mb4_bin NOT NULL,
    first_name          VARCHAR(255) NOT NULL,
    last_name           VARCHAR(255) NOT NULL,
    phone               VARCHAR(100),
    organization_id     BIGINT,
    team_id             BIGINT,
    role                VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
    identity_provider   VARCHAR(255) NOT NULL,
    status              VARCHAR(32) NOT NULL CHECK (status IN ('staged', 'active', 'suspended',
                            'locked', 'auto_locked', 'awaiting_new_password', 'recovery')),
    two_factor          VARCHAR(32) NOT NULL CHECK (two_factor IN ('not_configured',
                            'pending_activation', 'active', 'not_available')),
    created_at          BIGINT NOT NULL,
    modified_at         BIGINT NOT NULL,
    last_sign_in_at     BIGINT,
    password_changed_at BIGINT,
    created_by          VARCHAR(255) NOT NULL,
    version             BIGINT NOT NULL DEFAULT 1,
    CONSTRAINT users_organization_fk FOREIGN KEY (organization_id) REFERENCES organizations (id),
    CONSTRAINT users_team_fk FOREIGN KEY (team_id) REFERENCES teams (id),
    CONSTRAINT users_role_fk FOREIGN KEY (role) REFERENCES roles (name) ON UPDATE CASCADE,
    UNIQUE INDEX users_username_key (username_key),
    UNIQUE INDEX users_email_key (email_key),
    -- One index per sortable column, with the id tie-break, so a sorted page is an index walk.
    INDEX users_sort_first_name (first_name, id),
    INDEX users_sort_last_name (last_name, id),
    INDEX users_sort_username (username, id),
    INDEX users_sort_email (email, id),
    INDEX users_sort_phone (phone, id),
    INDEX users_sort_status (status, id),
    INDEX users_sort_two_factor (two_factor, id),
    INDEX users_sort_role (role, id),
    INDEX users_sort_created (created_at, id),
    INDEX users_sort_modified (modified_at, id),
    INDEX users_sort_last_sign_in (last_sign_in_at, id),
    INDEX users_organization (organization_id, id),
    INDEX users_team (team_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE user_tags (
    user_id  BIGINT NOT NULL,
    tag_key  VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
    tag      VARCHAR(255) NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (user_id, tag_key),
    INDEX user_tags_tag (tag_key),
    CONSTRAINT user_tags_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE `groups` (
    id                 BIGINT AUTO_INCREMENT PRIMARY KEY,
    name               VARCHAR(255) NOT NULL,
    name_key           VARCHAR(700) COLLATE utf8mb4_bin NOT NULL,
    description        VARCHAR(1000) NOT NULL DEFAULT '',
    organization_id    BIGINT,
    created_by         VARCHAR(255) NOT NULL,
    created_at         BIGINT NOT NULL,
    -- Group names are unique within an organization (no organization counts as one).
    organization_scope BIGINT AS (coalesce(organization_id, 0)) STORED,
    UNIQUE INDEX groups_name_key (organization_scope, name_key),
    CONSTRAINT groups_organization_fk FOREIGN KEY (organization_id) REFERENCES organizations (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE group_members (
    group_id BIGINT NOT NULL,
    user_id  BIGINT NOT NULL,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, user_id),
    INDEX group_members_user (user_id),
    CONSTRAINT group_members_group_fk FOREIGN KEY (group_id) REFERENCES `groups` (id) ON DELETE CASCADE,
    CONSTRAINT group_members_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE audit_log (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    at          BIGINT NOT NULL,
    actor       VARCHAR(255) NOT NULL,
    workstation VARCHAR(255) NOT NULL,
    origin      VARCHAR(32) NOT NULL,
    action      VARCHAR(100) NOT NULL,
    target_kind VARCHAR(32) NOT NULL,
    target_id   BIGINT NOT NULL,
    target_name TEXT NOT NULL,
    changes     MEDIUMTEXT NOT NULL,
    INDEX audit_log_target (target_kind, target_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- The row writers lock to take turns creating organizations, teams and groups by name
-- (Dialect::lock_new_names): a lock that ends with the transaction.
CREATE TABLE roster_locks (
    name VARCHAR(32) PRIMARY KEY
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

INSERT INTO roster_locks (name) VALUES ('new_names');
