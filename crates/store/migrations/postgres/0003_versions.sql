-- Groups and roles carry a version: the same as migrations/sqlite/0003; and changes are
-- announced to listening workstations.

ALTER TABLE groups ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE roles ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

-- Every change writes audit entries and every sign-in an event, so a notification after
-- either wakes the other workstations' windows at once (LISTEN roster_changes). PostgreSQL
-- delivers it when the transaction commits, and only once per transaction.
CREATE FUNCTION roster_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('roster_changes', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER audit_log_notify AFTER INSERT ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION roster_notify_change();
CREATE TRIGGER sign_in_events_notify AFTER INSERT ON sign_in_events
    FOR EACH STATEMENT EXECUTE FUNCTION roster_notify_change();
