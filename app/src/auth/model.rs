//! Account types shared by browser and server.

use serde::{Deserialize, Serialize};

use crate::error::{AppError, FieldCode};

pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 200;
pub const DISPLAY_NAME_MAX: usize = 100;

/// The signed-in user as the UI needs them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i32,
    pub email: String,
    pub display_name: String,
    pub is_admin: bool,
    pub avatar_url: Option<String>,
}

/// A syntactically valid, lowercased e-mail address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, FieldCode> {
        let s = raw.trim().to_lowercase();
        if s.is_empty() {
            return Err(FieldCode::Required);
        }
        if s.len() > 254 {
            return Err(FieldCode::TooLong(254));
        }
        let (local, domain) = s.split_once('@').ok_or(FieldCode::InvalidEmail)?;
        let ok = !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !s
                .chars()
                .any(|c| c.is_whitespace() || c == ',' || c == ';' || c == '<' || c == '>')
            && !domain.contains('@');
        if ok {
            Ok(Email(s))
        } else {
            Err(FieldCode::InvalidEmail)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub fn validate_password(field: &str, raw: &str) -> Result<(), AppError> {
    let n = raw.chars().count();
    if n < PASSWORD_MIN {
        Err(AppError::invalid(
            field,
            FieldCode::TooShort(PASSWORD_MIN as u32),
        ))
    } else if n > PASSWORD_MAX {
        Err(AppError::invalid(
            field,
            FieldCode::TooLong(PASSWORD_MAX as u32),
        ))
    } else {
        Ok(())
    }
}

pub fn validate_display_name(field: &str, raw: &str) -> Result<String, AppError> {
    let s = raw.trim();
    if s.is_empty() {
        Err(AppError::invalid(field, FieldCode::Required))
    } else if s.chars().count() > DISPLAY_NAME_MAX {
        Err(AppError::invalid(
            field,
            FieldCode::TooLong(DISPLAY_NAME_MAX as u32),
        ))
    } else {
        Ok(s.to_owned())
    }
}

/// Avatar URLs must be absolute http(s) URLs: Jitsi fetches them from every participant's browser.
pub fn validate_avatar_url(field: &str, raw: &str) -> Result<Option<String>, AppError> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    match rest {
        Some(r) if !r.is_empty() && s.len() <= 500 && !s.contains(['"', '<', '>', ' ']) => {
            Ok(Some(s.to_owned()))
        }
        _ => Err(AppError::invalid(field, FieldCode::InvalidUrl)),
    }
}

/// Where the browser goes after logging in: the `next` parameter when it is a path on this site,
/// else the dashboard. Browsers read `\` as `/` and silently drop tabs and line breaks from URLs,
/// so `/\evil.example` and `/<TAB>/evil.example` both mean `//evil.example`, another host; such
/// characters are refused outright rather than cleaned, and what remains must be one `/`
/// followed by anything but a second slash.
pub fn safe_next(raw: Option<&str>) -> String {
    const HOME: &str = "/";
    let Some(next) = raw else {
        return HOME.to_owned();
    };
    let unsafe_char = |c: char| c == '\\' || c.is_control() || c.is_whitespace();
    let local = next.len() <= 2000
        && next.starts_with('/')
        && !next[1..].starts_with('/')
        && !next.chars().any(unsafe_char);
    if local {
        next.to_owned()
    } else {
        HOME.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_keeps_local_paths_with_their_query() {
        assert_eq!(
            safe_next(Some("/courses/3?tab=report#x")),
            "/courses/3?tab=report#x"
        );
        assert_eq!(safe_next(Some("/")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn next_refuses_every_known_way_out_of_the_site() {
        // Each of these makes a browser leave for another host (or run script).
        for bad in [
            "//evil.example/phish",
            "///evil.example",
            "/\\evil.example/phish",
            "\\\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "\t//evil.example",
            "/\u{0}/evil.example",
            "/ /evil.example",
            "/\u{a0}/evil.example",
            "/\u{2028}/evil.example",
            "https://evil.example",
            "http:/evil.example",
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "evil.example",
            " /evil.example",
            "",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(Some(&format!("/{}", "a".repeat(2000)))), "/");
    }

    #[test]
    fn emails_are_trimmed_and_lowercased() {
        assert_eq!(
            Email::parse("  Ana@Example.ORG ").unwrap().as_str(),
            "ana@example.org"
        );
    }

    #[test]
    fn malformed_emails_are_refused_with_a_reason() {
        assert_eq!(Email::parse(""), Err(FieldCode::Required));
        for bad in [
            "ana",
            "ana@",
            "@x.org",
            "ana@x",
            "a b@x.org",
            "a@x.org,b@y.org",
            "a@.org",
            "a@b@c.org",
        ] {
            assert_eq!(Email::parse(bad), Err(FieldCode::InvalidEmail), "{bad}");
        }
    }

    #[test]
    fn passwords_need_ten_characters() {
        assert!(validate_password("password", "short").is_err());
        assert!(validate_password("password", "long enough!").is_ok());
    }

    #[test]
    fn avatar_urls_must_be_http_or_https() {
        assert_eq!(validate_avatar_url("avatar_link", "").unwrap(), None);
        assert!(
            validate_avatar_url("avatar_link", "https://x.org/a.png")
                .unwrap()
                .is_some()
        );
        assert!(validate_avatar_url("avatar_link", "javascript:alert(1)").is_err());
        assert!(validate_avatar_url("avatar_link", "https://x.org/\"><script>").is_err());
    }
}
