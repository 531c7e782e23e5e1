//! Meetings outside courses, browser-safe: the data the pages and server functions exchange, and
//! the form's checks (every field error at once, so the owner fixes everything in one go).
//!
//! The form's start time reaches `MeetingDraft` already read in the owner's zone (the server does
//! that, the browser has no zone database); everything else is checked here, recurrence included.

use domain::field::Invalid;
use serde::{Deserialize, Serialize};

use super::rule::{CivilDate, Recurrence, RecurrenceDraft};
use crate::error::{AppError, FieldCode, FieldError};

pub const NAME_MIN: usize = 2;
pub const NAME_MAX: usize = 100;
pub const WELCOME_MAX: usize = 2000;
pub const DURATION_MIN: i64 = 5;
pub const DURATION_MAX: i64 = 720;
/// BBB's `duration`: 0 is no limit; at most a day.
pub const MAX_DURATION_MAX: i64 = 1440;
pub const CODE_MIN: usize = 4;
pub const CODE_MAX: usize = 32;
/// Length of the random id in a meeting's link (`/m/<public_id>`).
pub const PUBLIC_ID_LEN: usize = 16;

/// Who may come in, and BigBlueButton's guest policy: `domain` types, also database columns.
pub use domain::{Access, GuestPolicy};

/// The meeting form as typed. `starts_at` is the start field read in the owner's zone (None when
/// it was not a date and time), `start_date` its calendar date there (for recurrence checks).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingDraft {
    pub name: String,
    pub welcome: String,
    pub starts_at: Option<i64>,
    pub start_date: Option<CivilDate>,
    pub duration_minutes: String,
    pub recurrence: RecurrenceDraft,
    pub access: String,
    pub access_code: String,
    pub code_in_invitations: bool,
    pub course_ids: Vec<i32>,
    /// Empty means `ALWAYS_ACCEPT`.
    pub guest_policy: String,
    pub max_duration_minutes: String,
    pub record: bool,
    pub auto_start_recording: bool,
    pub allow_start_stop_recording: bool,
}

/// A meeting that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidMeeting {
    pub name: String,
    pub welcome: String,
    pub starts_at: i64,
    pub duration_minutes: i32,
    pub recurrence: Option<Recurrence>,
    pub access: Access,
    /// Only for `Link` meetings; None for no code.
    pub access_code: Option<String>,
    pub code_in_invitations: bool,
    /// Sorted, without repeats; empty unless `Courses`.
    pub course_ids: Vec<i32>,
    pub guest_policy: GuestPolicy,
    pub max_duration_minutes: i32,
    pub record: bool,
    pub auto_start_recording: bool,
    pub allow_start_stop_recording: bool,
}

/// Whitespace runs become one space, ends trimmed.
fn tidy(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn number_in(raw: &str, min: i64, max: i64) -> Option<i32> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .and_then(|n| i32::try_from(n).ok())
}

