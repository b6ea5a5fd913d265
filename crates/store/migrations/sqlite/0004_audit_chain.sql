-- Tamper evidence for the audit trail (roster_core::audit_chain): every entry carries the
-- hash of the entry before it and a hash over that and its own content.
ALTER TABLE audit_log ADD COLUMN prev_hash BLOB;
ALTER TABLE audit_log ADD COLUMN hash BLOB;

-- The chain's two ends. `base_hash` is the prev_hash the oldest kept entry carries (zeros
-- until a purge); `head_hash` the hash of the newest entry. NULL until Roster has chained
-- the entries written before this migration, which it does when it opens the database.
-- Every write transaction writes it, so writers chain their entries in turn.
CREATE TABLE audit_chain (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    base_hash         BLOB NOT NULL,
    head_hash         BLOB,
    purged_through_id INTEGER,
    purged_through_at INTEGER
);
INSERT INTO audit_chain (id, base_hash) VALUES (1, zeroblob(32));

-- The Audit log screen's filters and retention's purge.
CREATE INDEX audit_log_actor ON audit_log (actor, id);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX sign_in_events_at ON sign_in_events (at);
