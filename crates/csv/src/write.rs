//! Roster's own export: one row per user, the columns the admin chose, every cell guarded
//! against formula injection. The headers are the field names the importer reads back, or
//! those of the system the file is meant for. And the private files every export, report,
//! QR code or saved message is written to.

use crate::neutral::neutralize;
use roster_core::{AuditEntry, Device, Membership, RowProblem, User, UserField};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The columns an export holds unless the admin chooses: every field an import of Roster's
/// own file reads back.
pub fn default_columns() -> Vec<UserField> {
    UserField::ALL
        .into_iter()
        .filter(|field| field.imported())
        .collect()
}

/// A column by its name as `--columns` and the export dialog give it ("first_name",
/// "First name" and "firstName" alike).
pub fn parse_column(text: &str) -> Result<UserField, String> {
    crate::formats::named(&UserField::ALL, UserField::name, text, "column")
}

/// Whose header names an export uses. The values stay Roster's, which every format's
/// importer (Roster's included) reads back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum HeaderStyle {
    #[default]
    Roster,
    /// Google Workspace's bulk-upload names ("Email Address [Required]", …).
    Google,
    /// Okta's import names (login, firstName, …).
    Okta,
}

impl HeaderStyle {
    pub const ALL: [HeaderStyle; 3] = [HeaderStyle::Roster, HeaderStyle::Google, HeaderStyle::Okta];

    pub fn as_str(self) -> &'static str {
        match self {
            HeaderStyle::Roster => "roster",
            HeaderStyle::Google => "google",
            HeaderStyle::Okta => "okta",
        }
    }

    /// The column's header in this style; Roster's own where the other system has none.
    pub fn header(self, column: UserField) -> &'static str {
        use UserField::*;
        match (self, column) {
            (HeaderStyle::Google, FirstName) => "First Name [Required]",
            (HeaderStyle::Google, LastName) => "Last Name [Required]",
            (HeaderStyle::Google, Email) => "Email Address [Required]",
            (HeaderStyle::Google, Team) => "Org Unit Path [Required]",
            (HeaderStyle::Google, Phone) => "Work Phone",
            (HeaderStyle::Google, Status) => "Status [READ ONLY]",
            (HeaderStyle::Google, LastSignInAt) => "Last Sign In [READ ONLY]",
            (HeaderStyle::Google, MobilePhone) => "Mobile Phone",
            (HeaderStyle::Google, EmployeeId) => "Employee ID",
            (HeaderStyle::Google, JobTitle) => "Employee Title",
            (HeaderStyle::Google, Manager) => "Manager Email",
            (HeaderStyle::Google, Department) => "Department",
            (HeaderStyle::Google, CostCenter) => "Cost Center",
            (HeaderStyle::Okta, Username) => "login",
            (HeaderStyle::Okta, FirstName) => "firstName",
            (HeaderStyle::Okta, LastName) => "lastName",
            (HeaderStyle::Okta, Phone) => "mobilePhone",
            (HeaderStyle::Okta, Team) => "division",
            (HeaderStyle::Okta, Department) => "department",
            (HeaderStyle::Okta, JobTitle) => "title",
            (HeaderStyle::Okta, EmployeeId) => "employeeNumber",
            (HeaderStyle::Okta, CostCenter) => "costCenter",
            (HeaderStyle::Okta, WorkPhone) => "primaryPhone",
            _ => column.name(),
        }
    }
}

impl FromStr for HeaderStyle {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        crate::formats::named(&HeaderStyle::ALL, HeaderStyle::as_str, s, "header style")
    }
}

/// Writes users as CSV rows as they come.
pub struct UserWriter<W: Write> {
    csv: csv::Writer<W>,
    columns: Vec<UserField>,
    /// Admin-defined attributes by name, in columns after the fields.
    attributes: Vec<String>,
    row: Vec<String>,
}

impl<W: Write> UserWriter<W> {
    /// Starts the file: a BOM first if asked (Excel then reads it as UTF-8), then the header.
    /// The attributes' columns follow the fields', headed by the attribute's name (which
    /// an import maps back to it).
    pub fn new(
        mut out: W,
        columns: Vec<UserField>,
        attributes: Vec<String>,
        options: ExportOptions,
    ) -> Result<Self, String> {
        if options.bom {
            out.write_all(b"\xEF\xBB\xBF").map_err(|e| e.to_string())?;
        }
        let mut csv = csv::Writer::from_writer(out);
        let headers = columns
            .iter()
            .map(|c| options.style.header(*c))
            .chain(attributes.iter().map(String::as_str));
        csv.write_record(headers).map_err(|e| e.to_string())?;
        Ok(UserWriter {
            csv,
            row: Vec::with_capacity(columns.len() + attributes.len()),
            columns,
            attributes,
        })
    }