impl MeetingDraft {
    pub fn validate(&self) -> Result<ValidMeeting, AppError> {
        let mut errors = Vec::new();
        let mut err = |field: &str, code| errors.push(FieldError::new(field, code));

        let name = tidy(&self.name);
        let name_len = name.chars().count();
        if name_len == 0 {
            err("name", FieldCode::Required);
        } else if name_len < NAME_MIN {
            err("name", FieldCode::TooShort(NAME_MIN as u32));
        } else if name_len > NAME_MAX {
            err("name", FieldCode::TooLong(NAME_MAX as u32));
        }
        if name.chars().any(char::is_control) {
            err("name", FieldCode::InvalidChoice);
        }
        let welcome = self.welcome.trim().to_owned();
        if welcome.chars().count() > WELCOME_MAX {
            err("welcome", FieldCode::TooLong(WELCOME_MAX as u32));
        }
        if self.starts_at.is_none() {
            err("starts_at", FieldCode::InvalidDate);
        }
        let duration = number_in(&self.duration_minutes, DURATION_MIN, DURATION_MAX);
        if duration.is_none() {
            err(
                "duration_minutes",
                FieldCode::OutOfRange(DURATION_MIN, DURATION_MAX),
            );
        }
        let max_duration = match self.max_duration_minutes.trim() {
            "" => Some(0),
            raw => number_in(raw, 0, MAX_DURATION_MAX),
        };
        if max_duration.is_none() {
            err(
                "max_duration_minutes",
                FieldCode::OutOfRange(0, MAX_DURATION_MAX),
            );
        }

        let access = Access::parse(&self.access);
        if access.is_none() {
            err("access", FieldCode::InvalidChoice);
        }
        let code = self.access_code.trim();
        let access_code = match access {
            // A code only guards link meetings; a stale one in a hidden field is dropped.
            Some(Access::Link) if !code.is_empty() => {
                let n = code.chars().count();
                if n < CODE_MIN {
                    err("access_code", FieldCode::TooShort(CODE_MIN as u32));
                } else if n > CODE_MAX {
                    err("access_code", FieldCode::TooLong(CODE_MAX as u32));
                } else if code.chars().any(|c| c.is_control() || c.is_whitespace()) {
                    err("access_code", FieldCode::InvalidChoice);
                }
                Some(code.to_owned())
            }
            _ => None,
        };
        let mut course_ids = if access == Some(Access::Courses) {
            self.course_ids.clone()
        } else {
            Vec::new()
        };
        course_ids.sort_unstable();
        course_ids.dedup();
        if access == Some(Access::Courses) && course_ids.is_empty() {
            err("course_ids", FieldCode::Required);
        }

        let guest_policy = match self.guest_policy.trim() {
            "" => Some(GuestPolicy::AlwaysAccept),
            raw => GuestPolicy::parse(raw),
        };
        if guest_policy.is_none() {
            err("guest_policy", FieldCode::InvalidChoice);
        }
        if self.auto_start_recording && !self.record {
            err("auto_start_recording", FieldCode::InvalidChoice);
        }
        // BBB's documentation: never both off, or a recorded meeting could never record.
        if self.record && !self.auto_start_recording && !self.allow_start_stop_recording {
            err("allow_start_stop_recording", FieldCode::Required);
        }

        let recurrence = match self.recurrence.validate() {
            Ok(Some(rule)) => match self.start_date.map(|d| rule.validate_with_start(d)) {
                Some(Err(Invalid(v))) => {
                    errors.extend(v);
                    None
                }
                _ => Some(rule),
            },
            Ok(None) => None,
            Err(Invalid(v)) => {
                errors.extend(v);
                None
            }
        };

        match (
            errors.is_empty(),
            self.starts_at,
            duration,
            max_duration,
            access,
            guest_policy,
        ) {
            (true, Some(starts_at), Some(d), Some(md), Some(access), Some(guest_policy)) => {
                Ok(ValidMeeting {
                    name,
                    welcome,
                    starts_at,
                    duration_minutes: d,
                    recurrence,
                    access,
                    access_code,
                    code_in_invitations: self.code_in_invitations && access == Access::Link,
                    course_ids,
                    guest_policy,
                    max_duration_minutes: md,
                    record: self.record,
                    auto_start_recording: self.auto_start_recording,
                    allow_start_stop_recording: self.allow_start_stop_recording,
                })
            }
            _ => Err(AppError::Invalid(errors)),
        }
    }
}

/// A checkbox as an HTML form posts it: absent when unticked, `on` (or a value) when ticked.
pub fn ticked(raw: &Option<String>) -> bool {
    raw.as_deref()
        .is_some_and(|v| !matches!(v.trim(), "" | "false" | "off" | "0"))
}

/// One row of "My meetings".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingRow {
    pub id: i32,
    pub public_id: String,
    /// Empty for a personal room (its name is translated where it is shown).
    pub name: String,
    pub is_personal: bool,
    /// The caller is the owner (not a co-owner): may delete and manage co-owners.
    pub is_owner: bool,
    pub owner_name: String,
    /// The running or next session in the caller's zone; None once a series is over (and for
    /// personal rooms, which are always available).
    pub next_session: Option<String>,
    pub recurring: bool,
    /// The absolute link to share.
    pub url: String,
    pub access: Access,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingList {
    /// False when no BigBlueButton server is registered: an administrator must add one.
    pub bbb_ready: bool,
    pub rows: Vec<MeetingRow>,
    /// Meetings whose owners invited the caller to co-own them, waiting for an answer.
    pub offers: Vec<CoOwnerOffer>,
}

/// An invitation to co-own someone's meeting, as its invitee sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoOwnerOffer {
    pub invitation_id: i32,
    pub meeting_name: String,
    pub owner_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i32,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoOwnerRow {
    pub user_id: i32,
    pub name: String,
    pub email: String,
}

