//! The spreadsheets admins bring to Roster, read as they are: UTF-8 with or without a BOM
//! or UTF-16 (Excel's "Unicode text"), comma, semicolon or tab, CRLF or LF, quoted cells with
//! delimiters, quotes and line breaks inside; Roster's own export and the files of Google
//! Workspace, Microsoft Entra ID, JumpCloud and Okta, each column mapped to a field or
//! listed as ignored. Rows stream, each of at most [`MAX_ROW_BYTES`] and cells of at most
//! [`MAX_CELL_BYTES`]: memory stays flat whatever the file, and a file beyond those limits
//! is refused at the line where it passes them.
//!
//! This crate only reads and maps. Whether a row is a valid user, and writing it, is
//! roster-core's: each row is a [`roster_core::ImportRow`] for its validators.

mod formats;
mod lines;
mod neutral;
mod write;

pub use formats::{Field, Format, header_key};
pub use neutral::{neutralize, restore};
pub use write::{
    AuditFormat, AuditWriter, DeviceWriter, ExportOptions, FileExport, HeaderStyle,
    MembershipWriter, PrivateFile, RowWriter, UserWriter, create_private, default_columns,
    parse_column, write_private, write_problems,
};

use encoding_rs_io::{DecodeReaderBytes, DecodeReaderBytesBuilder};
use lines::{LineTracker, Lines};
use roster_core::{DeviceRow, ImportRow, MembershipRow, NewUser, RowProblem, Status, UserField};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Chain, Cursor, Read};

/// More columns than any real user list has (the widest exports, Okta's with custom
/// attributes, have a few hundred); a file beyond this is not one. The header is held to it;
/// a row with another count of cells is a problem of that row, and [`MAX_ROW_BYTES`] bounds
/// what such a row can hold.
pub const MAX_COLUMNS: usize = 1000;

/// The longest cell Roster reads, in bytes. Excel holds at most 32,767 characters in a cell
/// and Google Sheets 50,000, and Roster's longest values (a list of groups or tags) take a
/// few KiB; a longer cell is not from a user list, and reading it would only cost memory.
pub const MAX_CELL_BYTES: usize = 64 * 1024;

/// The longest row Roster reads, in bytes, line breaks in quoted cells included: room for
/// a few cells at [`MAX_CELL_BYTES`], or every column of a wide export. It is also the most
/// the reader holds of a file at once: a row is refused as soon as it passes this, before
/// the rest of it is read, so a 300 MB cell (or the rest of a file after a quote that is
/// never closed) costs no more memory than a normal row.
pub const MAX_ROW_BYTES: usize = 256 * 1024;

/// How to read a file: its format when the admin says so, and columns mapped by hand.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    pub format: Option<Format>,
    /// Header → field (`None`: skip the column); they win over the format's mapping.
    pub overrides: Vec<(String, Option<Field>)>,
    /// The names of the attributes admins defined: a column no field takes whose header
    /// is one of them ("Badge number" for badge_number) holds that attribute.
    pub attributes: Vec<String>,
    /// Header → attribute name, mapped by hand; they win over every other mapping.
    pub attribute_columns: Vec<(String, String)>,
}

/// One column of the file and what it becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub header: String,
    /// `None`: Roster does not keep this column; it is listed as ignored (unless it holds
    /// an attribute).
    pub field: Option<Field>,
    /// The attribute the column holds, by name, where no field takes it.
    pub attribute: Option<String>,
}

/// Why a file cannot be read at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SheetError {
    #[error("the file is empty; export the users with a header line first")]
    Empty,
    #[error("cannot read the file: {0}")]
    Io(String),
    #[error(
        "line {line} is not valid text: save the file as UTF-8 (\"CSV UTF-8\" in Excel) and try again"
    )]
    Encoding { line: u64 },
    #[error(
        "the header has {0} columns; Roster reads at most {MAX_COLUMNS}. Is this the right file?"
    )]
    TooManyColumns(usize),
    #[error("the header names \"{0}\" twice; rename one of the columns")]
    DuplicateHeader(String),
    #[error("the header has an empty column name at position {0}; name it or delete the column")]
    EmptyHeader(usize),
    #[error(
        "column \"{header}\" is mapped to {}, which column \"{other}\" already holds; skip one of them",
        .field.as_str()
    )]
    DuplicateField {
        header: String,
        other: String,
        field: Field,
    },
    #[error("{0}")]
    Columns(String),
    #[error(
        "line {line}, column {column}: the cell holds more than {max} KiB, and Roster reads at most {max} KiB in a cell. Is this the right file? If it is, shorten that cell and try again",
        max = MAX_CELL_BYTES / 1024
    )]
    CellTooLong {
        line: u64,
        /// The column's header in quotes, or its position where it has none.
        column: String,
    },
    #[error(
        "line {line}: the row goes on for more than {max} KiB, and Roster reads at most {max} KiB in a row. Is this the right file? If it is, look for a quote (\") opened in that row and never closed, or shorten the row",
        max = MAX_ROW_BYTES / 1024
    )]
    RowTooLong { line: u64 },
}

