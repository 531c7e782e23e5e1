//! The enrolment CSV a teacher uploads: every non-blank line becomes a row or a reported error
//! naming its line, never a panic.

use app::courses::csv_import::{MAX_ROWS, parse_enrolment_csv};

fn target(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let (rows, errors) = parse_enrolment_csv(&text);
    let lines = text.lines().count();
    assert!(rows.len() + errors.len() <= lines.min(MAX_ROWS + 1));
    for e in &errors {
        assert!(
            (1..=lines).contains(&e.line),
            "error on line {} of {lines}",
            e.line
        );
    }
}

#[test]
fn enrolment_csv_never_panics_and_each_error_names_a_real_line() {
    super::corpus::run("csv_import", target);
}
