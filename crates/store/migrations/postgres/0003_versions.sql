-- Groups and roles carry a version: the same as migrations/sqlite/0003.

ALTER TABLE groups ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE roles ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
