//! Parsing of the enrolment CSV (`email,role`). Pure: the server then resolves users.
//! A header row is optional; blank lines are skipped; every bad row is reported with its line.

use super::model::{ParsedRow, RowError};
use crate::{auth::model::Email, capabilities::CourseRole, error::FieldCode};

pub const MAX_ROWS: usize = 5000;

/// Splits one CSV line into trimmed fields (quotes handled by the csv crate).
fn fields(line: &str) -> Option<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(line.as_bytes());
    let record = reader.records().next()?.ok()?;
    Some(record.iter().map(str::to_owned).collect())
}

pub fn parse_enrolment_csv(input: &str) -> (Vec<ParsedRow>, Vec<RowError>) {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    // Line by line, so every report names the line a person sees in their editor (an e-mail
    // and a role never contain line breaks).
    for (i, raw) in input.trim_start_matches('\u{feff}').lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let Some(cols) = fields(raw) else {
            errors.push(RowError {
                line,
                email: String::new(),
                code: FieldCode::InvalidChoice,
            });
            continue;
        };
        let email_raw = cols.first().cloned().unwrap_or_default();
        let role_raw = cols.get(1).map(String::as_str).unwrap_or("");
        if line == 1 && email_raw.eq_ignore_ascii_case("email") {
            continue;
        }
        if rows.len() + errors.len() >= MAX_ROWS {
            errors.push(RowError {
                line,
                email: email_raw,
                code: FieldCode::TooLong(MAX_ROWS as u32),
            });
            break;
        }
        let email = match Email::parse(&email_raw) {
            Ok(e) => e,
            Err(code) => {
                errors.push(RowError {
                    line,
                    email: email_raw,
                    code,
                });
                continue;
            }
        };
        let role = if role_raw.is_empty() {
            Some(CourseRole::Student)
        } else {
            CourseRole::parse(role_raw)
        };
        match role {
            Some(role) => rows.push(ParsedRow { line, email, role }),
            None => errors.push(RowError {
                line,
                email: email_raw,
                code: FieldCode::UnknownRole,
            }),
        }
    }
    (rows, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_rows_are_kept_and_each_bad_row_is_reported_with_its_line() {
        let csv = "email,role\nana@x.org,student\n\nnot-an-email,student\nbob@x.org,wizard\ncarl@x.org,Editing Teacher\ndee@x.org\n";
        let (rows, errors) = parse_enrolment_csv(csv);
        let got: Vec<_> = rows
            .iter()
            .map(|r| (r.line, r.email.as_str(), r.role))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, "ana@x.org", CourseRole::Student),
                (6, "carl@x.org", CourseRole::EditingTeacher),
                (7, "dee@x.org", CourseRole::Student),
            ]
        );
        assert_eq!(
            errors,
            vec![
                RowError {
                    line: 4,
                    email: "not-an-email".into(),
                    code: FieldCode::InvalidEmail
                },
                RowError {
                    line: 5,
                    email: "bob@x.org".into(),
                    code: FieldCode::UnknownRole
                },
            ]
        );
    }

    #[test]
    fn a_file_without_header_and_with_a_bom_imports_from_line_one() {
        let (rows, errors) =
            parse_enrolment_csv("\u{feff}ana@x.org,teacher\r\n\"bob@x.org\" , student\r\n");
        assert!(errors.is_empty());
        assert_eq!(rows[0].line, 1);
        assert_eq!(rows[0].role, CourseRole::NonEditingTeacher);
        assert_eq!((rows[1].line, rows[1].email.as_str()), (2, "bob@x.org"));
    }
}
