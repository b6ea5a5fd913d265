-- Other workstations hear of a change when it commits (LISTEN roster_changes, migration
-- 0010), not only once its audit entries are chained out of audit_pending (0011).
DROP TRIGGER IF EXISTS audit_pending_notify ON audit_pending;
CREATE TRIGGER audit_pending_notify AFTER INSERT ON audit_pending
    FOR EACH STATEMENT EXECUTE FUNCTION roster_notify_change();
