-- The tables server writers use so they need not take turns (migrations/postgres/0011).
-- SQLite writers take turns anyway (BEGIN IMMEDIATE) and chain their entries as they
-- write them, so here the tables stay empty; they exist so every backend has one schema.
CREATE TABLE audit_pending (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    batch       INTEGER NOT NULL,
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
CREATE INDEX audit_pending_batch ON audit_pending (batch);

CREATE TABLE user_state_deltas (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    status     TEXT NOT NULL,
    two_factor TEXT NOT NULL,
    n          INTEGER NOT NULL
);

CREATE TABLE name_claims (
    name_hash BLOB PRIMARY KEY
);
