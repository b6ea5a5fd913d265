//! Attributes admins define (Settings → Attributes, `roster attribute`), and the check of a
//! user's values against them that every write of a user goes through.

use super::*;
use crate::attribute::{
    Attribute, AttributeEdit, AttributeRecord, Attributes, MAX_ATTRIBUTES, NewAttribute,
};

/// Whether a user's values are those of a new user (every required attribute that applies
/// needs one) or an edit's (only the values given are checked; a required one cannot be
/// cleared).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Values {
    New,
    Edit,
}

impl Roster {
    /// The attributes the actor sees: the directory's, and those of the organizations
    /// within their reach, by name.
    pub async fn attributes(&self, actor: &Actor) -> Result<Vec<Attribute>, Error> {
        actor.require(Permission::ViewUsers)?;
        Ok(self.attributes_within(actor).await?)
    }

    pub(super) async fn attributes_within(
        &self,
        actor: &Actor,
    ) -> Result<Vec<Attribute>, StoreError> {
        let mut all = self.repo.attributes().await?;
        all.retain(|a| a.organization_id.is_none() || actor.reaches(a.organization_id));
        Ok(all)
    }

    /// Defines an attribute. One for the whole directory needs an account that
    /// administers the whole directory; a scoped account defines them for its own
    /// organizations only.
    pub async fn define_attribute(
        &self,
        actor: &Actor,
        new: NewAttribute,
    ) -> Result<Attribute, Error> {
        actor.require(Permission::ManageSettings)?;
        let (name, label, kind, choices) = new.check().map_err(Error::Validation)?;
        let organization = new
            .organization
            .as_deref()
            .map(str::trim)
            .filter(|o| !o.is_empty());
        let organization_id = match organization {
            Some(named) => self.chosen_organization(actor, Some(named)).await?,
            None => {
                actor.require_whole_directory("define an attribute every user has")?;
                None
            }
        };
        let defined = self.repo.attributes().await?;
        if defined.len() >= MAX_ATTRIBUTES {
            return Err(Error::invalid(
                "name",
                format!(
                    "the directory has {MAX_ATTRIBUTES} attributes, the most it keeps; remove one first"
                ),
            ));
        }
        if defined.iter().any(|a| a.name == name) {
            return Err(Error::Conflict(FieldError::new(
                "name",
                format!("an attribute named {name} exists already; choose another name"),
            )));
        }
        let record = AttributeRecord {
            name,
            label,
            kind,
            choices,
            required: new.required,
            unique: new.unique,
            organization_id,
            created_at: self.clock.now(),
            created_by: actor.name.clone(),
        };
        let mut changes = vec![
            change("label", &record.label),
            change("kind", record.kind.as_str()),
        ];
        if !record.choices.is_empty() {
            changes.push(change("choices", &record.choices.join(", ")));
        }
        for (flag, set) in [("required", record.required), ("unique", record.unique)] {
            if set {
                changes.push(change(flag, "yes"));
            }
        }
        if let Some(organization) = organization {
            changes.push(change("organization", organization));
        }
        let audit = self.record(
            actor,
            "attribute.create",
            attribute_target(0, &record.name),
            changes,
        );
        self.repo
            .insert_attribute(record, audit)
            .await
            .map_err(|e| match e {
                StoreError::Duplicate { .. } => Error::Conflict(FieldError::new(
                    "name",
                    "an attribute with this name was defined meanwhile; choose another name",
                )),
                other => other.into(),
            })
    }