/// An invitation not answered yet: only the address the owner typed, never whose it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingCoOwner {
    pub invitation_id: i32,
    pub email: String,
}

/// A meeting's co-owners (who accepted) and the invitations still open.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoOwners {
    pub owners: Vec<CoOwnerRow>,
    pub pending: Vec<PendingCoOwner>,
}

/// The meeting form as posted, one field per input (server functions take it flattened, so the
/// field names are the inputs' names). Fields a plain HTML form may leave out (unticked boxes,
/// hidden sections) are optional or default to empty; the checks happen in [`MeetingDraft`].
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MeetingFields {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub welcome: String,
    #[serde(default)]
    pub starts_at: String,
    #[serde(default)]
    pub duration_minutes: String,
    #[serde(default)]
    pub frequency: String,
    #[serde(default)]
    pub interval: String,
    #[serde(default, deserialize_with = "domain::form::numbers")]
    pub weekdays: Option<Vec<u8>>,
    #[serde(default)]
    pub monthly_by: String,
    #[serde(default)]
    pub ends: String,
    #[serde(default)]
    pub count: String,
    #[serde(default)]
    pub until: String,
    pub access: String,
    #[serde(default)]
    pub access_code: String,
    #[serde(default)]
    pub code_in_invitations: Option<String>,
    #[serde(default, deserialize_with = "domain::form::numbers")]
    pub course_ids: Option<Vec<i32>>,
    #[serde(default)]
    pub guest_policy: Option<String>,
    #[serde(default)]
    pub max_duration_minutes: String,
    #[serde(default)]
    pub record: Option<String>,
    #[serde(default)]
    pub auto_start_recording: Option<String>,
    #[serde(default)]
    pub allow_start_stop_recording: Option<String>,
    #[serde(deserialize_with = "domain::form::number")]
    pub server_id: i32,
}

/// The access code is a password for the room: it stays out of logs.
impl std::fmt::Debug for MeetingFields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MeetingFields")
            .field("name", &self.name)
            .field("starts_at", &self.starts_at)
            .field("access", &self.access)
            .field("access_code", &"<redacted>")
            .field("server_id", &self.server_id)
            .finish_non_exhaustive()
    }
}

/// The create (`meeting_id` None) or edit form's initial values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingFormData {
    pub meeting_id: Option<i32>,
    pub public_id: String,
    pub url: String,
    pub is_personal: bool,
    pub name: String,
    pub welcome: String,
    /// `<input type="datetime-local">` value in `time_zone`.
    pub starts_at: String,
    pub duration_minutes: String,
    pub time_zone: String,
    pub recurrence: RecurrenceDraft,
    pub access: Access,
    pub access_code: String,
    pub code_in_invitations: bool,
    pub course_ids: Vec<i32>,
    /// Courses the owner may restrict to (their own; every course for an admin).
    pub courses: Vec<Choice>,
    pub guest_policy: GuestPolicy,
    pub max_duration_minutes: String,
    pub record: bool,
    pub auto_start_recording: bool,
    pub allow_start_stop_recording: bool,
    pub server_id: i32,
    /// BigBlueButton servers only; empty when none is registered.
    pub servers: Vec<Choice>,
    pub slides_name: Option<String>,
    pub co_owners: CoOwners,
    /// Owner or admin: may delete (not a personal room) and manage co-owners.
    pub is_owner: bool,
}

/// What the join page shows, to anyone the meeting admits (anonymous visitors of link meetings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingPage {
    pub public_id: String,
    /// Empty for a personal room.
    pub name: String,
    pub is_personal: bool,
    pub owner_name: String,
    /// The running or next session in the viewer's zone.
    pub next_session: Option<String>,
    pub session_minutes: i32,
    pub recurring: bool,
    pub time_zone: String,
    pub signed_in: bool,
    /// Owner, co-owner or admin: starts the meeting and joins as moderator.
    pub is_owner: bool,
    /// May open the edit form (owners, co-owners, admins).
    pub meeting_id: Option<i32>,
    /// The link to share, for owners.
    pub url: Option<String>,
    pub running: bool,
    /// The caller must type the access code to join.
    pub needs_code: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinRedirect {
    /// The signed BigBlueButton join URL.
    pub redirect_url: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingStatus {
    pub running: bool,
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
