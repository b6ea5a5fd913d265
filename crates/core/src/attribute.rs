//! Attributes an admin defines beside the built-in fields (a badge number, a shirt size,
//! "has a parking space"), for the whole directory or one organization. A user's values
//! are checked by the attribute's kind and travel with the user under the attribute's
//! name: in audit entries, list columns, filters and CSV files, as the built-in fields do.

use crate::error::FieldError;
use crate::field::{UserField, checked_day, checked_line, clean_line};
use crate::organization::OrganizationId;
use crate::validate::normalize_key;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A user's values of admin-defined attributes, by attribute name; an attribute without
/// a value is absent.
pub type Attributes = BTreeMap<String, String>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AttributeId(pub i64);

impl fmt::Display for AttributeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What an attribute holds, by which each value is checked and kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum AttributeKind {
    /// One line of text.
    Text,
    /// A decimal number, kept as written without spaces (`-12.5`).
    Number,
    /// A calendar day, kept as `YYYY-MM-DD`.
    Date,
    /// Kept as `yes` or `no`.
    YesNo,
    /// One of the attribute's choices, as the definition spells it.
    Choice,
}

impl AttributeKind {
    pub const ALL: [AttributeKind; 5] = [
        AttributeKind::Text,
        AttributeKind::Number,
        AttributeKind::Date,
        AttributeKind::YesNo,
        AttributeKind::Choice,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AttributeKind::Text => "text",
            AttributeKind::Number => "number",
            AttributeKind::Date => "date",
            AttributeKind::YesNo => "yes_no",
            AttributeKind::Choice => "choice",
        }
    }
}

impl std::str::FromStr for AttributeKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase().replace(['-', ' ', '/'], "_");
        let wanted = match wanted.as_str() {
            "yesno" | "boolean" | "bool" => "yes_no",
            "list" | "one_of" => "choice",
            other => other,
        };
        AttributeKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == wanted)
            .ok_or_else(|| {
                format!(
                    "unknown kind '{s}'; use one of: {}",
                    AttributeKind::ALL.map(AttributeKind::as_str).join(", ")
                )
            })
    }
}

/// An attribute as defined and stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Attribute {
    pub id: AttributeId,
    /// How files, audit entries and the CLI name it: lowercase letters, digits and `_`.
    pub name: String,
    /// How the window labels it.
    pub label: String,
    pub kind: AttributeKind,
    /// The values a [`AttributeKind::Choice`] takes, in the order offered.
    pub choices: Vec<String>,
    /// A new user must be given a value, and no edit may clear it.
    pub required: bool,
    /// No two users hold the same value.
    pub unique: bool,
    /// Only users of this organization have it; `None`: every user.
    pub organization_id: Option<OrganizationId>,
    pub organization: Option<String>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

/// What an admin types to define an attribute.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct NewAttribute {
    /// Derived from the label when empty ("Badge number" → `badge_number`).
    pub name: String,
    pub label: String,
    pub kind: Option<AttributeKind>,
    pub choices: Vec<String>,
    pub required: bool,
    pub unique: bool,
    /// The organization whose users have it; empty: the whole directory.
    pub organization: Option<String>,
}

/// What an admin changes of a defined attribute: its label, choices and rules. Its name,
/// kind and organization stay: files, filters and saved columns name it, and the values
/// users hold were checked by its kind for its organization's users.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct AttributeEdit {
    pub label: String,
    pub choices: Vec<String>,
    pub required: bool,
    pub unique: bool,
}

impl Attribute {
    /// The attribute as `edit` would leave it, checked as a new definition is; the
    /// choices it takes away (each to be held by no user).
    pub fn edited(&self, edit: AttributeEdit) -> Result<(Attribute, Vec<String>), Vec<FieldError>> {
        let (_, label, _, choices) = NewAttribute {
            name: self.name.clone(),
            label: edit.label,
            kind: Some(self.kind),
            choices: edit.choices,
            required: edit.required,
            unique: edit.unique,
            organization: None,
        }
        .check()?;
        let dropped = self
            .choices
            .iter()
            .filter(|old| !choices.contains(old))
            .cloned()
            .collect();
        let after = Attribute {
            label,
            choices,
            required: edit.required,
            unique: edit.unique,
            ..self.clone()
        };
        Ok((after, dropped))
    }
}

/// An attribute definition as the store writes it: checked, its organization found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeRecord {
    pub name: String,
    pub label: String,
    pub kind: AttributeKind,
    pub choices: Vec<String>,
    pub required: bool,
    pub unique: bool,
    pub organization_id: Option<OrganizationId>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

/// The most attributes a directory defines: each is a column, a filter and a form field.
pub const MAX_ATTRIBUTES: usize = 100;
/// The most choices one attribute offers.
pub const MAX_CHOICES: usize = 200;
pub(crate) const MAX_NAME_CHARS: usize = 40;
const MAX_LABEL_CHARS: usize = 80;