type Decoded<R> = BufReader<DecodeReaderBytes<R, Vec<u8>>>;
type Source<R> = LineTracker<Chain<Cursor<Vec<u8>>, Decoded<R>>>;

/// An open spreadsheet: its format, delimiter and columns, and its rows to read.
pub struct Sheet<R: Read> {
    pub format: Format,
    pub delimiter: u8,
    pub columns: Vec<Column>,
    table: Table<R>,
}

/// A decoded file with its header read: the records still to read, with their lines.
struct Table<R: Read> {
    reader: csv::Reader<Source<R>>,
    lines: Lines,
    headers: csv::StringRecord,
    delimiter: u8,
}

/// Opens a spreadsheet: decodes it, finds the delimiter, reads the header and maps each
/// column to a field. The rows are read as [`Sheet::rows`] is iterated.
pub fn open<R: Read>(input: R, options: &ReadOptions) -> Result<Sheet<R>, SheetError> {
    let table = Table::start(input)?;
    let columns = map_columns(&table.headers, options)?;
    let format = options.format.unwrap_or_else(|| {
        Format::detect(&table.headers.iter().map(header_key).collect::<Vec<_>>())
    });
    Ok(Sheet {
        format,
        delimiter: table.delimiter,
        columns,
        table,
    })
}

impl<R: Read> Table<R> {
    /// Decodes the file, finds the delimiter and reads the header.
    fn start(input: R) -> Result<Self, SheetError> {
        let decoded = DecodeReaderBytesBuilder::new()
            .bom_sniffing(true)
            .strip_bom(true)
            .utf8_passthru(true)
            .build(input);
        let mut reader = BufReader::new(decoded);
        // The first lines are read here, before the parser, to find the delimiter: bounded
        // as the parser's rows are, so a file without a line break is read no further.
        let line = |reader: &mut Decoded<R>, number: u64| {
            let mut line = Vec::new();
            reader
                .by_ref()
                .take(MAX_ROW_BYTES as u64 + 1)
                .read_until(b'\n', &mut line)
                .map_err(|e| SheetError::Io(e.to_string()))?;
            if line.len() > MAX_ROW_BYTES {
                return Err(SheetError::RowTooLong { line: number });
            }
            Ok::<_, SheetError>(line)
        };
        let mut header = line(&mut reader, 1)?;
        if header.is_empty() {
            return Err(SheetError::Empty);
        }
        // Entra's template starts with a version line ("version:v1.0") before the header.
        let skipped_lines = if header.starts_with(b"version:") {
            header = line(&mut reader, 2)?;
            1
        } else {
            0
        };
        let delimiter = sniff_delimiter(&header);
        let (source, lines) = LineTracker::new(Cursor::new(header).chain(reader), skipped_lines);
        let mut csv = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(source);
        let headers = match csv.headers() {
            Ok(headers) => headers.clone(),
            Err(e) => return Err(read_error(&e, &lines, 0)),
        };
        let header_line = lines.line_at(0);
        lines.record_ended(csv.position().byte());
        if headers.is_empty() || headers.iter().all(|h| h.trim().is_empty()) {
            return Err(SheetError::Empty);
        }
        if headers.len() > MAX_COLUMNS {
            return Err(SheetError::TooManyColumns(headers.len()));
        }
        if let Some(i) = headers.iter().position(|h| h.len() > MAX_CELL_BYTES) {
            return Err(SheetError::CellTooLong {
                line: header_line,
                column: (i + 1).to_string(),
            });
        }
        Ok(Table {
            reader: csv,
            lines,
            headers,
            delimiter,
        })
    }

