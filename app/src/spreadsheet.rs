//! Text that lands in a spreadsheet (server only). Every CSV Aula writes goes through `CsvOut`,
//! so no writer can forget the formula guard: a cell beginning with `=`, `+`, `-`, `@`, a tab or a
//! carriage return is read by Excel, LibreOffice and Google Sheets as a formula, so a display name
//! like `=HYPERLINK("https://evil.example","Grade")` would run in the teacher's spreadsheet. Such
//! cells get a leading `'`, and every field is quoted (OWASP's advice for CSV injection).
//! XLSX cells are typed, so a string cell is never a formula and keeps its text exactly.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula (OWASP's list, plus line feed,
/// which some importers treat like carriage return).
const FORMULA_START: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\n'];

/// The cell as a spreadsheet will show it, never as a formula.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_START) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A CSV document in UTF-8 with a byte-order mark (so Excel shows accented names correctly),
/// every field quoted and every text field neutralised.
pub struct CsvOut {
    w: csv::Writer<Vec<u8>>,
}

/// One field: text from people (neutralised) or a number Aula computed (written as is).
pub enum Cell<'a> {
    Text(&'a str),
    Number(i64),
}

impl CsvOut {
    pub fn new() -> Self {
        let w = csv::WriterBuilder::new()
            .quote_style(csv::QuoteStyle::Always)
            .from_writer(b"\xEF\xBB\xBF".to_vec());
        Self { w }
    }

    pub fn header(&mut self, names: &[&str]) -> Result<(), csv::Error> {
        self.w
            .write_record(names.iter().map(|n| neutralise(n).into_owned()))
    }

    pub fn row(&mut self, cells: &[Cell<'_>]) -> Result<(), csv::Error> {
        self.w.write_record(cells.iter().map(|c| match c {
            Cell::Text(s) => neutralise(s).into_owned(),
            Cell::Number(n) => n.to_string(),
        }))
    }

    pub fn finish(self) -> Result<Vec<u8>, csv::Error> {
        self.w.into_inner().map_err(|e| e.into_error().into())
    }
}

impl Default for CsvOut {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_would_start_a_formula_get_a_leading_quote() {
        for bad in [
            "=1+1",
            "+1",
            "-1",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "\n=1",
            "=HYPERLINK(\"https://evil.example\")",
        ] {
            assert_eq!(neutralise(bad), format!("'{bad}"), "{bad:?}");
        }
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        for ok in ["Ana", "José Núñez", "a=b", "1-2", "'quoted", ""] {
            assert_eq!(neutralise(ok), ok);
        }
    }

    #[test]
    fn the_csv_quotes_every_field_and_guards_text_but_not_numbers() {
        let mut out = CsvOut::new();
        out.header(&["Name", "Minutes"]).unwrap();
        out.row(&[Cell::Text("=cmd|' /C calc'!A0"), Cell::Number(-3)])
            .unwrap();
        let bytes = out.finish().unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert_eq!(
            text,
            "\"Name\",\"Minutes\"\n\"'=cmd|' /C calc'!A0\",\"-3\"\n"
        );
    }
}
