-- The searched text of a user as one column, computed by the server from the four
-- searched columns (names, username, email; validation keeps them to 561 characters) in
-- the table's case- and accent-insensitive collation, and indexed. Neither MySQL nor
-- MariaDB has an index that finds a substring inside a word, so a search reads every
-- row; this index is that read at a fraction of the table's size (the count of a search
-- scans it without touching the rows). A search word never holds a space, so it never
-- matches across the joins.
ALTER TABLE users
    ADD COLUMN search VARCHAR(700) AS (CONCAT_WS(' ', first_name, last_name, username, email)) VIRTUAL,
    ADD INDEX users_search (search);