    pub fn write(&mut self, user: &User) -> Result<(), String> {
        self.row.clear();
        for column in &self.columns {
            self.row
                .push(neutralize(&column.text(user).unwrap_or_default()).into_owned());
        }
        for name in &self.attributes {
            let value = user.attributes.get(name).map_or("", String::as_str);
            self.row.push(neutralize(value).into_owned());
        }
        self.csv.write_record(&self.row).map_err(|e| e.to_string())
    }

    /// Flushes what is buffered and hands back the output.
    pub fn finish(self) -> Result<W, String> {
        self.csv.into_inner().map_err(|e| e.to_string())
    }
}

/// How an export file is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// Start with a byte order mark, so Excel reads the file as UTF-8.
    pub bom: bool,
    pub style: HeaderStyle,
}

/// Writes one kind of row to CSV as the rows come.
pub trait RowWriter<W: Write> {
    type Item: ?Sized;
    fn write(&mut self, item: &Self::Item) -> Result<(), String>;
    /// Flushes what is buffered and hands back the output.
    fn finish(self) -> Result<W, String>;
}

impl<W: Write> RowWriter<W> for UserWriter<W> {
    type Item = User;

    fn write(&mut self, user: &User) -> Result<(), String> {
        UserWriter::write(self, user)
    }

    fn finish(self) -> Result<W, String> {
        UserWriter::finish(self)
    }
}

/// Group memberships as CSV: group, username, email; read back by `open_memberships`.
pub struct MembershipWriter<W: Write> {
    csv: csv::Writer<W>,
}

impl<W: Write> MembershipWriter<W> {
    pub fn new(mut out: W, bom: bool) -> Result<Self, String> {
        if bom {
            out.write_all(b"\xEF\xBB\xBF").map_err(|e| e.to_string())?;
        }
        let mut csv = csv::Writer::from_writer(out);
        csv.write_record(["group", "username", "email"])
            .map_err(|e| e.to_string())?;
        Ok(MembershipWriter { csv })
    }
}

impl<W: Write> RowWriter<W> for MembershipWriter<W> {
    type Item = Membership;

    fn write(&mut self, m: &Membership) -> Result<(), String> {
        self.csv
            .write_record([
                neutralize(&m.group).as_ref(),
                neutralize(&m.username).as_ref(),
                neutralize(&m.email).as_ref(),
            ])
            .map_err(|e| e.to_string())
    }

    fn finish(self) -> Result<W, String> {
        self.csv.into_inner().map_err(|e| e.to_string())
    }
}

/// Devices as CSV, read back by `open_devices`: the owner by email, so an asset list
/// edited in a spreadsheet comes back matched to the same people.
pub struct DeviceWriter<W: Write> {
    csv: csv::Writer<W>,
}

const DEVICE_HEADERS: [&str; 9] = [
    "name",
    "os",
    "model",
    "serial",
    "owner",
    "organization",
    "state",
    "enrolled_at",
    "last_activity_at",
];

impl<W: Write> DeviceWriter<W> {
    pub fn new(mut out: W, bom: bool) -> Result<Self, String> {
        if bom {
            out.write_all(b"\xEF\xBB\xBF").map_err(|e| e.to_string())?;
        }
        let mut csv = csv::Writer::from_writer(out);
        csv.write_record(DEVICE_HEADERS)
            .map_err(|e| e.to_string())?;
        Ok(DeviceWriter { csv })
    }
}

impl<W: Write> RowWriter<W> for DeviceWriter<W> {
    type Item = Device;

    fn write(&mut self, d: &Device) -> Result<(), String> {
        let time = |at: Option<chrono::DateTime<chrono::Utc>>| {
            at.map(|at| at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_default()
        };
        let owner = d
            .owner_email
            .as_deref()
            .or(d.owner.as_deref())
            .unwrap_or_default();
        let cells = [
            d.name.as_str(),
            d.os.label(),
            d.model.as_str(),
            d.serial.as_str(),
            owner,
            d.organization.as_deref().unwrap_or_default(),
            d.state.as_str(),
            &time(Some(d.enrolled_at)),
            &time(d.last_activity_at),
        ];
        self.csv
            .write_record(cells.map(|cell| neutralize(cell).into_owned()))
            .map_err(|e| e.to_string())
    }

    fn finish(self) -> Result<W, String> {
        self.csv.into_inner().map_err(|e| e.to_string())
    }
}

/// How audit entries are written: CSV for a spreadsheet, JSON lines for a log tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditFormat {
    Csv,
    JsonLines,
}

