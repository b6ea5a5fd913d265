//! Cells safe to open in a spreadsheet. A cell that starts with `=`, `+`, `-`, `@`, a tab
//! or a carriage return is a formula to Excel and LibreOffice (CSV injection); Roster writes
//! it with a leading `'`, as OWASP recommends, and takes that `'` off again when it reads
//! the file back, so export then import gives every value back exactly.

use std::borrow::Cow;

const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The cell as written to a file.
pub fn neutralize(value: &str) -> Cow<'_, str> {
    // A value that already starts with ' before a trigger gets a second ' so that reading
    // it back removes exactly one.
    let guarded = value.starts_with(TRIGGERS)
        || value
            .strip_prefix('\'')
            .is_some_and(|rest| rest.trim_start_matches('\'').starts_with(TRIGGERS));
    if guarded {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

/// The value of a cell read from a file: [`neutralize`] undone.
pub fn restore(cell: &str) -> Cow<'_, str> {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').starts_with(TRIGGERS) => Cow::Borrowed(rest),
        _ => Cow::Borrowed(cell),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_every_value_comes_back() {
        assert_eq!(neutralize("=1+2"), "'=1+2");
        assert_eq!(neutralize("+44 20 7946 0958"), "'+44 20 7946 0958");
        assert_eq!(neutralize("-5"), "'-5");
        assert_eq!(neutralize("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralize("\tx"), "'\tx");
        assert_eq!(neutralize("Ada"), "Ada");
        assert_eq!(neutralize("O'Brien"), "O'Brien");
        for value in [
            "=1+2",
            "'=1+2",
            "''=x",
            "'quoted'",
            "O'Brien",
            "-",
            "'",
            "",
            " leading space",
            "García, Ada \"the first\"\nline two",
            "李小龍",
            "🙂",
        ] {
            assert_eq!(restore(&neutralize(value)), value, "{value:?}");
        }
    }
}
