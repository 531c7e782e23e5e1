//! The activity report as CSV and XLSX downloads (server only).

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::dto::ActivityReport;

const HEADERS: [&str; 8] = [
    "Name",
    "Email",
    "Minutes",
    "Completed",
    "Completed at",
    "First join",
    "Last leave",
    "Sessions",
];

fn cells(r: &super::dto::ParticipantRow) -> [String; 8] {
    [
        r.name.clone(),
        r.email.clone(),
        r.minutes.to_string(),
        if r.completed { "yes" } else { "no" }.to_owned(),
        r.completed_at.clone().unwrap_or_default(),
        r.first_join.clone().unwrap_or_default(),
        r.last_leave.clone().unwrap_or_default(),
        r.sessions.to_string(),
    ]
}

/// UTF-8 with a byte-order mark, so Excel shows accented names correctly.
pub fn to_csv(report: &ActivityReport) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(HEADERS)?;
    for r in &report.rows {
        w.write_record(cells(r))?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
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
        let v = cells(r);
        people.write_string(row, 0, &v[0])?;
        people.write_string(row, 1, &v[1])?;
        people.write_number(row, 2, r.minutes as f64)?;
        people.write_string(row, 3, &v[3])?;
        people.write_string(row, 4, &v[4])?;
        people.write_string(row, 5, &v[5])?;
        people.write_string(row, 6, &v[6])?;
        people.write_number(row, 7, f64::from(r.sessions))?;
    }
    people.set_column_width(0, 28)?;
    people.set_column_width(1, 30)?;
    people.set_column_width(4, 18)?;
    people.set_column_width(5, 18)?;
    people.set_column_width(6, 18)?;
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
            Some("Name,Email,Minutes,Completed,Completed at,First join,Last leave,Sessions")
        );
        assert_eq!(
            lines.next(),
            Some(
                "\"José, \"\"Pepe\"\" Núñez\",jose@example.edu,42,yes,2026-11-24 10:30,2026-11-24 10:00,2026-11-24 10:42,2"
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
