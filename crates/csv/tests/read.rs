//! Reading the fixtures in tests/fixtures/csv/, one per format admins bring, and the bad
//! files they also bring.

use roster_core::{ImportRow as Row, RowProblem as RowError};
use roster_core::{Status, UserField};
use roster_csv::{
    Field, Format, MAX_CELL_BYTES, MAX_ROW_BYTES, ReadOptions, SheetError, open, open_devices,
    open_memberships,
};
use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/csv")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read(
    bytes: &[u8],
    options: &ReadOptions,
) -> (Format, u8, Vec<Result<Row, RowError>>, Vec<String>) {
    let sheet = open(bytes, options).unwrap();
    let (format, delimiter) = (sheet.format, sheet.delimiter);
    let ignored = sheet.ignored().into_iter().map(str::to_owned).collect();
    (format, delimiter, sheet.rows().collect(), ignored)
}

fn assert_ignored(ignored: &[String], header: &str) {
    assert!(
        ignored.iter().any(|h| h == header),
        "{header} not in {ignored:?}"
    );
}

fn ok(rows: Vec<Result<Row, RowError>>) -> Vec<Row> {
    rows.into_iter().map(|r| r.unwrap()).collect()
}

#[test]
fn google_workspace_export() {
    let (format, delimiter, rows, ignored) = read(&fixture("google.csv"), &ReadOptions::default());
    assert_eq!((format, delimiter), (Format::Google, b','));
    assert_ignored(&ignored, "Last Sign In [READ ONLY]");
    assert_ignored(&ignored, "Recovery Email");
    let rows = ok(rows);
    assert_eq!(rows.len(), 4, "the blank line is skipped");
    assert_eq!(rows[0].user.profile[&UserField::JobTitle], "Analyst");
    assert_eq!(rows[1].user.profile[&UserField::Department], "Sales");
    assert_eq!(rows[0].user.email, "ada.lovelace@example.org");
    assert_eq!(rows[0].user.team, None, "org unit / is the top level");
    assert_eq!(rows[0].user.phone.as_deref(), Some("+44 20 7946 0958"));
    assert_eq!(rows[0].password.as_deref(), Some("****"));
    assert_eq!(rows[1].user.first_name, "José");
    assert_eq!(rows[1].user.last_name, "García Márquez");
    assert_eq!(rows[1].user.team.as_deref(), Some("Sales/EMEA"));
    assert_eq!(rows[1].user.status, Some(Status::Suspended));
    assert_eq!(rows[2].user.first_name, "小龍");
    assert_eq!(rows[2].user.status, Some(Status::Active));
    // The cell with a line break spans two lines; the row starts where it starts.
    assert_eq!(rows[3].line, 6);
    assert_eq!(rows[3].user.email, "ZOE.OBRIEN+it@Example.org", "trimmed");
    assert_eq!(rows[3].user.last_name, "O'Brien");
}

#[test]
fn entra_bulk_create_template_with_its_version_line() {
    let (format, delimiter, rows, ignored) = read(&fixture("entra.csv"), &ReadOptions::default());
    assert_eq!((format, delimiter), (Format::Entra, b','));
    assert_ignored(&ignored, "Usage location [usageLocation]");
    let rows = ok(rows);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].user.profile[&UserField::JobTitle], "Rear Admiral");
    assert_eq!(rows[0].line, 3, "version line 1, header line 2");
    assert_eq!(
        rows[0].user.email, "grace.hopper@contoso.example",
        "trailing space trimmed"
    );
    assert_eq!(
        (
            rows[0].user.first_name.as_str(),
            rows[0].user.last_name.as_str()
        ),
        ("Grace", "Hopper")
    );
    assert_eq!(rows[0].user.status, None, "not blocked: the import decides");
    assert_eq!(
        rows[1].user.status,
        Some(Status::Suspended),
        "Block sign in = Yes"
    );
    assert_eq!(
        (
            rows[1].user.first_name.as_str(),
            rows[1].user.last_name.as_str()
        ),
        ("Alan", "Turing"),
        "split from the display name"
    );
    // A department is the user's department, no longer taken for a team.
    assert_eq!(
        rows[2].user.profile[&UserField::Department],
        "Flight Research, Langley"
    );
    assert_eq!(rows[2].user.team, None);
    assert_eq!(rows[0].password.as_deref(), Some("Temp-Pass-1"));
}