    /// The records in file order, each made into a `T` by `map` with its line, or what is
    /// wrong with it. Blank lines are skipped; a row with more or fewer cells than the
    /// header is an error. A row past [`MAX_ROW_BYTES`] or with a cell past
    /// [`MAX_CELL_BYTES`], or a failed read, is the last item: a problem that ends the file
    /// ([`RowProblem::ends_file`]), so the import stops there and writes nothing.
    fn records<T>(
        self,
        mut map: impl FnMut(&csv::StringRecord, u64) -> Result<T, RowProblem>,
    ) -> impl Iterator<Item = Result<T, RowProblem>> {
        let Table {
            mut reader,
            lines,
            headers,
            ..
        } = self;
        let width = headers.len();
        // Read as bytes, so that cells are measured before they are checked as text (a huge
        // cell is refused in a row that is not valid text too); reused from row to row.
        let mut bytes = csv::ByteRecord::new();
        let mut ended = false;
        std::iter::from_fn(move || {
            while !ended {
                let start = reader.position().byte();
                let read = reader.read_byte_record(&mut bytes);
                let line = lines.line_at(start);
                lines.record_ended(reader.position().byte());
                let problem = |message: String| RowProblem {
                    line,
                    column: None,
                    value: None,
                    message,
                    message_id: None,
                    args: None,
                    ends_file: false,
                };
                let refused = match read {
                    Ok(false) => return None,
                    Ok(true) => bytes
                        .iter()
                        .position(|cell| cell.len() > MAX_CELL_BYTES)
                        .map(|i| SheetError::CellTooLong {
                            line,
                            column: column_name(&headers, i),
                        }),
                    // After a failed read the parser is somewhere inside a row: where the
                    // next one starts is unknown, so nothing after it can be trusted.
                    Err(e) => match e.kind() {
                        csv::ErrorKind::Io(e) if lines::is_row_too_long(e) => {
                            Some(SheetError::RowTooLong { line })
                        }
                        csv::ErrorKind::Io(e) => Some(SheetError::Io(e.to_string())),
                        _ => return Some(Err(problem(e.to_string()))),
                    },
                };
                if let Some(error) = refused {
                    ended = true;
                    return Some(Err(RowProblem {
                        message_id: None,
                        args: None,
                        ends_file: true,
                        ..problem(error.to_string())
                    }));
                }
                let record = match csv::StringRecord::from_byte_record(std::mem::take(&mut bytes)) {
                    Ok(record) => record,
                    Err(e) => {
                        bytes = e.into_byte_record();
                        return Some(Err(problem(
                            "this line is not valid text; save the file as UTF-8".to_owned(),
                        )));
                    }
                };
                let item = if record.iter().all(|cell| cell.trim().is_empty()) {
                    None
                } else if record.len() != width {
                    Some(Err(problem(format!(
                        "this row has {} cells but the header has {width} columns; check for a missing or extra delimiter",
                        record.len(),
                    ))))
                } else {
                    Some(map(&record, line))
                };
                bytes = record.into_byte_record();
                if item.is_some() {
                    return item;
                }
            }
            None
        })
    }
}

/// A column as an error names it: its header in quotes, or its position past the header's.
fn column_name(headers: &csv::StringRecord, i: usize) -> String {
    match headers.get(i) {
        Some(header) => format!("\"{}\"", header.trim()),
        None => (i + 1).to_string(),
    }
}