impl FromStr for AuditFormat {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(AuditFormat::Csv),
            "jsonl" | "json-lines" | "ndjson" => Ok(AuditFormat::JsonLines),
            other => Err(format!("unknown format '{other}': choose csv or jsonl")),
        }
    }
}

/// Audit entries, newest first as read: in CSV one row per entry with its changes in one
/// cell ("field: before → after", one per line), every cell guarded like a users export's;
/// in JSON lines each entry whole.
pub enum AuditWriter<W: Write> {
    Csv(Box<csv::Writer<W>>),
    JsonLines(W),
}

const AUDIT_HEADERS: [&str; 11] = [
    "id",
    "at",
    "actor",
    "workstation",
    "origin",
    "action",
    "description",
    "target_kind",
    "target_id",
    "target_name",
    "changes",
];

impl<W: Write> AuditWriter<W> {
    pub fn new(mut out: W, format: AuditFormat, bom: bool) -> Result<Self, String> {
        match format {
            AuditFormat::Csv => {
                if bom {
                    out.write_all(b"\xEF\xBB\xBF").map_err(|e| e.to_string())?;
                }
                let mut csv = csv::Writer::from_writer(out);
                csv.write_record(AUDIT_HEADERS).map_err(|e| e.to_string())?;
                Ok(AuditWriter::Csv(Box::new(csv)))
            }
            AuditFormat::JsonLines => Ok(AuditWriter::JsonLines(out)),
        }
    }
}

/// "field: before → after", one line per field; an empty value is shown as "(empty)".
fn describe_changes(entry: &AuditEntry) -> String {
    let value = |v: &Option<String>| v.clone().unwrap_or_else(|| "(empty)".into());
    entry
        .changes
        .iter()
        .map(|c| format!("{}: {} → {}", c.field, value(&c.before), value(&c.after)))
        .collect::<Vec<_>>()
        .join("\n")
}

impl<W: Write> RowWriter<W> for AuditWriter<W> {
    type Item = AuditEntry;

    fn write(&mut self, entry: &AuditEntry) -> Result<(), String> {
        match self {
            AuditWriter::Csv(csv) => {
                let id = entry.id.to_string();
                let at = entry
                    .at
                    .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
                let target_id = entry.target.id.to_string();
                let changes = describe_changes(entry);
                csv.write_record([
                    id.as_str(),
                    &at,
                    &neutralize(&entry.actor),
                    &neutralize(&entry.workstation),
                    entry.origin.as_str(),
                    &neutralize(&entry.action),
                    &neutralize(&entry.label),
                    &neutralize(&entry.target.kind),
                    &target_id,
                    &neutralize(&entry.target.name),
                    &neutralize(&changes),
                ])
                .map_err(|e| e.to_string())
            }
            AuditWriter::JsonLines(out) => {
                serde_json::to_writer(&mut *out, entry).map_err(|e| e.to_string())?;
                out.write_all(b"\n").map_err(|e| e.to_string())
            }
        }
    }

    fn finish(self) -> Result<W, String> {
        match self {
            AuditWriter::Csv(csv) => csv.into_inner().map_err(|e| e.to_string()),
            AuditWriter::JsonLines(mut out) => {
                out.flush().map_err(|e| e.to_string())?;
                Ok(out)
            }
        }
    }
}

/// A file only the owning OS account can read, for every file Roster writes with people's
/// data or secrets: an export lists the organisation's people, a problem report their
/// emails, a QR code or a saved message a secret. Made by [`create_private`]; it appears at
/// its path only once [`PrivateFile::finish`]ed, and dropped unfinished (an error, a
/// cancel) it leaves nothing behind, so the admin never finds half a file where a whole one
/// belongs.
///
/// It is written to a new partial file beside its path ("NAME.XXXXXX.partial") and renamed
/// over it: whatever was at the path (an older file, a symbolic or hard link someone
/// planted) is replaced, never opened and written through, and the partial file is created
/// exclusively (see `create_new`), so nothing planted under its name is opened either.
#[must_use = "the file appears only once finished"]
pub struct PrivateFile {
    out: BufWriter<File>,
    /// Removes the partial file when dropped, unless renamed into place.
    partial: tempfile::TempPath,
    path: PathBuf,
}

