-- Roster's directory: users, their organizations, teams, tags, roles, groups and the audit
-- trail. Timestamps are milliseconds since the Unix epoch (UTC), the same on every backend.

CREATE TABLE roles (
    name        TEXT PRIMARY KEY COLLATE NOCASE,
    built_in    INTEGER NOT NULL DEFAULT 0,
    description TEXT NOT NULL DEFAULT ''
);

INSERT INTO roles (name, built_in, description) VALUES
    ('owner',    1, 'Everything, including roles and settings'),
    ('admin',    1, 'Manages users, groups and tokens'),
    ('helpdesk', 1, 'Views users, resets passwords and 2FA, unlocks, issues tokens'),
    ('auditor',  1, 'Reads everything, including the audit trail; changes nothing'),
    ('user',     1, 'Self-service only');

CREATE TABLE organizations (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

CREATE TABLE teams (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    username            TEXT NOT NULL COLLATE NOCASE,
    username_key        TEXT NOT NULL,
    email               TEXT NOT NULL COLLATE NOCASE,
    email_key           TEXT NOT NULL,
    first_name          TEXT NOT NULL COLLATE NOCASE,
    last_name           TEXT NOT NULL COLLATE NOCASE,
    phone               TEXT,
    organization_id     INTEGER REFERENCES organizations (id),
    team_id             INTEGER REFERENCES teams (id),
    role                TEXT NOT NULL COLLATE NOCASE REFERENCES roles (name) ON UPDATE CASCADE,
    identity_provider   TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('staged', 'active', 'suspended', 'locked',
                            'auto_locked', 'awaiting_new_password', 'recovery')),
    two_factor          TEXT NOT NULL CHECK (two_factor IN ('not_configured', 'pending_activation',
                            'active', 'not_available')),
    created_at          INTEGER NOT NULL,
    modified_at         INTEGER NOT NULL,
    last_sign_in_at     INTEGER,
    password_changed_at INTEGER,
    created_by          TEXT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1
);

CREATE UNIQUE INDEX users_username_key ON users (username_key);
CREATE UNIQUE INDEX users_email_key ON users (email_key);
-- One index per sortable column, with the id tie-break, so a sorted page is an index walk.
CREATE INDEX users_sort_first_name ON users (first_name, id);
CREATE INDEX users_sort_last_name ON users (last_name, id);
CREATE INDEX users_sort_username ON users (username, id);
CREATE INDEX users_sort_email ON users (email, id);
CREATE INDEX users_sort_status ON users (status, id);
CREATE INDEX users_sort_two_factor ON users (two_factor, id);
CREATE INDEX users_sort_role ON users (role, id);
CREATE INDEX users_sort_created ON users (created_at, id);
CREATE INDEX users_sort_modified ON users (modified_at, id);
CREATE INDEX users_sort_last_sign_in ON users (last_sign_in_at, id);
CREATE INDEX users_organization ON users (organization_id, id);
CREATE INDEX users_team ON users (team_id, id);

-- Substring search over names, username and email without scanning every row.
CREATE VIRTUAL TABLE users_fts USING fts5 (
    first_name, last_name, username, email,
    content = 'users', content_rowid = 'id',
    tokenize = 'trigram remove_diacritics 1'
);

CREATE TRIGGER users_fts_insert AFTER INSERT ON users BEGIN
    INSERT INTO users_fts (rowid, first_name, last_name, username, email)
    VALUES (new.id, new.first_name, new.last_name, new.username, new.email);
END;

CREATE TRIGGER users_fts_delete AFTER DELETE ON users BEGIN
    INSERT INTO users_fts (users_fts, rowid, first_name, last_name, username, email)
    VALUES ('delete', old.id, old.first_name, old.last_name, old.username, old.email);
END;

CREATE TRIGGER users_fts_update AFTER UPDATE OF first_name, last_name, username, email ON users BEGIN
    INSERT INTO users_fts (users_fts, rowid, first_name, last_name, username, email)
    VALUES ('delete', old.id, old.first_name, old.last_name, old.username, old.email);
    INSERT INTO users_fts (rowid, first_name, last_name, username, email)
    VALUES (new.id, new.first_name, new.last_name, new.username, new.email);
END;

CREATE TABLE user_tags (
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tag_key  TEXT NOT NULL,
    tag      TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (user_id, tag_key)
) WITHOUT ROWID;

CREATE INDEX user_tags_tag ON user_tags (tag_key);

CREATE TABLE groups (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    name_key        TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    organization_id INTEGER REFERENCES organizations (id),
    created_by      TEXT NOT NULL,
    created_at      INTEGER NOT NULL
);

-- Group names are unique within an organization (no organization counts as one).
CREATE UNIQUE INDEX groups_name_key ON groups (coalesce(organization_id, 0), name_key);

CREATE TABLE group_members (
    group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;

CREATE INDEX group_members_user ON group_members (user_id);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    workstation TEXT NOT NULL,
    origin      TEXT NOT NULL,
    action      TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_id   INTEGER NOT NULL,
    target_name TEXT NOT NULL,
    changes     TEXT NOT NULL
);

CREATE INDEX audit_log_target ON audit_log (target_kind, target_id, id);