/// The delimiter that splits the header line into the most columns, counting only
/// outside quotes: comma, semicolon (Excel in many locales) or tab (Excel's Unicode text).
fn sniff_delimiter(start: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for byte in start {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let delimiters = [b',', b';', b'\t'];
    let best = (0..3)
        .max_by_key(|i| (counts[*i], usize::from(*i == 0)))
        .unwrap_or(0);
    delimiters[best]
}

fn map_columns(
    headers: &csv::StringRecord,
    options: &ReadOptions,
) -> Result<Vec<Column>, SheetError> {
    let keys: Vec<String> = headers.iter().map(header_key).collect();
    for (i, header) in headers.iter().enumerate() {
        if header.trim().is_empty() {
            return Err(SheetError::EmptyHeader(i + 1));
        }
        if keys[..i].contains(&keys[i]) {
            return Err(SheetError::DuplicateHeader(header.trim().to_owned()));
        }
    }
    let mapped = options.overrides.iter().map(|(header, _)| header);
    for header in mapped.chain(options.attribute_columns.iter().map(|(header, _)| header)) {
        if !keys.contains(&header_key(header)) {
            return Err(SheetError::Columns(format!(
                "the mapping names column \"{header}\", which the file does not have; its columns are: {}",
                headers.iter().collect::<Vec<_>>().join(", ")
            )));
        }
    }
    let format = options.format.unwrap_or_else(|| Format::detect(&keys));
    let mut columns = Vec::with_capacity(headers.len());
    let mut taken: HashMap<Field, String> = HashMap::new();
    for (header, key) in headers.iter().zip(&keys) {
        let chosen = options
            .attribute_columns
            .iter()
            .find(|(h, _)| header_key(h) == *key)
            .map(|(_, name)| name.clone());
        let overridden = options
            .overrides
            .iter()
            .find(|(h, _)| header_key(h) == *key);
        let field = match (&chosen, overridden) {
            (Some(_), _) => None,
            (None, Some((_, field))) => *field,
            (None, None) => format.field_of(key),
        };
        // Headers are unique by key, so no two columns take one attribute by its name.
        let attribute = chosen.or_else(|| {
            options
                .attributes
                .iter()
                .filter(|_| field.is_none() && overridden.is_none())
                .find(|name| header_key(name) == *key)
                .cloned()
        });
        if let Some(field) = field.filter(|f| !f.repeats())
            && let Some(other) = taken.insert(field, header.trim().to_owned())
        {
            return Err(SheetError::DuplicateField {
                header: header.trim().to_owned(),
                other,
                field,
            });
        }
        columns.push(Column {
            header: header.trim().to_owned(),
            field,
            attribute,
        });
    }
    Ok(columns)
}

fn read_error(error: &csv::Error, lines: &Lines, start: u64) -> SheetError {
    match error.kind() {
        csv::ErrorKind::Utf8 { .. } => SheetError::Encoding {
            line: lines.line_at(start),
        },
        csv::ErrorKind::Io(e) if lines::is_row_too_long(e) => SheetError::RowTooLong {
            line: lines.line_at(start),
        },
        csv::ErrorKind::Io(e) => SheetError::Io(e.to_string()),
        _ => SheetError::Io(error.to_string()),
    }
}

/// Renames each problem's column from Roster's field name to the file's own header, as
/// the admin sees it in the spreadsheet ("email[2]" stays as it is when no column has it).
pub fn name_columns(columns: &[Column], problems: &mut [RowProblem]) {
    for problem in problems {
        if let Some(field) = &problem.column {
            let name = field.split('[').next().unwrap_or(field);
            if let Some(column) = columns.iter().find(|c| {
                c.field.is_some_and(|f| f.as_str() == name) || c.attribute.as_deref() == Some(name)
            }) {
                problem.column = Some(column.header.clone());
            }
        }
    }
}

impl<R: Read> Sheet<R> {
    /// The columns Roster does not keep, by header, for the preview to list.
    pub fn ignored(&self) -> Vec<&str> {
        self.columns
            .iter()
            .filter(|c| c.field.is_none() && c.attribute.is_none())
            .map(|c| c.header.as_str())
            .collect()
    }

    /// The rows in file order, each mapped or with what is wrong with it. Blank lines are
    /// skipped; a row with more or fewer cells than the header is an error.
    pub fn rows(self) -> impl Iterator<Item = Result<ImportRow, RowProblem>> {
        let Sheet {
            format,
            columns,
            table,
            ..
        } = self;
        table.records(move |record, line| map_row(format, &columns, record, line))
    }
}

/// A group memberships file: a group column and a member column (username or email).
pub struct MembershipSheet<R: Read> {
    group: usize,
    member: usize,
    table: Table<R>,
}

/// Headers a memberships file names its group column with, as [`header_key`]s.
const GROUP_HEADERS: [&str; 3] = ["group", "groupname", "groupemail"];
/// And its member column: Roster's export writes username and email; either will do.
const MEMBER_HEADERS: [&str; 6] = [
    "member",
    "username",
    "memberemail",
    "email",
    "login",
    "user",
];

/// Opens a memberships file (Roster's export, or any sheet with a group and a member
/// column), decoded and delimited as [`open`] does.
pub fn open_memberships<R: Read>(input: R) -> Result<MembershipSheet<R>, SheetError> {
    let table = Table::start(input)?;
    let keys: Vec<String> = table.headers.iter().map(header_key).collect();
    let find = |names: &[&str]| {
        names
            .iter()
            .find_map(|name| keys.iter().position(|k| k == name))
    };
    match (find(&GROUP_HEADERS), find(&MEMBER_HEADERS)) {
        (Some(group), Some(member)) => Ok(MembershipSheet {
            group,
            member,
            table,
        }),
        _ => Err(SheetError::Columns(format!(
            "a memberships file needs a \"group\" column and a \"member\" column (a username or email); this one has: {}",
            table.headers.iter().collect::<Vec<_>>().join(", ")
        ))),
    }
}

/// The file's own names of a memberships file's two columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipHeaders {
    pub group: String,
    pub member: String,
}