    /// Changes an attribute's label, choices and rules, as those who may define it. A
    /// choice users hold is not taken away (they would hold a value it no longer offers),
    /// nor do values two users share become unique: the refusal says which and how many.
    /// A definition another admin changed since it was read is refused too.
    pub async fn edit_attribute(
        &self,
        actor: &Actor,
        name: &str,
        edit: AttributeEdit,
    ) -> Result<Attribute, Error> {
        actor.require(Permission::ManageSettings)?;
        let before = self.attribute_named(actor, name).await?;
        if before.organization_id.is_none() {
            actor.require_whole_directory("change an attribute every user has")?;
        }
        let (after, dropped) = before.edited(edit).map_err(Error::Validation)?;
        for choice in &dropped {
            let holding = UserQuery {
                attributes: [(before.name.clone(), choice.clone())].into(),
                ..UserQuery::default()
            };
            let holders = self.repo.count_matching_users(&holding, None).await?.n;
            if holders > 0 {
                return Err(Error::invalid(
                    "choices",
                    format!(
                        "{holders} {} {choice}; give them another value first (filter the users list by {} = {choice}), then take the choice away",
                        if holders == 1 {
                            "user holds"
                        } else {
                            "users hold"
                        },
                        before.label
                    ),
                ));
            }
        }
        if after.unique
            && !before.unique
            && let Some(shared) = self.repo.shared_attribute_value(before.id).await?
        {
            return Err(Error::invalid(
                "unique",
                format!(
                    "several users hold {shared}; give each their own value before making {} unique",
                    before.label
                ),
            ));
        }
        let yes_no = |set: bool| if set { "yes" } else { "no" };
        let choices = (before.choices.join(", "), after.choices.join(", "));
        let changes: Vec<FieldChange> = [
            ("label", before.label.as_str(), after.label.as_str()),
            ("choices", choices.0.as_str(), choices.1.as_str()),
            ("required", yes_no(before.required), yes_no(after.required)),
            ("unique", yes_no(before.unique), yes_no(after.unique)),
        ]
        .into_iter()
        .filter(|(_, old, new)| old != new)
        .map(|(field, old, new)| field_change(field, old, new))
        .collect();
        if changes.is_empty() {
            return Ok(before);
        }
        let audit = self.record(
            actor,
            "attribute.update",
            attribute_target(before.id.0, &before.name),
            changes,
        );
        match self
            .repo
            .update_attribute(&before, &after, &dropped, audit)
            .await
        {
            Ok(updated) => Ok(updated),
            Err(StoreError::Stale) => Err(Error::VersionConflict(format!(
                "{} was changed meanwhile, or users were given a choice this edit takes away; nothing was changed, look again",
                before.label
            ))),
            Err(StoreError::Duplicate { .. }) => Err(Error::invalid(
                "unique",
                format!(
                    "two users were given the same value of {} meanwhile; give each their own value, then make it unique",
                    before.label
                ),
            )),
            Err(other) => Err(other.into()),
        }
    }

    /// How many users hold a value of the attribute: what removing it would delete. Asked
    /// by those who may remove it (a count across organizations is not a scoped
    /// account's to read).
    pub async fn attribute_values(&self, actor: &Actor, name: &str) -> Result<u64, Error> {
        actor.require(Permission::ManageSettings)?;
        let attribute = self.attribute_named(actor, name).await?;
        Ok(self.repo.count_attribute_values(attribute.id).await?)
    }

    /// Removes an attribute and every user's value of it. When users hold values, the
    /// admin confirms by their number (`confirmed`, as [`Roster::attribute_values`] said):
    /// a count that has changed meanwhile is refused, so nothing is lost unseen.
    pub async fn remove_attribute(
        &self,
        actor: &Actor,
        name: &str,
        confirmed: Option<u64>,
    ) -> Result<u64, Error> {
        actor.require(Permission::ManageSettings)?;
        let attribute = self.attribute_named(actor, name).await?;
        if attribute.organization_id.is_none() {
            actor.require_whole_directory("remove an attribute every user has")?;
        }
        let values = self.repo.count_attribute_values(attribute.id).await?;
        if values > 0 && confirmed != Some(values) {
            return Err(Error::invalid(
                "confirm",
                format!(
                    "{} holds values for {values} users; removing it deletes them. Confirm the removal of {values} values",
                    attribute.name
                ),
            ));
        }
        let audit = self.record(
            actor,
            "attribute.delete",
            attribute_target(attribute.id.0, &attribute.name),
            vec![
                FieldChange {
                    field: "label".into(),
                    before: Some(attribute.label.clone()),
                    after: None,
                },
                FieldChange {
                    field: "values".into(),
                    before: Some(values.to_string()),
                    after: None,
                },
            ],
        );
        match self
            .repo
            .delete_attribute(attribute.id, values, audit)
            .await
        {
            Ok(()) => Ok(values),
            Err(StoreError::Stale) => Err(Error::VersionConflict(format!(
                "values of {} were set meanwhile; nothing was removed, look again and confirm the new count",
                attribute.name
            ))),
            Err(other) => Err(other.into()),
        }
    }

    /// Gives an edited user (its organization as the edit leaves it) the attribute values
    /// the edit sets, checked against the attributes the actor sees ([`Roster::checked_values`]); a blank one clears its value.
    /// Values of attributes kept only for an organization the user left are cleared.
    pub(super) async fn apply_values(
        &self,
        defined: &[Attribute],
        user: &mut User,
        values: &Attributes,
    ) -> Result<(), Error> {
        let checked = self
            .checked_values(
                defined,
                user.organization.as_deref(),
                values,
                Values::Edit,
                Some(user.id),
            )
            .await?;
        for (name, value) in checked {
            if value.is_empty() {
                user.attributes.remove(&name);
            } else {
                user.attributes.insert(name, value);
            }
        }
        drop_foreign_values(defined, user);
        Ok(())
    }