/// The name an attribute gets from a label or a file's header: lowercase ASCII letters and
/// digits, other runs of characters as one `_`.
pub fn attribute_name(text: &str) -> String {
    let mut name = String::new();
    for c in text.trim().chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.is_empty() && !name.ends_with('_') {
            name.push('_');
        }
    }
    name.trim_end_matches('_').to_owned()
}

impl NewAttribute {
    /// The definition checked; every problem named by its field.
    pub fn check(&self) -> Result<(String, String, AttributeKind, Vec<String>), Vec<FieldError>> {
        let mut errors = Vec::new();
        let label = printable(&self.label);
        if label.is_empty() {
            errors.push(FieldError::new(
                "label",
                "give the attribute a label, such as Badge number",
            ));
        } else if label.chars().count() > MAX_LABEL_CHARS {
            errors.push(FieldError::new(
                "label",
                format!("the label is longer than {MAX_LABEL_CHARS} characters; shorten it"),
            ));
        }
        let name = if self.name.trim().is_empty() {
            attribute_name(&label)
        } else {
            self.name.trim().to_owned()
        };
        if !label.is_empty()
            && !crate::query::is_attribute_name(&name)
            && name.len() <= MAX_NAME_CHARS
        {
            errors.push(FieldError::new(
                "name",
                format!(
                    "'{name}' cannot name an attribute; use lowercase letters, digits and _, starting with a letter (such as badge_number)"
                ),
            ));
        } else if name.len() > MAX_NAME_CHARS {
            errors.push(FieldError::new(
                "name",
                format!("the name is longer than {MAX_NAME_CHARS} characters; shorten it"),
            ));
        } else if is_reserved(&name) {
            errors.push(FieldError::new(
                "name",
                format!("'{name}' is a built-in field of every user; choose another name"),
            ));
        }
        let kind = self.kind.unwrap_or(AttributeKind::Text);
        let mut choices: Vec<String> = Vec::new();
        for choice in &self.choices {
            let choice = printable(choice);
            if choice.is_empty()
                || choices
                    .iter()
                    .any(|c| c.to_lowercase() == choice.to_lowercase())
            {
                continue;
            }
            if choice.chars().count() > crate::field::MAX_PROFILE_CHARS {
                errors.push(FieldError::new(
                    "choices",
                    format!("'{choice}' is too long for a choice; shorten it"),
                ));
            }
            choices.push(choice);
        }
        match kind {
            AttributeKind::Choice if choices.is_empty() => errors.push(FieldError::new(
                "choices",
                "list the values to choose from, one per line",
            )),
            AttributeKind::Choice if choices.len() > MAX_CHOICES => errors.push(FieldError::new(
                "choices",
                format!("at most {MAX_CHOICES} choices; use a text attribute for more"),
            )),
            AttributeKind::Choice => {}
            _ => choices.clear(),
        }
        if self.unique && kind == AttributeKind::YesNo {
            errors.push(FieldError::new(
                "unique",
                "a yes/no attribute cannot be unique: only two users could hold it",
            ));
        }
        if errors.is_empty() {
            Ok((name, label, kind, choices))
        } else {
            Err(errors)
        }
    }
}

/// Text on one line without control characters (they would split the stored list of
/// choices).
fn printable(text: &str) -> String {
    clean_line(&text.replace(char::is_control, " "))
}

/// Names a built-in field or column already goes by, in files and in audit entries: no
/// attribute is called so.
pub fn is_reserved(name: &str) -> bool {
    UserField::ALL.iter().any(|field| field.name() == name)
        || ["groups", "password", "display_name", "version"].contains(&name)
}

impl Attribute {
    /// Whether a user of this organization (by name) may hold a value of it.
    pub fn applies_to(&self, organization: Option<&str>) -> bool {
        match &self.organization {
            None => true,
            Some(own) => organization.is_some_and(|o| normalize_key(o) == normalize_key(own)),
        }
    }