impl MembershipHeaders {
    /// Renames each problem's column ("group", "member") to the file's header for it.
    pub fn name(&self, problems: &mut [RowProblem]) {
        for problem in problems {
            let header = match problem.column.as_deref() {
                Some("group") => &self.group,
                Some("member") => &self.member,
                _ => continue,
            };
            problem.column = Some(header.clone());
        }
    }
}

impl<R: Read> MembershipSheet<R> {
    pub fn headers(&self) -> MembershipHeaders {
        let header = |i: usize| {
            self.table
                .headers
                .get(i)
                .unwrap_or_default()
                .trim()
                .to_owned()
        };
        MembershipHeaders {
            group: header(self.group),
            member: header(self.member),
        }
    }

    pub fn rows(self) -> impl Iterator<Item = Result<MembershipRow, RowProblem>> {
        let MembershipSheet {
            group,
            member,
            table,
        } = self;
        table.records(move |record, line| {
            let cell = |i: usize| restore(record.get(i).unwrap_or_default().trim()).into_owned();
            Ok(MembershipRow {
                line,
                group: cell(group),
                member: cell(member),
            })
        })
    }
}

/// A devices file: Roster's export, or an asset list with a device name, OS and owner
/// column (model and serial number when it has them).
pub struct DeviceSheet<R: Read> {
    name: usize,
    os: usize,
    owner: usize,
    model: Option<usize>,
    serial: Option<usize>,
    table: Table<R>,
}

/// The headers each column of a devices file goes by, as [`header_key`]s.
const DEVICE_NAME_HEADERS: [&str; 5] = ["name", "devicename", "hostname", "computername", "device"];
const DEVICE_OS_HEADERS: [&str; 4] = ["os", "operatingsystem", "platform", "ostype"];
const DEVICE_OWNER_HEADERS: [&str; 7] = [
    "owner",
    "owneremail",
    "email",
    "assignedto",
    "user",
    "username",
    "primaryuser",
];
const DEVICE_MODEL_HEADERS: [&str; 2] = ["model", "devicemodel"];
const DEVICE_SERIAL_HEADERS: [&str; 4] = ["serial", "serialnumber", "serialno", "sn"];

/// Opens a devices file, decoded and delimited as [`open`] does.
pub fn open_devices<R: Read>(input: R) -> Result<DeviceSheet<R>, SheetError> {
    let table = Table::start(input)?;
    let keys: Vec<String> = table.headers.iter().map(header_key).collect();
    let find = |names: &[&str]| {
        names
            .iter()
            .find_map(|name| keys.iter().position(|k| k == name))
    };
    match (
        find(&DEVICE_NAME_HEADERS),
        find(&DEVICE_OS_HEADERS),
        find(&DEVICE_OWNER_HEADERS),
    ) {
        (Some(name), Some(os), Some(owner)) => Ok(DeviceSheet {
            name,
            os,
            owner,
            model: find(&DEVICE_MODEL_HEADERS),
            serial: find(&DEVICE_SERIAL_HEADERS),
            table,
        }),
        _ => Err(SheetError::Columns(format!(
            "a devices file needs a \"name\", an \"os\" and an \"owner\" column (the owner's email or username), and may have \"model\" and \"serial\"; this one has: {}",
            table.headers.iter().collect::<Vec<_>>().join(", ")
        ))),
    }
}

impl<R: Read> DeviceSheet<R> {
    pub fn rows(self) -> impl Iterator<Item = Result<DeviceRow, RowProblem>> {
        let DeviceSheet {
            name,
            os,
            owner,
            model,
            serial,
            table,
        } = self;
        table.records(move |record, line| {
            let cell = |i: Option<usize>| {
                i.map(|i| restore(record.get(i).unwrap_or_default().trim()).into_owned())
                    .unwrap_or_default()
            };
            Ok(DeviceRow {
                line,
                name: cell(Some(name)),
                os: cell(Some(os)),
                model: cell(model),
                serial: cell(serial),
                owner: cell(Some(owner)),
            })
        })
    }
}

