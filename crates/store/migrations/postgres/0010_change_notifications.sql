-- Changes are announced to listening workstations. First written into 0003 after 0003 had
-- shipped, so databases made before that edit no longer opened; 0003 is back as it
-- shipped, a database made with the edited text is accepted as well (see
-- `EDITED_AFTER_SHIPPING` in the store), and this migration holds on either.
--
-- Every change writes audit entries and every sign-in an event, so a notification after
-- either wakes the other workstations' windows at once (LISTEN roster_changes). PostgreSQL
-- delivers it when the transaction commits, and only once per transaction.
CREATE OR REPLACE FUNCTION roster_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('roster_changes', '');
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS audit_log_notify ON audit_log;
CREATE TRIGGER audit_log_notify AFTER INSERT ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION roster_notify_change();
DROP TRIGGER IF EXISTS sign_in_events_notify ON sign_in_events;
CREATE TRIGGER sign_in_events_notify AFTER INSERT ON sign_in_events
    FOR EACH STATEMENT EXECUTE FUNCTION roster_notify_change();
