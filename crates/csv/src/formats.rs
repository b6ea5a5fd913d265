//! Which column means which field, in Roster's own files and in the exports and templates
//! of the systems admins come from (see shared/csv-formats.md).

use roster_core::UserField;
use std::str::FromStr;

/// Where a spreadsheet comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Roster,
    Google,
    Entra,
    JumpCloud,
    Okta,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Roster,
        Format::Google,
        Format::Entra,
        Format::JumpCloud,
        Format::Okta,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Roster => "roster",
            Format::Google => "google",
            Format::Entra => "entra",
            Format::JumpCloud => "jumpcloud",
            Format::Okta => "okta",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Format::Roster => "Roster",
            Format::Google => "Google Workspace",
            Format::Entra => "Microsoft Entra ID",
            Format::JumpCloud => "JumpCloud",
            Format::Okta => "Okta",
        }
    }

    /// The field a header of this format holds, by its [`header_key`].
    pub(crate) fn field_of(self, key: &str) -> Option<Field> {
        use UserField::*;
        let user = Field::User;
        if self == Format::Roster {
            // Roster's own files: the user's fields under their `UserField` names, and groups.
            return Field::all()
                .into_iter()
                .filter(|field| matches!(field, Field::User(_) | Field::Groups))
                .find(|field| header_key(field.as_str()) == key);
        }
        let field = match (self, key) {
            (_, "email") => user(Email),

            (Format::Google, "firstname") => user(FirstName),
            (Format::Google, "lastname") => user(LastName),
            (Format::Google, "emailaddress") => user(Email),
            (Format::Google, "password") => Field::Password,
            (Format::Google, "orgunitpath") => user(Team),
            (Format::Google, "workphone") => user(Phone),
            (Format::Google, "status") => user(Status),
            (Format::Google, "mobilephone") => user(MobilePhone),
            (Format::Google, "employeeid") => user(EmployeeId),
            (Format::Google, "employeetitle") => user(JobTitle),
            (Format::Google, "manageremail") => user(Manager),
            (Format::Google, "department") => user(Department),
            (Format::Google, "costcenter") => user(CostCenter),

            (Format::Entra, "displayname") => Field::DisplayName,
            (Format::Entra, "userprincipalname") => user(Email),
            (Format::Entra, "passwordprofile") => Field::Password,
            (Format::Entra, "blocksignin") => Field::BlockSignIn,
            (Format::Entra, "accountenabled") => Field::AccountEnabled,
            (Format::Entra, "givenname") => user(FirstName),
            (Format::Entra, "surname") => user(LastName),
            (Format::Entra, "department") => user(Department),
            (Format::Entra, "telephonenumber") => user(Phone),
            (Format::Entra, "mobile") => user(MobilePhone),
            (Format::Entra, "jobtitle") => user(JobTitle),
            (Format::Entra, "employeeid") => user(EmployeeId),
            (Format::Entra, "physicaldeliveryofficename" | "officelocation") => user(Office),
            (Format::Entra, "manager") => user(Manager),

            (Format::JumpCloud, "username") => user(Username),
            (Format::JumpCloud, "firstname") => user(FirstName),
            (Format::JumpCloud, "lastname") => user(LastName),
            (Format::JumpCloud, "password") => Field::Password,
            (Format::JumpCloud, "department") => user(Department),
            (Format::JumpCloud, "jobtitle") => user(JobTitle),
            (Format::JumpCloud, "employeeidentifier") => user(EmployeeId),
            (Format::JumpCloud, "costcenter") => user(CostCenter),
            (Format::JumpCloud, "location") => user(Office),
            (Format::JumpCloud, "company") => user(Organization),
            (Format::JumpCloud, group) if group.starts_with("group") => Field::Groups,

            (Format::Okta, "login") => user(Username),
            (Format::Okta, "firstname") => user(FirstName),
            (Format::Okta, "lastname") => user(LastName),
            (Format::Okta, "mobilephone") => user(Phone),
            (Format::Okta, "organization") => user(Organization),
            (Format::Okta, "department") => user(Department),
            (Format::Okta, "division") => user(Team),
            (Format::Okta, "title") => user(JobTitle),
            (Format::Okta, "employeenumber") => user(EmployeeId),
            (Format::Okta, "costcenter") => user(CostCenter),
            (Format::Okta, "primaryphone") => user(WorkPhone),
            _ => return None,
        };
        Some(field)
    }

    /// Headers only this format has, so a file is recognised by them.
    fn marks(self) -> &'static [&'static str] {
        match self {
            Format::Roster => &["tags", "groups", "team", "role"],
            Format::Google => &["emailaddress", "orgunitpath"],
            Format::Entra => &["userprincipalname", "displayname", "givenname", "surname"],
            Format::JumpCloud => &["costcenter", "employeeidentifier", "company"],
            Format::Okta => &["login", "honorificprefix", "primaryphone"],
        }
    }

    /// The format whose headers a file's header keys match best (Roster on a tie).
    pub(crate) fn detect(keys: &[String]) -> Format {
        let score = |format: Format| {
            let mapped = keys.iter().filter(|k| format.field_of(k).is_some()).count();
            let marked = keys
                .iter()
                .filter(|k| format.marks().contains(&k.as_str()))
                .count();
            mapped + 2 * marked
        };
        Format::ALL
            .into_iter()
            .rev()
            .max_by_key(|f| score(*f))
            .unwrap_or(Format::Roster)
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        named(&Format::ALL, |f| f.as_str(), s, "format")
    }
}

