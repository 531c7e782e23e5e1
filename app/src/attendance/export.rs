//! The activity report as CSV and XLSX downloads (server only).

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::dto::ActivityReport;
use crate::spreadsheet::{Cell, CsvOut};

const HEADERS: [&str; 9] = [
    "Name",
    "Email",
    "Minutes",
    "Credited from buffered beats",
    "Completed",
    "Completed at",
    "First join",
    "Last leave",
    "Sessions",
];

/// UTF-8 with a byte-order mark; names and e-mails are guarded against formula injection.
pub fn to_csv(report: &ActivityReport) -> Result<Vec<u8>, csv::Error> {
    let mut out = CsvOut::new();
    out.header(&HEADERS)?;
    for r in &report.rows {
        out.row(&[
            Cell::Text(&r.name),
            Cell::Text(&r.email),
            Cell::Number(r.minutes),
            Cell::Number(r.buffered_minutes),
            Cell::Text(yes_no(r.completed)),
            Cell::Text(r.completed_at.as_deref().unwrap_or_default()),
            Cell::Text(r.first_join.as_deref().unwrap_or_default()),
            Cell::Text(r.last_leave.as_deref().unwrap_or_default()),
            Cell::Number(i64::from(r.sessions)),
        ])?;
    }
    out.finish()
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

pub fn to_xlsx(report: &ActivityReport) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let people = book.add_worksheet();
    people.set_name("Participants")?;
    for (c, h) in HEADERS.iter().enumerate() {
        people.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, r) in report.rows.iter().enumerate() {
        let row = i as u32 + 1;
        // String cells, never formulas: the text is kept exactly and a spreadsheet shows it as is.
        people.write_string(row, 0, &r.name)?;
        people.write_string(row, 1, &r.email)?;
        people.write_number(row, 2, r.minutes as f64)?;
        people.write_number(row, 3, r.buffered_minutes as f64)?;
        people.write_string(row, 4, yes_no(r.completed))?;
        people.write_string(row, 5, r.completed_at.as_deref().unwrap_or_default())?;
        people.write_string(row, 6, r.first_join.as_deref().unwrap_or_default())?;
        people.write_string(row, 7, r.last_leave.as_deref().unwrap_or_default())?;
        people.write_number(row, 8, f64::from(r.sessions))?;
    }
    people.set_column_width(0, 28)?;
    people.set_column_width(1, 30)?;
    people.set_column_width(3, 14)?;
    people.set_column_width(5, 18)?;
    people.set_column_width(6, 18)?;
    people.set_column_width(7, 18)?;
    let days = book.add_worksheet();
    days.set_name("Days")?;
    for (c, h) in ["Day", "People", "Minutes"].iter().enumerate() {
        days.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, d) in report.days.iter().enumerate() {
        let row = i as u32 + 1;
        days.write_string(row, 0, &d.day)?;
        days.write_number(row, 1, f64::from(d.people))?;
        days.write_number(row, 2, d.minutes as f64)?;
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attendance::dto::ParticipantRow;

    fn report() -> ActivityReport {
        ActivityReport {
            activity_id: 1,
            activity_name: "Lecture".into(),
            course_id: 1,
            course_name: "Physics".into(),
            completion_minutes: Some(30),
            from: "2026-11-24".into(),
            to: "2026-11-24".into(),
            time_zone: "UTC".into(),
            own_only: false,
            can_see_presence: true,
            rows: vec![ParticipantRow {
                user_id: 2,
                name: "José, \"Pepe\" Núñez".into(),
                email: "jose@example.edu".into(),
                minutes: 42,
                buffered_minutes: 3,
                completed: true,
                completed_at: Some("2026-11-24 10:30".into()),
                first_join: Some("2026-11-24 10:00".into()),
                last_leave: Some("2026-11-24 10:42".into()),
                sessions: 2,
                bars: vec![],
            }],
            days: vec![],
            ticks: vec![],
            total_minutes: 42,
        }
    }

    #[test]
    fn the_csv_has_a_bom_a_header_and_quoted_names() {
        let bytes = to_csv(&report()).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some(
                "\"Name\",\"Email\",\"Minutes\",\"Credited from buffered beats\",\"Completed\",\"Completed at\",\"First join\",\"Last leave\",\"Sessions\""
            )
        );
        assert_eq!(
            lines.next(),
            Some(
                "\"José, \"\"Pepe\"\" Núñez\",\"jose@example.edu\",\"42\",\"3\",\"yes\",\"2026-11-24 10:30\",\"2026-11-24 10:00\",\"2026-11-24 10:42\",\"2\""
            )
        );
    }

    #[test]
    fn the_xlsx_is_a_zip_workbook() {
        let bytes = to_xlsx(&report()).unwrap();
        assert!(bytes.starts_with(b"PK"), "xlsx files are zip archives");
        assert!(bytes.len() > 1000);
    }
}