/// Starts a [`PrivateFile`] that will be at `path`; its folder must exist.
pub fn create_private(path: &Path) -> io::Result<PrivateFile> {
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "this names a folder, not a file",
        )
    })?;
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    let mut prefix = name.to_owned();
    prefix.push(".");
    // In the same folder, so the rename stays on one file system and is atomic. tempfile
    // picks a random name, tries another when one is taken (`create_new` refuses anything
    // already there, a planted link included), and removes the file if it is dropped.
    let partial = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".partial")
        .make_in(folder, create_new)?;
    let (file, partial) = partial.into_parts();
    Ok(PrivateFile {
        out: BufWriter::new(file),
        partial,
        path: path.to_owned(),
    })
}

/// `bytes` as a [`PrivateFile`] at `path`, whole or not at all.
pub fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = create_private(path)?;
    file.write_all(bytes)?;
    file.finish().map(drop)
}

/// Creates a new, empty file for the owner only. `create_new` is O_CREAT|O_EXCL, which
/// fails on anything already at the path, a symbolic link included (the link is not
/// followed); on Unix O_NOFOLLOW says so once more, whatever the platform makes of O_EXCL.
/// Elsewhere than Unix the OS's default permissions apply.
fn create_new(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    options.open(path)
}

impl PrivateFile {
    /// Writes out what is buffered, makes it durable, and puts the file at its path in
    /// place of whatever was there; returns the path.
    pub fn finish(self) -> io::Result<PathBuf> {
        let PrivateFile { out, partial, path } = self;
        let file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.sync_all()?;
        drop(file);
        partial.persist(&path).map_err(|e| e.error)?;
        Ok(path)
    }
}

impl Write for PrivateFile {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.out.write(bytes)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// An export to a [`PrivateFile`]: rows are written as they come, and the file appears
/// only once complete, by [`FileExport::finish`].
pub struct FileExport<T: RowWriter<PrivateFile>> {
    path: PathBuf,
    writer: T,
}

impl FileExport<UserWriter<PrivateFile>> {
    /// Users, in the columns (fields, then attributes) and header style chosen.
    pub fn create(
        path: &Path,
        columns: Vec<UserField>,
        attributes: Vec<String>,
        options: ExportOptions,
    ) -> Result<Self, String> {
        FileExport::start(path, |out| {
            UserWriter::new(out, columns, attributes, options)
        })
    }
}

impl FileExport<MembershipWriter<PrivateFile>> {
    pub fn memberships(path: &Path, bom: bool) -> Result<Self, String> {
        FileExport::start(path, |out| MembershipWriter::new(out, bom))
    }
}

impl FileExport<DeviceWriter<PrivateFile>> {
    pub fn devices(path: &Path, bom: bool) -> Result<Self, String> {
        FileExport::start(path, |out| DeviceWriter::new(out, bom))
    }
}

impl FileExport<AuditWriter<PrivateFile>> {
    pub fn audit(path: &Path, format: AuditFormat, bom: bool) -> Result<Self, String> {
        FileExport::start(path, |out| AuditWriter::new(out, format, bom))
    }
}

impl<T: RowWriter<PrivateFile>> FileExport<T> {
    fn start(
        path: &Path,
        begin: impl FnOnce(PrivateFile) -> Result<T, String>,
    ) -> Result<Self, String> {
        let cannot = |e: &dyn std::fmt::Display| format!("cannot write {}: {e}", path.display());
        let file = create_private(path).map_err(|e| cannot(&e))?;
        let writer = begin(file).map_err(|e| cannot(&e))?;
        Ok(FileExport {
            path: path.to_owned(),
            writer,
        })
    }

    pub fn write(&mut self, item: &T::Item) -> Result<(), String> {
        self.writer.write(item)
    }

