-- Values kept on the row instead of worked out on every read.
--
-- Sort keys on the user row: the organization's and team's names and the number of
-- groups. Sorting by them was a join or a count per row over every user (0.2–1.2 s at a
-- million); with them on the row, indexed, it is an index walk like the last-name sort.
-- The store writes them with the user and recounts groups with every membership change.
ALTER TABLE users ADD COLUMN organization_name TEXT COLLATE NOCASE;
ALTER TABLE users ADD COLUMN team_name TEXT COLLATE NOCASE;
ALTER TABLE users ADD COLUMN group_count INTEGER NOT NULL DEFAULT 0;

UPDATE users SET
    organization_name = (SELECT name FROM organizations o WHERE o.id = users.organization_id),
    team_name = (SELECT name FROM teams t WHERE t.id = users.team_id),
    group_count = (SELECT count(*) FROM group_members gm WHERE gm.user_id = users.id);

CREATE INDEX users_sort_organization ON users (organization_name, id);
CREATE INDEX users_sort_team ON users (team_name, id);
CREATE INDEX users_sort_group_count ON users (group_count, id);

-- Each group's member count: the filter panel and the groups list counted three million
-- memberships for every read (130 ms for 1,000 groups). The store recounts the groups
-- every membership write touches, in the same transaction.
ALTER TABLE "groups" ADD COLUMN member_count INTEGER NOT NULL DEFAULT 0;
UPDATE "groups" SET member_count =
    (SELECT count(*) FROM group_members gm WHERE gm.group_id = "groups".id);

-- How many users are in each status and 2FA state, for the overview: counting them read a
-- million index entries twice (about 200 ms). The store adds and subtracts with every
-- user it inserts, changes or deletes, in the same transaction. One row per pair of
-- states, all there from the start, so a write only ever adds to a row.
CREATE TABLE user_state_counts (
    status     TEXT NOT NULL,
    two_factor TEXT NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (status, two_factor)
);
INSERT INTO user_state_counts (status, two_factor, n) VALUES
    ('staged', 'not_configured', 0), ('staged', 'pending_activation', 0), ('staged', 'active', 0), ('staged', 'not_available', 0),
    ('active', 'not_configured', 0), ('active', 'pending_activation', 0), ('active', 'active', 0), ('active', 'not_available', 0),
    ('suspended', 'not_configured', 0), ('suspended', 'pending_activation', 0), ('suspended', 'active', 0), ('suspended', 'not_available', 0),
    ('locked', 'not_configured', 0), ('locked', 'pending_activation', 0), ('locked', 'active', 0), ('locked', 'not_available', 0),
    ('auto_locked', 'not_configured', 0), ('auto_locked', 'pending_activation', 0), ('auto_locked', 'active', 0), ('auto_locked', 'not_available', 0),
    ('awaiting_new_password', 'not_configured', 0), ('awaiting_new_password', 'pending_activation', 0), ('awaiting_new_password', 'active', 0), ('awaiting_new_password', 'not_available', 0),
    ('recovery', 'not_configured', 0), ('recovery', 'pending_activation', 0), ('recovery', 'active', 0), ('recovery', 'not_available', 0);
UPDATE user_state_counts SET n = (SELECT count(*) FROM users u
    WHERE u.status = user_state_counts.status AND u.two_factor = user_state_counts.two_factor);
