-- Names that look alike: as migrations/sqlite/0009. Binary collation, as the keys have:
-- the skeleton is already the form compared.
ALTER TABLE users
    ADD COLUMN username_lookalike VARCHAR(700) COLLATE utf8mb4_bin NULL,
    ADD COLUMN email_lookalike VARCHAR(700) COLLATE utf8mb4_bin NULL,
    ADD INDEX users_username_lookalike (username_lookalike),
    ADD INDEX users_email_lookalike (email_lookalike);