/// The one of `all` whose name is `text` (compared as headers are).
pub(crate) fn named<T: Copy>(
    all: &[T],
    name: fn(T) -> &'static str,
    text: &str,
    what: &str,
) -> Result<T, String> {
    let wanted = header_key(text);
    all.iter()
        .copied()
        .find(|item| header_key(name(*item)) == wanted)
        .ok_or_else(|| {
            let names: Vec<&str> = all.iter().map(|item| name(*item)).collect();
            format!("unknown {what} '{text}'; use one of: {}", names.join(", "))
        })
}

/// What a column holds: a field of the user, or what an import makes one from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// One of the fields an import reads back ([`UserField::imported`]), under its name.
    User(UserField),
    /// "Ada Lovelace": split into first and last name where those columns are missing.
    DisplayName,
    /// Comma-separated, or one group per column (JumpCloud's `Group…` columns).
    Groups,
    Password,
    /// Entra's template: "Yes" means the account is blocked (suspended).
    BlockSignIn,
    /// Entra's export: "False" means the account is blocked (suspended).
    AccountEnabled,
}

impl Field {
    /// Every field a column can hold: the user's own, in `UserField`'s order, then the rest.
    pub fn all() -> Vec<Field> {
        UserField::ALL
            .into_iter()
            .filter(|field| field.imported())
            .map(Field::User)
            .chain([
                Field::DisplayName,
                Field::Groups,
                Field::Password,
                Field::BlockSignIn,
                Field::AccountEnabled,
            ])
            .collect()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Field::User(field) => field.name(),
            Field::DisplayName => "display_name",
            Field::Groups => "groups",
            Field::Password => "password",
            Field::BlockSignIn => "block_sign_in",
            Field::AccountEnabled => "account_enabled",
        }
    }

    /// A field a column may hold many times (each cell adds to it).
    pub(crate) fn repeats(self) -> bool {
        self == Field::Groups
    }
}

impl FromStr for Field {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        named(&Field::all(), Field::as_str, s, "field")
    }
}

/// Notes Google and Entra add in brackets that are not part of the name.
const BRACKET_NOTES: [&str; 4] = [
    "required",
    "uploadonly",
    "readonly",
    "mustbeinthee164format",
];

/// A header as a lookup key: an Entra property in brackets (`Name [displayName] Required`)
/// wins; Google's bracketed notes (`First Name [Required]`) are dropped; then only letters
/// and digits remain, lower-cased ("First Name", "first_name" and "firstName" are one key).
pub fn header_key(header: &str) -> String {
    let mut name = String::new();
    let mut property = None;
    let mut rest = header;
    while let Some(open) = rest.find('[') {
        name.push_str(&rest[..open]);
        let Some(close) = rest[open..].find(']') else {
            break;
        };
        let inside = compact(&rest[open + 1..open + close]);
        if !BRACKET_NOTES.contains(&inside.as_str()) && property.is_none() {
            property = Some(inside);
        }
        rest = &rest[open + close + 1..];
    }
    if rest.find('[').is_none() {
        name.push_str(rest);
    }
    // "Block sign in (Yes/No) [accountEnabled]" holds the opposite of accountEnabled.
    let label = compact(&name);
    if label.starts_with("blocksignin") {
        return "blocksignin".into();
    }
    property.unwrap_or(label)
}

fn compact(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_whatever_the_case_spaces_punctuation_or_notes() {
        assert_eq!(header_key("First Name [Required]"), "firstname");
        assert_eq!(header_key("first_name"), "firstname");
        assert_eq!(header_key("firstName"), "firstname");
        assert_eq!(header_key("  E-mail  "), "email");
        assert_eq!(header_key("Name [displayName] Required"), "displayname");
        assert_eq!(
            header_key("User name [userPrincipalName] Required"),
            "userprincipalname"
        );
        assert_eq!(
            header_key("Block sign in (Yes/No) [accountEnabled] Required"),
            "blocksignin"
        );
        assert_eq!(
            header_key("Recovery Phone [MUST BE IN THE E.164 FORMAT]"),
            "recoveryphone"
        );
        assert_eq!(header_key("Prénom"), "prénom");
    }

    #[test]
    fn each_format_is_recognised_by_its_headers() {
        let keys = |headers: &[&str]| headers.iter().map(|h| header_key(h)).collect::<Vec<_>>();
        assert_eq!(
            Format::detect(&keys(&[
                "First Name [Required]",
                "Last Name [Required]",
                "Email Address [Required]",
                "Org Unit Path [Required]"
            ])),
            Format::Google
        );
        assert_eq!(
            Format::detect(&keys(&[
                "Name [displayName] Required",
                "User name [userPrincipalName] Required"
            ])),
            Format::Entra
        );
        assert_eq!(
            Format::detect(&keys(&["login", "firstName", "lastName", "email"])),
            Format::Okta
        );
        assert_eq!(
            Format::detect(&keys(&[
                "Username",
                "FirstName",
                "LastName",
                "Email",
                "company"
            ])),
            Format::JumpCloud
        );
        assert_eq!(
            Format::detect(&keys(&["email", "first_name", "last_name", "team", "tags"])),
            Format::Roster
        );
        assert_eq!(Format::detect(&keys(&["email"])), Format::Roster);
    }
}
