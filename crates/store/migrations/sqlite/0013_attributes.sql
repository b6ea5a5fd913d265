-- Attributes admins define (roster_core::Attribute), and each user's values of them.
-- Choices are kept joined by U+001F, which no checked value holds. A value of a unique
-- attribute is also in unique_value, whose index lets no two users share it (NULLs,
-- the values of other attributes, never collide).
CREATE TABLE attributes (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    label           TEXT NOT NULL,
    kind            TEXT NOT NULL,
    choices         TEXT NOT NULL DEFAULT '',
    required        INTEGER NOT NULL DEFAULT 0,
    is_unique       INTEGER NOT NULL DEFAULT 0,
    organization_id INTEGER REFERENCES organizations (id) ON DELETE CASCADE,
    created_at      INTEGER NOT NULL,
    created_by      TEXT NOT NULL
);

CREATE TABLE user_attributes (
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    attribute_id INTEGER NOT NULL REFERENCES attributes (id) ON DELETE CASCADE,
    value        TEXT NOT NULL,
    unique_value TEXT,
    PRIMARY KEY (user_id, attribute_id)
) WITHOUT ROWID;

-- Filters and sorts by a value walk this; so does removing an attribute.
CREATE INDEX user_attributes_value ON user_attributes (attribute_id, value, user_id);
CREATE UNIQUE INDEX user_attributes_unique ON user_attributes (attribute_id, unique_value);
