-- A signed-in session is checked against its account on every command. The account's
-- generation moves with every change of its status, role, scope, role permissions or
-- secrets, so one read tells whether the session still speaks for the account.
ALTER TABLE users ADD COLUMN session_generation INTEGER NOT NULL DEFAULT 0;

-- Which directory this is, so a session opened on one database is never carried over to
-- another that happens to have an account with the same id. Not copied by `db copy`: a
-- copy is a directory of its own.
CREATE TABLE directory (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    uid TEXT NOT NULL
);

INSERT INTO directory (id, uid) VALUES (1, lower(hex(randomblob(16))));

-- A one-time code in a message is readable only by someone who may set that account's
-- password: a message names its account, and keeps its code apart from the body so the
-- outbox can hide it from everyone else and drop it once the message was delivered.
ALTER TABLE outbox ADD COLUMN user_id INTEGER;
ALTER TABLE outbox ADD COLUMN secret TEXT;
UPDATE outbox SET user_id = (SELECT u.id FROM users u WHERE u.email_key = lower(outbox.to_address))
WHERE kind IN ('invitation', 'recovery');
-- Messages written before knew no place for the code but the body: the whole body is the
-- secret while it waits, and a delivered one keeps no text.
UPDATE outbox SET secret = body WHERE kind IN ('invitation', 'recovery') AND status <> 'sent';
UPDATE outbox SET body = '[the text of this message held a one-time code and is no longer kept]'
WHERE kind IN ('invitation', 'recovery') AND status = 'sent';