#[test]
fn jumpcloud_template_with_group_columns() {
    let (format, _, rows, ignored) = read(&fixture("jumpcloud.csv"), &ReadOptions::default());
    assert_eq!(format, Format::JumpCloud);
    assert_ignored(&ignored, "Attribute1_name");
    let rows = ok(rows);
    assert_eq!(rows[0].user.username.as_deref(), Some("dennis.ritchie"));
    assert_eq!(rows[0].user.organization.as_deref(), Some("Bell Labs"));
    assert_eq!(rows[0].groups, ["Unix", "C Language"]);
    assert_eq!(rows[1].groups, ["Unix"]);
}

#[test]
fn okta_import() {
    let (format, _, rows, _) = read(&fixture("okta.csv"), &ReadOptions::default());
    assert_eq!(format, Format::Okta);
    let rows = ok(rows);
    assert_eq!(
        rows[0].user.username.as_deref(),
        Some("margaret.hamilton@example.org")
    );
    assert_eq!(rows[0].user.phone.as_deref(), Some("+1 555 0101"));
    assert_eq!(rows[1].user.profile[&UserField::Department], "CSAIL");
    assert_eq!(rows[1].user.profile[&UserField::JobTitle], "Professor");
    assert_eq!(rows[1].user.profile[&UserField::EmployeeId], "1939");
    assert_eq!(rows[1].user.profile[&UserField::WorkPhone], "+1 555 0102");
}

#[test]
fn excel_utf8_with_bom_semicolons_and_crlf() {
    let (format, delimiter, rows, ignored) =
        read(&fixture("roster-excel.csv"), &ReadOptions::default());
    assert_eq!((format, delimiter), (Format::Roster, b';'));
    assert!(ignored.is_empty(), "{ignored:?}");
    let rows = ok(rows);
    assert_eq!(
        rows[0].user.email, "søren.berg@example.org",
        "no BOM left on the first cell"
    );
    assert_eq!(
        rows[0].user.phone.as_deref(),
        Some("+45 12 34 56 78"),
        "the ' guard is removed"
    );
    assert_eq!(rows[0].user.tags, ["oncall", "emea"]);
    assert_eq!(rows[0].groups, ["Helpdesk", "All staff"]);
    assert_eq!(rows[0].user.role.as_deref(), Some("helpdesk"));
    assert_eq!(rows[1].user.status, Some(Status::Staged));
    assert_eq!(rows[1].user.username, None);
}

#[test]
fn excel_unicode_text_is_utf16_with_tabs() {
    let (format, delimiter, rows, _) =
        read(&fixture("roster-unicode-text.txt"), &ReadOptions::default());
    assert_eq!((format, delimiter), (Format::Roster, b'\t'));
    let rows = ok(rows);
    assert_eq!(rows[0].user.first_name, "ゆき");
    assert_eq!(rows[0].user.team.as_deref(), Some("営業"));
    assert_eq!(rows[1].user.last_name, "Yılmaz");
}

#[test]
fn the_admin_can_name_the_format_and_remap_or_skip_columns() {
    let file = b"Mail,Given,Family,Unit\nada@example.org,Ada,Lovelace,Research\n";
    let options = ReadOptions {
        format: Some(Format::Roster),
        overrides: vec![
            ("mail".into(), Some(Field::User(UserField::Email))),
            ("Given".into(), Some(Field::User(UserField::FirstName))),
            ("family".into(), Some(Field::User(UserField::LastName))),
            ("Unit".into(), None),
        ],
        ..ReadOptions::default()
    };
    let (format, _, rows, ignored) = read(file, &options);
    assert_eq!(format, Format::Roster);
    assert_eq!(ignored, ["Unit"]);
    let row = ok(rows).remove(0);
    assert_eq!(
        (
            row.user.email.as_str(),
            row.user.first_name.as_str(),
            row.user.team
        ),
        ("ada@example.org", "Ada", None)
    );
    let wrong = ReadOptions {
        overrides: vec![("Surname".into(), Some(Field::User(UserField::LastName)))],
        ..ReadOptions::default()
    };
    let e = open(&file[..], &wrong).err().unwrap();
    assert!(e.to_string().contains("does not have"), "{e}");
}

