-- The organizations a console account administers. An account with none administers the
-- whole directory; one with any sees and changes only what belongs to those.
CREATE TABLE account_organizations (
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    PRIMARY KEY (user_id, organization_id)
);
CREATE INDEX account_organizations_organization ON account_organizations (organization_id);
