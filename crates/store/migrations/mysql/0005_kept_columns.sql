-- Values kept on the row: the same as migrations/sqlite/0005.
ALTER TABLE users
    ADD COLUMN organization_name VARCHAR(255),
    ADD COLUMN team_name VARCHAR(255),
    ADD COLUMN group_count BIGINT NOT NULL DEFAULT 0;

UPDATE users SET
    organization_name = (SELECT name FROM organizations o WHERE o.id = users.organization_id),
    team_name = (SELECT name FROM teams t WHERE t.id = users.team_id),
    group_count = (SELECT count(*) FROM group_members gm WHERE gm.user_id = users.id);

CREATE INDEX users_sort_organization ON users (organization_name, id);
CREATE INDEX users_sort_team ON users (team_name, id);
CREATE INDEX users_sort_group_count ON users (group_count, id);

ALTER TABLE `groups` ADD COLUMN member_count BIGINT NOT NULL DEFAULT 0;
UPDATE `groups` SET member_count =
    (SELECT count(*) FROM group_members gm WHERE gm.group_id = `groups`.id);

CREATE TABLE user_state_counts (
    status     VARCHAR(32) NOT NULL,
    two_factor VARCHAR(32) NOT NULL,
    n          BIGINT NOT NULL,
    PRIMARY KEY (status, two_factor)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
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