    /// A value cleaned and checked by the attribute's kind; an empty one is `Ok("")`,
    /// which clears it.
    pub fn check(&self, value: &str) -> Result<String, FieldError> {
        let name = self.name.as_str();
        let value = checked_line(name, &self.label, value)?;
        if value.is_empty() {
            return Ok(value);
        }
        let refuse = |message: String| Err(FieldError::new(name, message));
        match self.kind {
            AttributeKind::Text => Ok(value),
            AttributeKind::Number => {
                let number = value.replace([' ', '\u{a0}'], "");
                let digits = number.strip_prefix('-').unwrap_or(&number);
                let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
                let decimal = !whole.is_empty()
                    && whole.bytes().all(|b| b.is_ascii_digit())
                    && fraction.bytes().all(|b| b.is_ascii_digit())
                    && !(digits.contains('.') && fraction.is_empty());
                if decimal {
                    Ok(number)
                } else {
                    refuse(format!(
                        "'{value}' is not a number for {}; write digits with a point for decimals, such as 12.5",
                        self.label
                    ))
                }
            }
            AttributeKind::Date => checked_day(name, &value),
            AttributeKind::YesNo => match value.to_lowercase().as_str() {
                "yes" | "y" | "true" | "1" | "on" => Ok("yes".into()),
                "no" | "n" | "false" | "0" | "off" => Ok("no".into()),
                _ => refuse(format!(
                    "'{value}' is not yes or no for {}; write yes or no",
                    self.label
                )),
            },
            AttributeKind::Choice => self
                .choices
                .iter()
                .find(|choice| choice.to_lowercase() == value.to_lowercase())
                .cloned()
                .map_or_else(
                    || {
                        refuse(format!(
                            "'{value}' is not one of the choices for {}: {}",
                            self.label,
                            self.choices.join(", ")
                        ))
                    },
                    Ok,
                ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attribute(kind: AttributeKind, choices: &[&str]) -> Attribute {
        Attribute {
            id: AttributeId(1),
            name: "badge".into(),
            label: "Badge".into(),
            kind,
            choices: choices.iter().map(|c| c.to_string()).collect(),
            required: false,
            unique: false,
            organization_id: None,
            organization: None,
            created_at: DateTime::UNIX_EPOCH,
            created_by: "test".into(),
        }
    }

    #[test]
    fn values_are_kept_in_one_form_per_kind_or_refused_by_name() {
        let number = attribute(AttributeKind::Number, &[]);
        assert_eq!(number.check(" -12.5 ").unwrap(), "-12.5");
        assert_eq!(number.check("1 000").unwrap(), "1000");
        for bad in ["12,5", "1e3", "ten", "1.", ".5", "--1"] {
            let error = number.check(bad).unwrap_err();
            assert_eq!(error.field, "badge", "{bad}");
        }
        let yes_no = attribute(AttributeKind::YesNo, &[]);
        assert_eq!(yes_no.check("TRUE").unwrap(), "yes");
        assert_eq!(yes_no.check("n").unwrap(), "no");
        assert!(yes_no.check("maybe").is_err());
        let choice = attribute(AttributeKind::Choice, &["Small", "Large"]);
        assert_eq!(choice.check("large").unwrap(), "Large");
        assert!(
            choice
                .check("Medium")
                .unwrap_err()
                .message
                .contains("Small, Large")
        );
        let date = attribute(AttributeKind::Date, &[]);
        assert_eq!(date.check("2027-01-31T00:00:00Z").unwrap(), "2027-01-31");
        assert!(date.check("31/01/2027").is_err());
        assert_eq!(attribute(AttributeKind::Text, &[]).check("  ").unwrap(), "");
    }

    #[test]
    fn an_edit_keeps_name_and_kind_and_names_the_choices_it_takes_away() {
        let sizes = attribute(AttributeKind::Choice, &["S", "M", "L"]);
        let edit = AttributeEdit {
            label: " Shirt size ".into(),
            choices: vec!["S".into(), "L".into(), "XL".into()],
            required: true,
            unique: false,
        };
        let (after, dropped) = sizes.edited(edit).unwrap();
        assert_eq!(
            (after.name.as_str(), after.kind, after.label.as_str()),
            ("badge", AttributeKind::Choice, "Shirt size")
        );
        assert_eq!(after.choices, ["S", "L", "XL"]);
        assert!(after.required);
        assert_eq!(dropped, ["M"]);
        let none = AttributeEdit {
            label: "Sizes".into(),
            ..AttributeEdit::default()
        };
        let errors = sizes.edited(none).unwrap_err();
        assert_eq!(errors[0].field, "choices");
        let yes_no = attribute(AttributeKind::YesNo, &[]);
        let unique = AttributeEdit {
            label: "Parking".into(),
            unique: true,
            ..AttributeEdit::default()
        };
        assert_eq!(yes_no.edited(unique).unwrap_err()[0].field, "unique");
    }

    #[test]
    fn definitions_name_their_problems() {
        let defined = NewAttribute {
            label: "Badge number (HR)".into(),
            ..NewAttribute::default()
        };
        let (name, _, kind, _) = defined.check().unwrap();
        assert_eq!(
            (name.as_str(), kind),
            ("badge_number_hr", AttributeKind::Text)
        );
        let fields = |new: NewAttribute| -> Vec<String> {
            new.check()
                .unwrap_err()
                .into_iter()
                .map(|e| e.field)
                .collect()
        };
        assert_eq!(fields(NewAttribute::default()), ["label"]);
        let reserved = NewAttribute {
            label: "Department".into(),
            ..NewAttribute::default()
        };
        assert_eq!(fields(reserved), ["name"]);
        let hostile = NewAttribute {
            label: "x".into(),
            name: "x'; DROP TABLE users; --".into(),
            ..NewAttribute::default()
        };
        assert_eq!(fields(hostile), ["name"]);
        let no_choices = NewAttribute {
            label: "Size".into(),
            kind: Some(AttributeKind::Choice),
            choices: vec![" ".into()],
            ..NewAttribute::default()
        };
        assert_eq!(fields(no_choices), ["choices"]);
        assert_eq!(attribute_name("  Shirt size / EU "), "shirt_size_eu");
    }
}
