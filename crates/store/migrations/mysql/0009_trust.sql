-- Sessions follow their account: as migrations/sqlite/0008.
ALTER TABLE users ADD COLUMN session_generation BIGINT NOT NULL DEFAULT 0;

CREATE TABLE directory (
    id  BIGINT PRIMARY KEY CHECK (id = 1),
    uid VARCHAR(64) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

INSERT INTO directory (id, uid) VALUES (1, UUID());

-- A one-time code in a message is readable only by someone who may set that account's
-- password: a message names its account, and keeps its code apart from the body so the
-- outbox can hide it from everyone else and drop it once the message was delivered.
ALTER TABLE outbox ADD COLUMN user_id BIGINT;
ALTER TABLE outbox ADD COLUMN secret TEXT;
UPDATE outbox SET user_id = (SELECT u.id FROM users u WHERE u.email_key = lower(outbox.to_address))
WHERE kind IN ('invitation', 'recovery');
-- Messages written before knew no place for the code but the body: the whole body is the
-- secret while it waits, and a delivered one keeps no text.
UPDATE outbox SET secret = body WHERE kind IN ('invitation', 'recovery') AND status <> 'sent';
UPDATE outbox SET body = '[the text of this message held a one-time code and is no longer kept]'
WHERE kind IN ('invitation', 'recovery') AND status = 'sent';
