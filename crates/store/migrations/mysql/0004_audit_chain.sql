-- Tamper evidence for the audit trail: the same as migrations/sqlite/0004.
ALTER TABLE audit_log ADD COLUMN prev_hash VARBINARY(32), ADD COLUMN hash VARBINARY(32);

CREATE TABLE audit_chain (
    id                BIGINT PRIMARY KEY CHECK (id = 1),
    base_hash         VARBINARY(32) NOT NULL,
    head_hash         VARBINARY(32),
    purged_through_id BIGINT,
    purged_through_at BIGINT
) ENGINE = InnoDB;
INSERT INTO audit_chain (id, base_hash) VALUES (1, UNHEX(REPEAT('00', 32)));

CREATE INDEX audit_log_actor ON audit_log (actor, id);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX sign_in_events_at ON sign_in_events (at);
