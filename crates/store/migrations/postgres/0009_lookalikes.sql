-- Names that look alike: as migrations/sqlite/0009.
ALTER TABLE users ADD COLUMN username_lookalike TEXT;
ALTER TABLE users ADD COLUMN email_lookalike TEXT;
CREATE INDEX users_username_lookalike ON users (username_lookalike);
CREATE INDEX users_email_lookalike ON users (email_lookalike);
