//! Roster's own export: one row per user, the columns the admin chose, every cell guarded
//! against formula injection. The headers are the field names the importer reads back.

use crate::neutral::neutralize;
use roster_core::User;
use std::io::Write;
use std::str::FromStr;

/// A column of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportColumn {
    Id,
    Email,
    FirstName,
    LastName,
    Username,
    Phone,
    Organization,
    Team,
    Tags,
    Role,
    Status,
    TwoFactor,
    GroupCount,
    IdentityProvider,
    CreatedAt,
    ModifiedAt,
    LastSignInAt,
    PasswordChangedAt,
    CreatedBy,
}

impl ExportColumn {
    pub const ALL: [ExportColumn; 19] = [
        ExportColumn::Id,
        ExportColumn::Email,
        ExportColumn::FirstName,
        ExportColumn::LastName,
        ExportColumn::Username,
        ExportColumn::Phone,
        ExportColumn::Organization,
        ExportColumn::Team,
        ExportColumn::Tags,
        ExportColumn::Role,
        ExportColumn::Status,
        ExportColumn::TwoFactor,
        ExportColumn::GroupCount,
        ExportColumn::IdentityProvider,
        ExportColumn::CreatedAt,
        ExportColumn::ModifiedAt,
        ExportColumn::LastSignInAt,
        ExportColumn::PasswordChangedAt,
        ExportColumn::CreatedBy,
    ];

    /// What an export holds unless the admin chooses: everything an import reads back
    /// (email through status).
    pub fn defaults() -> &'static [ExportColumn] {
        &ExportColumn::ALL[1..11]
    }

    /// The header, as the importer reads it back.
    pub fn header(self) -> &'static str {
        match self {
            ExportColumn::Id => "id",
            ExportColumn::Email => "email",
            ExportColumn::FirstName => "first_name",
            ExportColumn::LastName => "last_name",
            ExportColumn::Username => "username",
            ExportColumn::Phone => "phone",
            ExportColumn::Organization => "organization",
            ExportColumn::Team => "team",
            ExportColumn::Tags => "tags",
            ExportColumn::Role => "role",
            ExportColumn::Status => "status",
            ExportColumn::TwoFactor => "two_factor",
            ExportColumn::GroupCount => "group_count",
            ExportColumn::IdentityProvider => "identity_provider",
            ExportColumn::CreatedAt => "created_at",
            ExportColumn::ModifiedAt => "modified_at",
            ExportColumn::LastSignInAt => "last_sign_in_at",
            ExportColumn::PasswordChangedAt => "password_changed_at",
            ExportColumn::CreatedBy => "created_by",
        }
    }

    fn value(self, user: &User) -> String {
        let time = |t: Option<chrono::DateTime<chrono::Utc>>| {
            t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
                .unwrap_or_default()
        };
        match self {
            ExportColumn::Id => user.id.to_string(),
            ExportColumn::Email => user.email.clone(),
            ExportColumn::FirstName => user.first_name.clone(),
            ExportColumn::LastName => user.last_name.clone(),
            ExportColumn::Username => user.username.clone(),
            ExportColumn::Phone => user.phone.clone().unwrap_or_default(),
            ExportColumn::Organization => user.organization.clone().unwrap_or_default(),
            ExportColumn::Team => user.team.clone().unwrap_or_default(),
            ExportColumn::Tags => user.tags.join(", "),
            ExportColumn::Role => user.role.clone(),
            ExportColumn::Status => user.status.as_str().to_owned(),
            ExportColumn::TwoFactor => user.two_factor.as_str().to_owned(),
            ExportColumn::GroupCount => user.group_count.to_string(),
            ExportColumn::IdentityProvider => user.identity_provider.clone(),
            ExportColumn::CreatedAt => time(Some(user.created_at)),
            ExportColumn::ModifiedAt => time(Some(user.modified_at)),
            ExportColumn::LastSignInAt => time(user.last_sign_in_at),
            ExportColumn::PasswordChangedAt => time(user.password_changed_at),
            ExportColumn::CreatedBy => user.created_by.clone(),
        }
    }
}

impl FromStr for ExportColumn {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        crate::formats::named(&ExportColumn::ALL, ExportColumn::header, s, "column")
    }
}

/// Writes users as CSV rows as they come.
pub struct UserWriter<W: Write> {
    csv: csv::Writer<W>,
    columns: Vec<ExportColumn>,
    row: Vec<String>,
}

impl<W: Write> UserWriter<W> {
    /// Starts the file: a BOM first if asked (Excel then reads it as UTF-8), then the header.
    pub fn new(mut out: W, columns: Vec<ExportColumn>, bom: bool) -> Result<Self, String> {
        if bom {
            out.write_all(b"\xEF\xBB\xBF").map_err(|e| e.to_string())?;
        }
        let mut csv = csv::Writer::from_writer(out);
        csv.write_record(columns.iter().map(|c| c.header()))
            .map_err(|e| e.to_string())?;
        Ok(UserWriter {
            csv,
            row: Vec::with_capacity(columns.len()),
            columns,
        })
    }

    pub fn write(&mut self, user: &User) -> Result<(), String> {
        self.row.clear();
        for column in &self.columns {
            self.row.push(neutralize(&column.value(user)).into_owned());
        }
        self.csv.write_record(&self.row).map_err(|e| e.to_string())
    }

    /// Flushes what is buffered and hands back the output.
    pub fn finish(self) -> Result<W, String> {
        self.csv.into_inner().map_err(|e| e.to_string())
    }
}