#[test]
fn bad_files_say_what_is_wrong_and_where() {
    let open_err = |bytes: &[u8]| open(bytes, &ReadOptions::default()).err().unwrap();
    assert_eq!(open_err(b""), SheetError::Empty);
    assert_eq!(open_err(b"\n\r\n  "), SheetError::Empty);
    assert_eq!(
        open_err(b"email,Email,first_name\n"),
        SheetError::DuplicateHeader("Email".into())
    );
    assert_eq!(open_err(b"email,,last_name\n"), SheetError::EmptyHeader(2));
    let wide = vec!["c"; 100_000].join(",");
    assert_eq!(
        open_err(wide.as_bytes()),
        SheetError::TooManyColumns(100_000)
    );
    assert_eq!(
        open_err(b"email,first_name,l\xffast\n"),
        SheetError::Encoding { line: 1 }
    );
    let twice = ReadOptions {
        overrides: vec![("mail".into(), Some(Field::User(UserField::Email)))],
        ..ReadOptions::default()
    };
    let e = open(&b"email,mail,first_name\n"[..], &twice).err().unwrap();
    assert!(
        e.to_string()
            .contains("column \"mail\" is mapped to email, which column \"email\" already holds"),
        "{e}"
    );

    // A header only: no rows, no error.
    let sheet = open(
        &b"email,first_name,last_name\r\n"[..],
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(sheet.rows().count(), 0);

    let file = b"email,first_name,last_name\nada@example.org,Ada\nbad\xff@example.org,B,C\ngrace@example.org,Grace,Hopper,extra\nok@example.org,Ok,Row\nx@example.org,X,Y,\n";
    let sheet = open(&file[..], &ReadOptions::default()).unwrap();
    let rows: Vec<_> = sheet.rows().collect();
    let errors: Vec<(u64, &str)> = rows
        .iter()
        .filter_map(|r| r.as_ref().err())
        .map(|e| (e.line, e.message.as_str()))
        .collect();
    assert_eq!(errors.len(), 4, "{errors:?}");
    assert_eq!(errors[0].0, 2);
    assert!(
        errors[0].1.contains("2 cells but the header has 3"),
        "{}",
        errors[0].1
    );
    assert_eq!(errors[1].0, 3);
    assert!(errors[1].1.contains("not valid text"), "{}", errors[1].1);
    assert_eq!(errors[2].0, 4);
    assert_eq!(rows.iter().filter(|r| r.is_ok()).count(), 1);

    let status = b"email,first_name,last_name,status\nada@example.org,Ada,L,frozen\n";
    let sheet = open(&status[..], &ReadOptions::default()).unwrap();
    let e = sheet.rows().next().unwrap().unwrap_err();
    assert_eq!(
        (e.line, e.column.as_deref(), e.value.as_deref()),
        (2, Some("status"), Some("frozen"))
    );
    assert!(e.message.contains("use one of"), "{}", e.message);
}

/// The rows of `file`, which opens.
fn rows_of(file: &str) -> Vec<Result<Row, RowError>> {
    open(file.as_bytes(), &ReadOptions::default())
        .unwrap()
        .rows()
        .collect()
}

/// The last item, a problem that ends the file; checks it is the last.
fn ending(rows: &[Result<Row, RowError>]) -> &RowError {
    let last = rows.last().unwrap().as_ref().unwrap_err();
    assert!(last.ends_file, "{last:?}");
    last
}

#[test]
fn a_cell_is_read_up_to_its_limit_and_refused_past_it() {
    let at_limit = "x".repeat(MAX_CELL_BYTES);
    let rows = rows_of(&format!(
        "email,first_name,last_name\na@example.org,{at_limit},L\n"
    ));
    assert_eq!(rows[0].as_ref().unwrap().user.first_name, at_limit);

    let over = "x".repeat(MAX_CELL_BYTES + 1);
    let rows = rows_of(&format!(
        "email,first_name,last_name\na@example.org,A,L\nb@example.org,{over},L\nc@example.org,C,L\n"
    ));
    assert_eq!(rows.len(), 2, "nothing after it is read");
    assert!(rows[0].is_ok());
    let e = ending(&rows);
    assert_eq!(e.line, 3);
    assert_eq!(
        e.message,
        SheetError::CellTooLong {
            line: 3,
            column: "\"first_name\"".into()
        }
        .to_string()
    );
    assert!(
        e.message
            .starts_with("line 3, column \"first_name\": the cell holds more than 64 KiB"),
        "{}",
        e.message
    );

    // Measured before the text is checked: not valid text does not hide it.
    let mut file = b"email,first_name,last_name\na@example.org,\xff".to_vec();
    file.extend(over.as_bytes());
    file.extend(b",L\n");
    let rows: Vec<_> = open(&file[..], &ReadOptions::default())
        .unwrap()
        .rows()
        .collect();
    assert_eq!(ending(&rows).line, 2);

    // A cell past the header's columns is named by its position.
    let rows = rows_of(&format!("email,first_name\na@example.org,A,{over}\n"));
    assert!(ending(&rows).message.contains("column 3:"));

    // In the header, too.
    let open_err = |file: String| open(file.as_bytes(), &ReadOptions::default()).err();
    assert_eq!(
        open_err(format!("email,{over}\n")),
        Some(SheetError::CellTooLong {
            line: 1,
            column: "2".into()
        })
    );
}

#[test]
fn a_row_is_refused_past_its_limit_at_the_line_it_starts() {
    // Each cell is within its limit; together they are not.
    let cell = "x".repeat(MAX_CELL_BYTES - 1);
    let wide = [cell.as_str(); 5].join(",");
    let rows = rows_of(&format!(
        "email,first_name,last_name,phone,team\n\n{wide}\nb@example.org,B,L,,\n"
    ));
    assert_eq!(rows.len(), 1);
    let e = ending(&rows);
    assert_eq!(e.line, 3, "after the blank line");
    assert_eq!(e.message, SheetError::RowTooLong { line: 3 }.to_string());
    assert!(e.message.contains("256 KiB"), "{}", e.message);
    assert!(e.message.contains("never closed"), "{}", e.message);

    // A quote never closed makes the rest of the file one cell: stopped at the limit.
    let mut file = "email,first_name,last_name\na@example.org,\"Ada,L\n".to_owned();
    for i in 0..MAX_ROW_BYTES / 16 {
        file.push_str(&format!("u{i}@example.org,U,L\n"));
    }
    assert_eq!(ending(&rows_of(&file)).line, 2);

    // A row just within the limit, line breaks in its cells included, is read.
    let lines = format!("\"{}\"", ["y"; 20_000].join("\r\n"));
    let cell = "z".repeat((MAX_ROW_BYTES - lines.len() - 100) / 4);
    let rows = rows_of(&format!(
        "email,first_name,last_name,phone,team,tags\na@example.org,{lines},{cell},{cell},{cell},{cell}\nb@example.org,B,L,,,\n"
    ));
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1].as_ref().unwrap().line, 20_002);

    // The header, read by hand to find the delimiter, is bounded the same way.
    let open_err = |file: String| open(file.as_bytes(), &ReadOptions::default()).err();
    let long = "h".repeat(MAX_ROW_BYTES + 1);
    assert_eq!(
        open_err(format!("email,{long}")),
        Some(SheetError::RowTooLong { line: 1 })
    );
    assert_eq!(
        open_err(format!("version:v1.0\nemail,{long}\n")),
        Some(SheetError::RowTooLong { line: 2 })
    );
    assert_eq!(
        open_err(format!("email,\"first\n{long}\"\n")),
        Some(SheetError::RowTooLong { line: 1 })
    );
}

