-- Short search words use a prefix index; search triggers fire only when a searched column
-- really changes. This was first written into 0001 after 0001 had shipped, so databases
-- made before that edit no longer opened (the migrator refuses a changed migration). 0001
-- is back as it shipped, a database made with the edited text is accepted as well (see
-- `EDITED_AFTER_SHIPPING` in the store), and this migration brings both to one schema:
-- every statement holds on either.
DROP TRIGGER IF EXISTS users_fts_insert;
DROP TRIGGER IF EXISTS users_fts_delete;
DROP TRIGGER IF EXISTS users_fts_update;
DROP TRIGGER IF EXISTS users_search_insert;
DROP TRIGGER IF EXISTS users_search_delete;
DROP TRIGGER IF EXISTS users_search_update;

-- Words of three or more characters match anywhere (users_fts, trigrams); shorter words
-- match the start of a word, which a trigram index cannot answer.
CREATE VIRTUAL TABLE IF NOT EXISTS users_prefix USING fts5 (
    first_name, last_name, username, email,
    content = 'users', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2'
);

-- Indexed once, where it is new: a database made with the edited 0001 has it filled.
INSERT INTO users_prefix (rowid, first_name, last_name, username, email)
SELECT id, first_name, last_name, username, email FROM users
WHERE NOT EXISTS (SELECT 1 FROM users_prefix_docsize);

CREATE TRIGGER users_search_insert AFTER INSERT ON users BEGIN
    INSERT INTO users_fts (rowid, first_name, last_name, username, email)
    VALUES (new.id, new.first_name, new.last_name, new.username, new.email);
    INSERT INTO users_prefix (rowid, first_name, last_name, username, email)
    VALUES (new.id, new.first_name, new.last_name, new.username, new.email);
END;

CREATE TRIGGER users_search_delete AFTER DELETE ON users BEGIN
    INSERT INTO users_fts (users_fts, rowid, first_name, last_name, username, email)
    VALUES ('delete', old.id, old.first_name, old.last_name, old.username, old.email);
    INSERT INTO users_prefix (users_prefix, rowid, first_name, last_name, username, email)
    VALUES ('delete', old.id, old.first_name, old.last_name, old.username, old.email);
END;

-- Only when a searched column really changes: status changes must not rewrite the index.
CREATE TRIGGER users_search_update AFTER UPDATE OF first_name, last_name, username, email ON users
WHEN old.first_name IS NOT new.first_name OR old.last_name IS NOT new.last_name
  OR old.username IS NOT new.username OR old.email IS NOT new.email
BEGIN
    INSERT INTO users_fts (users_fts, rowid, first_name, last_name, username, email)
    VALUES ('delete', old.id, old.first_name, old.last_name, old.username, old.email);
    INSERT INTO users_fts (rowid, first_name, last_name, username, email)
    VALUES (new.id, new.first_name, new.last_name, new.username, new.email);
    INSERT INTO users_prefix (users_prefix, rowid, first_name, last_name, username, email)
    VALUES ('delete', old.id, old.first_name, old.last_name, old.username, old.email);
    INSERT INTO users_prefix (rowid, first_name, last_name, username, email)
    VALUES (new.id, new.first_name, new.last_name, new.username, new.email);
END;