    /// Flushes the rows and puts the file in its place.
    pub fn finish(self) -> Result<PathBuf, String> {
        let cannot =
            |e: &dyn std::fmt::Display| format!("cannot write {}: {e}", self.path.display());
        let file = self.writer.finish().map_err(|e| cannot(&e))?;
        file.finish().map_err(|e| cannot(&e))
    }
}

/// The problems of an import as a CSV report (line, column, value, message), every cell
/// guarded like an export's.
pub fn write_problems<W: Write>(out: W, problems: &[RowProblem]) -> Result<(), String> {
    let mut csv = csv::Writer::from_writer(out);
    let fail = |e: csv::Error| e.to_string();
    csv.write_record(["line", "column", "value", "message"])
        .map_err(fail)?;
    for p in problems {
        let line = p.line.to_string();
        let value = p.value.as_deref().map(neutralize);
        csv.write_record([
            line.as_str(),
            &neutralize(p.column.as_deref().unwrap_or_default()),
            value.as_deref().unwrap_or_default(),
            &neutralize(&p.message),
        ])
        .map_err(fail)?;
    }
    csv.flush().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use roster_core::{AuditTarget, FieldChange, Origin};

    fn entry() -> AuditEntry {
        AuditEntry {
            id: 7,
            at: "2026-11-24T10:15:00Z".parse().unwrap(),
            actor: "=cmd|' /C calc'!A0".into(),
            workstation: "desk-1".into(),
            origin: Origin::Desktop,
            action: "user.update".into(),
            label: "Updated".into(),
            target: AuditTarget {
                kind: "user".into(),
                id: 3,
                name: "@SUM(1+1) <grace>".into(),
            },
            changes: vec![
                FieldChange {
                    field: "last_name".into(),
                    before: Some("Hopper".into()),
                    after: Some("+Murray".into()),
                },
                FieldChange {
                    field: "phone".into(),
                    before: None,
                    after: Some("+1 555".into()),
                },
            ],
        }
    }

    #[test]
    fn audit_csv_guards_every_cell_a_person_wrote() {
        let mut writer = AuditWriter::new(Vec::new(), AuditFormat::Csv, false).unwrap();
        writer.write(&entry()).unwrap();
        let text = String::from_utf8(writer.finish().unwrap()).unwrap();
        let mut rows = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(rows.headers().unwrap(), AUDIT_HEADERS.as_slice());
        let row = rows.records().next().unwrap().unwrap();
        assert_eq!(&row[1], "2026-11-24T10:15:00.000Z");
        assert_eq!(&row[2], "'=cmd|' /C calc'!A0");
        assert_eq!(&row[9], "'@SUM(1+1) <grace>");
        assert_eq!(
            &row[10],
            "last_name: Hopper → +Murray\nphone: (empty) → +1 555"
        );
    }

    #[test]
    fn audit_json_lines_hold_each_entry_whole() {
        let mut writer = AuditWriter::new(Vec::new(), AuditFormat::JsonLines, false).unwrap();
        writer.write(&entry()).unwrap();
        writer.write(&entry()).unwrap();
        let text = String::from_utf8(writer.finish().unwrap()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        let back: AuditEntry = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(back, entry());
        assert_eq!("jsonl".parse(), Ok(AuditFormat::JsonLines));
        assert!(
            "xml"
                .parse::<AuditFormat>()
                .unwrap_err()
                .contains("csv or jsonl")
        );
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[cfg(unix)]
    #[test]
    fn a_private_file_replaces_a_link_at_its_path_never_writing_through_it() {
        use std::os::unix::fs::{MetadataExt, symlink};
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let victim = elsewhere.path().join("victim");
        std::fs::write(&victim, "untouched").unwrap();
        let soft = dir.path().join("qr.svg");
        symlink(&victim, &soft).unwrap();
        let hard = dir.path().join("problems.csv");
        std::fs::hard_link(&victim, &hard).unwrap();
        for path in [&soft, &hard] {
            write_private(path, b"secret").unwrap();
            assert_eq!(std::fs::read_to_string(&victim).unwrap(), "untouched");
            let meta = std::fs::symlink_metadata(path).unwrap();
            assert!(meta.file_type().is_file() && meta.nlink() == 1);
            assert_eq!(meta.mode() & 0o777, 0o600);
            assert_eq!(std::fs::read(path).unwrap(), b"secret");
        }
        assert_eq!(names(dir.path()), ["problems.csv", "qr.svg"]);
    }

    #[test]
    fn an_unfinished_private_file_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.csv");
        let mut file = create_private(&path).unwrap();
        file.write_all(b"half").unwrap();
        file.flush().unwrap();
        assert_eq!(names(dir.path()).len(), 1);
        assert!(names(dir.path())[0].starts_with("export.csv."));
        assert!(names(dir.path())[0].ends_with(".partial"));
        drop(file);
        let mut export = FileExport::memberships(&path, false).unwrap();
        export
            .write(&Membership {
                group: "staff".into(),
                username: "ada".into(),
                email: "ada@example.org".into(),
            })
            .unwrap();
        drop(export);
        assert!(names(dir.path()).is_empty());
        let export = FileExport::memberships(&path, false).unwrap();
        assert_eq!(export.finish().unwrap(), path);
        assert_eq!(names(dir.path()), ["export.csv"]);
    }
}
