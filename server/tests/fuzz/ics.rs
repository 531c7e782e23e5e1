//! The ICS writer round-tripped through a reader: whatever names and descriptions people type,
//! every line is a well-formed content line of at most 75 octets, the file holds exactly the
//! properties Aula writes (no text can start one of its own), and each text reads back as typed.

use std::collections::BTreeSet;

use app::meetings::ics::{IcsEvent, calendar};

/// What a calendar reads back from a typed text: each line break (a CRLF counting once) is one
/// line break, and other control characters, which no calendar can carry, are gone.
fn as_read(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace(
            ['\r', '\u{0B}', '\u{0C}', '\u{85}', '\u{2028}', '\u{2029}'],
            "\n",
        )
        .chars()
        .filter(|c| *c == '\n' || *c == '\t' || !c.is_control())
        .collect()
}

/// RFC 5545 §3.3.11, read strictly: a backslash escapes only `\`, `;`, `,`, `n` and `N`, and
/// those three characters never appear unescaped.
fn unescape(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(e @ ('\\' | ';' | ',')) => out.push(e),
                other => panic!("a stray escape \\{other:?} in {value:?}"),
            },
            ';' | ',' => panic!("an unescaped {c:?} in the TEXT value {value:?}"),
            c => out.push(c),
        }
    }
    out
}

/// The file's content lines, unfolded, as (name with parameters, value).
fn content_lines(ics: &str) -> Vec<(String, String)> {
    assert!(ics.ends_with("\r\n"), "the file must end with CRLF");
    let physical: Vec<&str> = ics[..ics.len() - 2].split("\r\n").collect();
    let mut logical: Vec<String> = Vec::new();
    for line in physical {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        assert!(
            !line.contains(['\r', '\n']) && !line.chars().any(|c| c != '\t' && c.is_control()),
            "a control character in {line:?}"
        );
        if let Some(rest) = line.strip_prefix(' ') {
            logical
                .last_mut()
                .expect("a fold before any line")
                .push_str(rest);
        } else {
            logical.push(line.to_owned());
        }
    }
    logical
        .into_iter()
        .map(|l| {
            let (name, value) = l
                .split_once(':')
                .unwrap_or_else(|| panic!("no colon: {l:?}"));
            (name.to_owned(), value.to_owned())
        })
        .collect()
}

fn target(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let mut parts = text.splitn(3, '\u{0}');
    let (name, summary, description) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    );
    let event = IcsEvent {
        uid: "activity-1@aula.example.edu".into(),
        summary: summary.into(),
        description: description.into(),
        url: "https://aula.example.edu/activities/1".into(),
        start: 1_780_000_000,
        duration_secs: 3600,
        tz: "UTC".into(),
        stamp: 1_780_000_000,
        ..IcsEvent::default()
    };
    let ics = calendar(name, None, &[event]);
    let lines = content_lines(&ics);
    let names: BTreeSet<&str> = lines
        .iter()
        .map(|(n, _)| n.split(';').next().unwrap_or(""))
        .collect();
    let written: BTreeSet<&str> = [
        "BEGIN",
        "END",
        "VERSION",
        "PRODID",
        "CALSCALE",
        "NAME",
        "X-WR-CALNAME",
        "REFRESH-INTERVAL",
        "X-PUBLISHED-TTL",
        "UID",
        "DTSTAMP",
        "SEQUENCE",
        "DTSTART",
        "DURATION",
        "SUMMARY",
        "DESCRIPTION",
        "URL",
        "STATUS",
    ]
    .into_iter()
    .collect();
    let foreign: Vec<_> = names.difference(&written).collect();
    assert!(
        foreign.is_empty(),
        "properties Aula never writes: {foreign:?}"
    );
    let read = |prop: &str| -> Vec<String> {
        lines
            .iter()
            .filter(|(n, _)| n == prop)
            .map(|(_, v)| unescape(v))
            .collect()
    };
    assert_eq!(read("X-WR-CALNAME"), vec![as_read(name)]);
    assert_eq!(read("NAME"), vec![as_read(name)]);
    assert_eq!(read("SUMMARY"), vec![as_read(summary)]);
    // An empty description is left out (the writer checks the typed text, before cleaning).
    let want: Vec<String> = if description.is_empty() {
        vec![]
    } else {
        vec![as_read(description)]
    };
    assert_eq!(read("DESCRIPTION"), want);
    assert_eq!(read("BEGIN").len(), 2, "one calendar and one event");
}

#[test]
fn ics_texts_read_back_as_typed_and_never_start_a_property() {
    super::corpus::run("ics", target);
}
