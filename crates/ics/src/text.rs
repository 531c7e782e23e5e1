//! RFC 5545 content lines: CRLF endings, lines folded at 75 octets on UTF-8 boundaries, TEXT
//! values escaped, and no control character ever reaching the file (so no value can start a line
//! of its own).

/// The longest line in octets, without its CRLF (RFC 5545 §3.1).
const MAX_OCTETS: usize = 75;

#[derive(Default)]
pub(super) struct Lines {
    out: String,
}

impl Lines {
    /// `name` (with any parameters) and a value already in its property's format.
    pub(super) fn raw(&mut self, name: &str, value: &str) {
        let line = format!("{name}:{}", without_controls(value));
        fold(&line, &mut self.out);
    }

    /// A TEXT value, escaped.
    pub(super) fn text(&mut self, name: &str, value: &str) {
        self.raw(name, &escape_text(value));
    }

    pub(super) fn finish(self) -> String {
        self.out
    }
}

/// TEXT escaping: backslash, semicolon, comma and line breaks (RFC 5545 §3.3.11). A CR, an LF or
/// a CRLF is one `\n`.
pub(super) fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            // Every other line-break form too (vertical tab, form feed, NEL, the Unicode line
            // and paragraph separators): some readers break lines at them.
            '\n' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// A parameter value (e.g. `CN`): quoted when it holds `:`, `;` or `,`; double quotes cannot be
/// represented at all, so they are dropped.
pub(super) fn param_value(value: &str) -> String {
    let clean: String = without_controls(value)
        .chars()
        .filter(|c| *c != '"')
        .collect();
    if clean.contains([':', ';', ',']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

fn without_controls(value: &str) -> String {
    value
        .chars()
        .filter(|c| *c == '\t' || !c.is_control())
        .collect()
}

fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > MAX_OCTETS {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(name: &str, value: &str) -> String {
        let mut lines = Lines::default();
        lines.text(name, value);
        lines.finish()
    }

    #[test]
    fn text_escapes_the_four_special_characters() {
        assert_eq!(
            escape_text("a\\b;c,d\ne\r\nf\rg"),
            "a\\\\b\\;c\\,d\\ne\\nf\\ng"
        );
        assert_eq!(
            escape_text("a\r\rb\u{2028}c\u{85}d\u{0B}e"),
            "a\\n\\nb\\nc\\nd\\ne"
        );
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        let value = "é".repeat(100);
        let out = lines_of("DESCRIPTION", &value);
        for line in out.split_terminator("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        assert!(out.ends_with("\r\n"));
        assert!(!out.replace("\r\n", "").contains('\n'));
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, format!("DESCRIPTION:{value}"));
    }

    #[test]
    fn a_line_of_exactly_75_octets_is_not_folded() {
        let value = "x".repeat(75 - "SUMMARY:".len());
        assert_eq!(lines_of("SUMMARY", &value), format!("SUMMARY:{value}\r\n"));
        let longer = lines_of("SUMMARY", &format!("{value}y"));
        assert_eq!(longer, format!("SUMMARY:{value}\r\n y\r\n"));
    }

    #[test]
    fn control_characters_cannot_start_a_new_property() {
        let mut lines = Lines::default();
        lines.raw("URL", "https://a.example/\r\nATTACH:evil");
        assert_eq!(lines.finish(), "URL:https://a.example/ATTACH:evil\r\n");
    }

    #[test]
    fn parameter_values_are_quoted_when_they_must_be() {
        assert_eq!(param_value("Ana Díaz"), "Ana Díaz");
        assert_eq!(param_value("Díaz, Ana"), "\"Díaz, Ana\"");
        assert_eq!(param_value("\"Ana\": x"), "\"Ana: x\"");
    }
}
