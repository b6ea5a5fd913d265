-- Attributes admins define, and each user's values: the same as migrations/sqlite/0013.
-- Values are compared as written (utf8mb4_bin), as on the other backends.
CREATE TABLE attributes (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    name            VARCHAR(40) COLLATE utf8mb4_bin NOT NULL UNIQUE,
    label           VARCHAR(255) NOT NULL,
    kind            VARCHAR(20) NOT NULL,
    choices         TEXT NOT NULL,
    required        BOOLEAN NOT NULL DEFAULT FALSE,
    is_unique       BOOLEAN NOT NULL DEFAULT FALSE,
    organization_id BIGINT,
    created_at      BIGINT NOT NULL,
    created_by      VARCHAR(255) NOT NULL,
    CONSTRAINT attributes_organization_fk FOREIGN KEY (organization_id)
        REFERENCES organizations (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE user_attributes (
    user_id      BIGINT NOT NULL,
    attribute_id BIGINT NOT NULL,
    value        VARCHAR(200) COLLATE utf8mb4_bin NOT NULL,
    unique_value VARCHAR(200) COLLATE utf8mb4_bin,
    PRIMARY KEY (user_id, attribute_id),
    INDEX user_attributes_value (attribute_id, value, user_id),
    UNIQUE INDEX user_attributes_unique (attribute_id, unique_value),
    CONSTRAINT user_attributes_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT user_attributes_attribute_fk FOREIGN KEY (attribute_id)
        REFERENCES attributes (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
