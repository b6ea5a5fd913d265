-- No two users have names that look alike ("аdmin" with a Cyrillic а beside "admin",
-- "user1" beside "userl"): each row keeps the confusable skeleton (Unicode TS #39) of its
-- username and email, as `roster_core::lookalike_key` computes it. SQL cannot compute a
-- skeleton, so the program fills in the rows written before on its first open after this
-- migration. The write that sets a name checks them, not a unique index: a directory
-- written before may already hold such a pair, and it must still open.
ALTER TABLE users ADD COLUMN username_lookalike TEXT;
ALTER TABLE users ADD COLUMN email_lookalike TEXT;
CREATE INDEX users_username_lookalike ON users (username_lookalike);
CREATE INDEX users_email_lookalike ON users (email_lookalike);