/// Counts the bytes read from what it wraps.
struct Counting<R> {
    inner: R,
    read: Arc<AtomicUsize>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n, Ordering::Relaxed);
        Ok(n)
    }
}

/// A 64 MiB cell: the reader stops within a row's limit of it, never holding it whole.
#[test]
fn a_huge_cell_is_not_read_past_the_row_limit() {
    let read = Arc::new(AtomicUsize::new(0));
    let file = Counting {
        inner: b"email,first_name,last_name\na@example.org,"
            .chain(std::io::repeat(b'x').take(64 << 20)),
        read: Arc::clone(&read),
    };
    let rows: Vec<_> = open(file, &ReadOptions::default())
        .unwrap()
        .rows()
        .collect();
    assert_eq!(ending(&rows).line, 2);
    let read = read.load(Ordering::Relaxed);
    // The row, and what the decoder's and the parser's buffers read ahead.
    assert!(read < MAX_ROW_BYTES + 64 * 1024, "read {read} bytes");
}

#[test]
fn memberships_and_devices_files_are_bounded_alike() {
    let over = "x".repeat(MAX_CELL_BYTES + 1);
    let file = format!("group,member\nstaff,ada@example.org\nstaff,{over}\nstaff,b@example.org\n");
    let rows: Vec<_> = open_memberships(file.as_bytes()).unwrap().rows().collect();
    assert_eq!(rows.len(), 2);
    let e = rows[1].as_ref().unwrap_err();
    assert!((e.ends_file, e.line) == (true, 3), "{e:?}");
    assert!(e.message.contains("column \"member\""), "{}", e.message);

    let file =
        format!("name,os,owner\nlaptop-1,Linux,ada@example.org\n{over},Linux,ada@example.org\n");
    let rows: Vec<_> = open_devices(file.as_bytes()).unwrap().rows().collect();
    assert_eq!(rows.len(), 2);
    let e = rows[1].as_ref().unwrap_err();
    assert!((e.ends_file, e.line) == (true, 3), "{e:?}");
    assert!(e.message.contains("column \"name\""), "{}", e.message);
}

