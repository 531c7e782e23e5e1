//! Checks over the source of every view, so the next page cannot bring back what the security
//! review found (a textarea whose value was written raw) or what the Content-Security-Policy
//! forbids (inline handlers and styles, scripts without the nonce). Reading source is crude but
//! catches the pattern wherever it is written, including in a page nobody has tested yet.

use std::path::{Path, PathBuf};

fn sources() -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs")
                && let Ok(text) = std::fs::read_to_string(&p)
            {
                out.push((p, text));
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    assert!(out.len() > 50, "the app's sources were not found");
    out
}

/// Whether byte `at` of a line falls inside a string literal (an odd number of unescaped quotes
/// before it): test payloads mention markup without being markup.
fn inside_string(line: &str, at: usize) -> bool {
    let before = &line.as_bytes()[..at];
    let quotes = before
        .iter()
        .enumerate()
        .filter(|(i, b)| **b == b'"' && (*i == 0 || before[i - 1] != b'\\'))
        .count();
    quotes % 2 == 1
}

fn is_self(p: &Path) -> bool {
    p.ends_with("components/markup_lint.rs")
}

#[test]
fn every_textarea_value_goes_through_textarea_text() {
    for (path, text) in sources().iter().filter(|(p, _)| !is_self(p)) {
        let mut rest = text.as_str();
        while let Some(at) = rest.find("<textarea") {
            let after = &rest[at..];
            let line_start = rest[..at].rfind('\n').map_or(0, |i| i + 1);
            if rest[line_start..at].trim_start().starts_with("//") {
                rest = &after[1..];
                continue;
            }
            let Some(open_end) = after.find('>') else {
                break;
            };
            let body = &after[open_end + 1..];
            let content = body.split("</textarea>").next().unwrap_or_default().trim();
            assert!(
                content.is_empty() || content.starts_with("{textarea_text("),
                "{}: a <textarea> with a value not written by textarea_text(): {content:.60}",
                path.display()
            );
            rest = &after[open_end..];
        }
    }
}

#[test]
fn raw_html_is_written_only_where_aula_generated_it() {
    // The guest link's QR code is an SVG that the `qrcode` crate draws from the link itself.
    let allowed = ["guests/view.rs"];
    for (path, text) in sources().iter().filter(|(p, _)| !is_self(p)) {
        if text.contains("inner_html=") {
            assert!(
                allowed.iter().any(|a| path.ends_with(a)),
                "{}: inner_html writes markup unescaped",
                path.display()
            );
        }
    }
}

#[test]
fn no_inline_event_handlers_or_styles_which_the_policy_forbids() {
    let handler = |line: &str| {
        // `onclick="…"` or `onclick=format!(…)` in a view; `on:click=` is a Leptos listener.
        line.match_indices(" on").any(|(i, _)| {
            let word: String = line[i + 3..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase())
                .collect();
            !word.is_empty()
                && line[i + 3 + word.len()..].starts_with('=')
                && matches!(
                    line[i + 4 + word.len()..].chars().next(),
                    Some('"') | Some('f')
                )
        })
    };
    for (path, text) in sources().iter().filter(|(p, _)| !is_self(p)) {
        for (n, line) in text.lines().enumerate() {
            assert!(
                !handler(line),
                "{}:{}: inline event handler (use data-* and UI_SCRIPT, or on:event)",
                path.display(),
                n + 1
            );
            // Any form of it: a literal, a `format!`, `attr:style` or a `style:` directive all
            // reach the server-rendered HTML as a style attribute, which `style-src 'self'` blocks.
            let styled = [" style=", "attr:style=", " style:"]
                .iter()
                .any(|s| line.contains(s) && !line.trim_start().starts_with("//"));
            assert!(
                !styled,
                "{}:{}: inline style (use a class in style/main.css)",
                path.display(),
                n + 1
            );
        }
    }
}

#[test]
fn every_script_element_carries_the_nonce() {
    for (path, text) in sources().iter().filter(|(p, _)| !is_self(p)) {
        for (n, line) in text.lines().enumerate() {
            if let Some(i) = line.find("<script")
                && !line.trim_start().starts_with("//")
                && !inside_string(line, i)
            {
                assert!(
                    line[i..].contains("nonce="),
                    "{}:{}: a <script> without the page's nonce",
                    path.display(),
                    n + 1
                );
            }
        }
    }
}
