-- Credentials and everything around them: secrets, sign-in events, user tokens, custom
-- role permissions, the organisation's settings and the outbox.

CREATE TABLE credentials (
    user_id         INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    password_hash   TEXT,                        -- Argon2id PHC string
    totp_secret     BLOB,
    totp_last_step  INTEGER,                     -- replay guard
    failed_sign_ins INTEGER NOT NULL DEFAULT 0,
    code_hash       TEXT,                        -- SHA-256 of a pending one-time code
    code_expires_at INTEGER
);

-- Kept when the user is deleted: the trail shows "Deleted User (ID: …)".
CREATE TABLE sign_in_events (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    user_id     INTEGER,
    login       TEXT NOT NULL,
    login_key   TEXT NOT NULL,
    workstation TEXT NOT NULL,
    origin      TEXT NOT NULL,
    success     INTEGER NOT NULL,
    reason      TEXT NOT NULL
);

CREATE INDEX sign_in_events_user ON sign_in_events (user_id, id);
CREATE INDEX sign_in_events_unknown ON sign_in_events (login_key, at) WHERE user_id IS NULL;

CREATE TABLE user_tokens (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,             -- SHA-256; the token itself is never stored
    last4      TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
);

CREATE INDEX user_tokens_user ON user_tokens (user_id, id);
CREATE INDEX user_tokens_expiry ON user_tokens (expires_at, id);

-- Built-in roles' permissions live in code; custom roles' here.
CREATE TABLE role_permissions (
    role       TEXT NOT NULL COLLATE NOCASE REFERENCES roles (name) ON UPDATE CASCADE ON DELETE CASCADE,
    permission TEXT NOT NULL,
    PRIMARY KEY (role, permission)
) WITHOUT ROWID;

-- One row, a JSON document: new settings get defaults without a migration.
CREATE TABLE settings (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value TEXT NOT NULL
);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    created_at      INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    to_address      TEXT NOT NULL,
    to_name         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at INTEGER NOT NULL,
    sent_at         INTEGER
);

CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
