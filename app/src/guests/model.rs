//! Guest links (pure): whether a link still admits anyone, and the checks on what the teacher
//! and the guest type.

use serde::{Deserialize, Serialize};

use crate::{
    activities::model::Phase,
    error::{AppError, FieldCode, FieldError},
};

pub const LABEL_MAX: usize = 100;
pub const NAME_MAX: usize = 60;
pub const MAX_USES_LIMIT: i64 = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkState {
    Valid,
    Expired,
    Revoked,
    UsedUp,
    /// No such link (or a mistyped one): said the same way as any other refusal.
    Unknown,
}

/// Checked on every step a guest takes, not only the first page.
pub fn link_state(
    now: i64,
    expires_at: i64,
    revoked: bool,
    uses: i64,
    max_uses: Option<i64>,
) -> LinkState {
    if revoked {
        LinkState::Revoked
    } else if now >= expires_at {
        LinkState::Expired
    } else if max_uses.is_some_and(|m| uses >= m) {
        LinkState::UsedUp
    } else {
        LinkState::Valid
    }
}

/// A guest's display name: trimmed, 1 to 60 characters, no control characters.
pub fn guest_name(raw: &str) -> Result<String, FieldCode> {
    let name: String = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(FieldCode::Required);
    }
    if name.chars().count() > NAME_MAX {
        return Err(FieldCode::TooLong(NAME_MAX as u32));
    }
    if name.chars().any(char::is_control) {
        return Err(FieldCode::InvalidChoice);
    }
    Ok(name)
}

/// The teacher's form, once `expires_at` was read in their time zone.
pub fn validate_link(
    label: &str,
    expires_at: Option<i64>,
    max_uses: &str,
    now: i64,
) -> Result<(String, i64, Option<i32>), AppError> {
    let mut errors = Vec::new();
    let label = label.trim().to_owned();
    if label.is_empty() {
        errors.push(FieldError::new("label", FieldCode::Required));
    } else if label.chars().count() > LABEL_MAX {
        errors.push(FieldError::new(
            "label",
            FieldCode::TooLong(LABEL_MAX as u32),
        ));
    }
    match expires_at {
        None => errors.push(FieldError::new("expires_at", FieldCode::InvalidDate)),
        Some(t) if t <= now => errors.push(FieldError::new("expires_at", FieldCode::InvalidDate)),
        _ => {}
    }
    let uses = match max_uses.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(n) if (1..=MAX_USES_LIMIT).contains(&n) => Some(n as i32),
            _ => {
                errors.push(FieldError::new(
                    "max_uses",
                    FieldCode::OutOfRange(1, MAX_USES_LIMIT),
                ));
                None
            }
        },
    };
    if errors.is_empty() {
        Ok((label, expires_at.unwrap_or(now), uses))
    } else {
        Err(AppError::Invalid(errors))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuestUseRow {
    pub name: String,
    pub at: String,
}

/// A link as its teacher sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkRow {
    pub id: i32,
    pub label: String,
    pub url: String,
    /// The URL as a QR code (SVG markup generated on the server).
    pub qr_svg: String,
    pub expires: String,
    pub max_uses: Option<i32>,
    pub uses: i32,
    pub state: LinkState,
    pub guests: Vec<GuestUseRow>,
}

/// What a guest's page shows before they give a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuestLinkInfo {
    pub state: LinkState,
    pub activity_id: i32,
    pub activity_name: String,
    pub course_name: String,
    pub phase: Phase,
    pub window_len: i64,
    pub opens_display: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_admits_until_it_expires_is_revoked_or_used_up() {
        assert_eq!(link_state(10, 20, false, 0, None), LinkState::Valid);
        assert_eq!(link_state(20, 20, false, 0, None), LinkState::Expired);
        assert_eq!(link_state(10, 20, true, 0, None), LinkState::Revoked);
        assert_eq!(link_state(10, 20, false, 3, Some(3)), LinkState::UsedUp);
        assert_eq!(link_state(10, 20, false, 2, Some(3)), LinkState::Valid);
    }

    #[test]
    fn guest_names_are_tidied_and_bounded() {
        assert_eq!(guest_name("  Kim   Lee "), Ok("Kim Lee".into()));
        assert_eq!(guest_name("   "), Err(FieldCode::Required));
        assert_eq!(guest_name(&"x".repeat(61)), Err(FieldCode::TooLong(60)));
    }

    #[test]
    fn a_link_needs_a_label_a_future_expiry_and_a_sane_limit() {
        assert_eq!(
            validate_link("Parents", Some(100), "", 10).unwrap(),
            ("Parents".into(), 100, None)
        );
        let e = validate_link("", Some(5), "0", 10).unwrap_err();
        let AppError::Invalid(v) = e else { panic!() };
        let fields: Vec<&str> = v.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["label", "expires_at", "max_uses"]);
    }
}