fn map_row(
    format: Format,
    columns: &[Column],
    record: &csv::StringRecord,
    line: u64,
) -> Result<ImportRow, RowProblem> {
    let mut user = NewUser::default();
    let mut groups = Vec::new();
    let mut password = None;
    let mut display_name = None;
    let optional = |v: &str| (!v.is_empty()).then(|| v.to_owned());
    for (column, cell) in columns.iter().zip(record.iter()) {
        if let Some(name) = &column.attribute {
            user.attributes
                .insert(name.clone(), restore(cell.trim()).into_owned());
            continue;
        }
        let Some(field) = column.field else { continue };
        let value = restore(cell.trim());
        let problem = |message: String| RowProblem {
            line,
            column: Some(column.header.clone()),
            value: Some(cell.to_owned()),
            message,
            message_id: None,
            args: None,
            ends_file: false,
        };
        match field {
            Field::User(UserField::Email) => user.email = value.into_owned(),
            Field::User(UserField::FirstName) => user.first_name = value.into_owned(),
            Field::User(UserField::LastName) => user.last_name = value.into_owned(),
            Field::User(UserField::Username) => user.username = optional(&value),
            Field::User(UserField::Phone) => user.phone = optional(&value),
            Field::User(UserField::Organization) => user.organization = optional(&value),
            Field::User(UserField::Team) => {
                // Google's org unit paths: "/" is the top level, "/Sales/EMEA" a team.
                let team = if format == Format::Google {
                    value.trim_matches('/').to_owned()
                } else {
                    value.into_owned()
                };
                user.team = optional(&team);
            }
            Field::User(UserField::Tags) => user.tags = list(&value),
            Field::User(UserField::Role) => user.role = optional(&value),
            Field::User(UserField::Status) => {
                user.status = status(format, &value).map_err(problem)?;
            }
            Field::User(UserField::Manager) => user.manager = optional(&value),
            Field::User(field) if field.profile_kind().is_some() => {
                user.profile.insert(field, value.into_owned());
            }
            // Not among those an import reads back (`UserField::imported`), so no column
            // maps to it; a field added there without a line here fails the conformance
            // test that exports and imports every one.
            Field::User(_) => {}
            Field::DisplayName => display_name = optional(&value),
            Field::Groups => groups.extend(list(&value)),
            Field::Password => password = optional(&value),
            Field::BlockSignIn => {
                user.status = yes_no(&value)
                    .map_err(problem)?
                    .and_then(|blocked| blocked.then_some(Status::Suspended));
            }
            Field::AccountEnabled => {
                user.status = yes_no(&value)
                    .map_err(problem)?
                    .and_then(|enabled| (!enabled).then_some(Status::Suspended));
            }
        }
    }
    // Entra's template names people once ("Ada Lovelace"); split where first and last
    // names are not given separately.
    if let Some(name) = display_name {
        let (first, last) = name.rsplit_once(' ').unwrap_or((name.as_str(), ""));
        if user.first_name.is_empty() {
            user.first_name = first.trim().to_owned();
        }
        if user.last_name.is_empty() {
            user.last_name = last.trim().to_owned();
        }
    }
    Ok(ImportRow {
        line,
        user,
        groups,
        password,
    })
}

/// A comma-separated cell as its values, trimmed, empty ones dropped.
fn list(cell: &str) -> Vec<String> {
    cell.split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A status word of the format; empty means "as the import chooses".
fn status(format: Format, value: &str) -> Result<Option<Status>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    match (format, value.to_ascii_lowercase().as_str()) {
        (Format::Google, "active") => Ok(Some(Status::Active)),
        (Format::Google, "suspended" | "archived") => Ok(Some(Status::Suspended)),
        _ => value.parse().map(Some),
    }
}

/// Yes/No, True/False, 1/0 as spreadsheets write them; empty is no answer.
fn yes_no(value: &str) -> Result<Option<bool>, String> {
    match value.to_ascii_lowercase().as_str() {
        "" => Ok(None),
        "yes" | "true" | "1" | "y" => Ok(Some(true)),
        "no" | "false" | "0" | "n" => Ok(Some(false)),
        _ => Err(format!("\"{value}\" is neither Yes nor No")),
    }
}