    /// Refuses a list query that filters or sorts by an attribute the actor does not see:
    /// a misspelt name would otherwise match nobody, or sort by nothing, without a word.
    pub(super) async fn check_attributes_named(
        &self,
        actor: &Actor,
        query: &UserQuery,
    ) -> Result<(), Error> {
        if query.attributes.is_empty() && query.sort_attribute.is_none() {
            return Ok(());
        }
        let defined = self.attributes_within(actor).await?;
        let named = query
            .attributes
            .keys()
            .map(|name| ("attributes", name))
            .chain(query.sort_attribute.iter().map(|name| ("sort", name)));
        for (field, name) in named {
            if !defined.iter().any(|a| &a.name == name) {
                return Err(Error::invalid(
                    field,
                    format!(
                        "no attribute is named {name}; Settings → Attributes (or roster attribute list) shows them"
                    ),
                ));
            }
        }
        Ok(())
    }

    async fn attribute_named(&self, actor: &Actor, name: &str) -> Result<Attribute, Error> {
        self.attributes_within(actor)
            .await?
            .into_iter()
            .find(|a| a.name == name.trim())
            .ok_or_else(|| Error::NotFound(format!("no attribute named '{}'", name.trim())))
    }

    /// A user's attribute values checked against the definitions the actor sees: each
    /// names an attribute that applies to the user's organization and holds a value of
    /// its kind, unique ones are held by nobody else (`user`: the user edited), and a new
    /// user has every required one. Returns them cleaned; for an edit a blank value
    /// (clearing one) is kept, for a new user dropped.
    pub(super) async fn checked_values(
        &self,
        defined: &[Attribute],
        organization: Option<&str>,
        values: &Attributes,
        kind: Values,
        user: Option<UserId>,
    ) -> Result<Attributes, Error> {
        let mut errors = Vec::new();
        let mut checked = Attributes::new();
        for (name, value) in values {
            let Some(attribute) = defined.iter().find(|a| &a.name == name) else {
                errors.push(FieldError::new(
                    name,
                    format!("no attribute is named {name}; define it first (Settings → Attributes, or roster attribute add)"),
                ));
                continue;
            };
            match attribute.check(value) {
                Ok(value) if value.is_empty() => {
                    if kind == Values::Edit && attribute.required {
                        errors.push(FieldError::new(
                            name,
                            format!("{} is required; give a value", attribute.label),
                        ));
                    } else if kind == Values::Edit {
                        checked.insert(name.clone(), value);
                    }
                }
                Ok(value) if !attribute.applies_to(organization) => errors.push(FieldError::new(
                    name,
                    format!(
                        "{} is kept only for users of {}; move the user there first or leave it empty ('{value}' given)",
                        attribute.label,
                        attribute.organization.as_deref().unwrap_or_default()
                    ),
                )),
                Ok(value) => {
                    checked.insert(name.clone(), value);
                }
                Err(error) => errors.push(error),
            }
        }
        if kind == Values::New {
            for attribute in defined {
                if attribute.required
                    && attribute.applies_to(organization)
                    && !checked.contains_key(&attribute.name)
                {
                    errors.push(FieldError::new(
                        &attribute.name,
                        format!("{} is required; give a value", attribute.label),
                    ));
                }
            }
        }
        for attribute in defined.iter().filter(|a| a.unique) {
            let Some(value) = checked.get(&attribute.name).filter(|v| !v.is_empty()) else {
                continue;
            };
            let holder = self.repo.attribute_holder(attribute.id, value).await?;
            if holder.is_some_and(|holder| Some(holder) != user) {
                errors.push(FieldError::new(
                    &attribute.name,
                    format!(
                        "{} {value} is already held by another user; each user needs their own",
                        attribute.label
                    ),
                ));
            }
        }
        if errors.is_empty() {
            Ok(checked)
        } else {
            Err(Error::Validation(errors))
        }
    }
}

/// The values an edit leaves a user with when it moves them to another organization: those
/// of attributes kept only for the organization left are cleared.
fn drop_foreign_values(defined: &[Attribute], user: &mut User) {
    let organization = user.organization.clone();
    user.attributes.retain(|name, _| {
        defined
            .iter()
            .find(|a| &a.name == name)
            .is_none_or(|a| a.applies_to(organization.as_deref()))
    });
}

fn change(field: &str, value: &str) -> FieldChange {
    FieldChange {
        field: field.into(),
        before: None,
        after: Some(value.to_owned()),
    }
}

fn attribute_target(id: i64, name: &str) -> AuditTarget {
    AuditTarget {
        kind: "attribute".into(),
        id,
        name: name.to_owned(),
    }
}