/// Rows are numbered as the spreadsheet shows them, whatever the line ends, blank lines
/// and line breaks inside cells before them.
#[test]
fn line_numbers_match_the_spreadsheet() {
    for newline in ["\n", "\r\n"] {
        let file = [
            "email,first_name,last_name",
            "a@example.org,A,One",
            "",
            "",
            "b@example.org,\"Two",
            "lines\",B",
            "c@example.org,C,Three",
        ]
        .join(newline);
        let sheet = open(file.as_bytes(), &ReadOptions::default()).unwrap();
        let lines: Vec<u64> = sheet.rows().map(|r| r.unwrap().line).collect();
        assert_eq!(lines, [2, 5, 7], "{newline:?}");
    }
}

#[test]
fn columns_named_as_attributes_hold_them_and_any_column_can_be_given_one() {
    let file = b"email,first_name,last_name,Badge Number,Locker,Notes\n\
        ada@example.org,Ada,Lovelace,'=B-7,12,quiet\n";
    let options = ReadOptions {
        attributes: vec!["badge_number".into(), "notes_x".into()],
        attribute_columns: vec![("locker".into(), "locker_no".into())],
        ..ReadOptions::default()
    };
    let sheet = open(&file[..], &options).unwrap();
    let attributes: Vec<Option<&str>> = sheet
        .columns
        .iter()
        .map(|c| c.attribute.as_deref())
        .collect();
    assert_eq!(
        attributes,
        [
            None,
            None,
            None,
            Some("badge_number"),
            Some("locker_no"),
            None
        ]
    );
    assert_eq!(sheet.ignored(), ["Notes"]);
    let row = ok(sheet.rows().collect()).remove(0);
    assert_eq!(row.user.attributes["badge_number"], "=B-7");
    assert_eq!(row.user.attributes["locker_no"], "12");
    assert_eq!(row.user.attributes.len(), 2);
    let unknown = ReadOptions {
        attribute_columns: vec![("Desk".into(), "desk".into())],
        ..ReadOptions::default()
    };
    let e = open(&file[..], &unknown).err().unwrap();
    assert!(e.to_string().contains("does not have"), "{e}");
}
