-- Groups and roles carry a version, as users and settings do: a save names the version it
-- edited and is refused when another admin saved in between.

ALTER TABLE groups ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE roles ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
