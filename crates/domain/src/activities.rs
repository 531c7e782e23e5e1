//! Activity domain types shared by browser and server: the time window and its phases,
//! form validation, and the server-derived room name. Pure logic, tested here.

use serde::{Deserialize, Serialize};

use crate::field::{FieldCode, FieldError, Invalid};

pub const NAME_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 5000;
pub const EARLY_ENTRY_MAX: i64 = 240;
pub const COMPLETION_MAX: i64 = 24 * 60;
/// A single session longer than this is almost certainly a typo in the closing date.
pub const MAX_SPAN_SECONDS: i64 = 7 * 24 * 3600;

/// When an activity can be entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub opens_at: i64,
    pub closes_at: i64,
    pub early_entry_minutes: i64,
}

/// Where an activity stands for one person at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    /// Not open yet. `early_in` is the number of seconds until this person may enter early
    /// (0 = now), present only for moderators when early entry is allowed.
    Upcoming {
        opens_in: i64,
        early_in: Option<i64>,
    },
    Open {
        closes_in: i64,
    },
    Closed,
}

impl Window {
    pub fn phase(&self, now: i64, moderator: bool) -> Phase {
        if now >= self.closes_at {
            Phase::Closed
        } else if now >= self.opens_at {
            Phase::Open {
                closes_in: self.closes_at - now,
            }
        } else {
            let early_in = (moderator && self.early_entry_minutes > 0)
                .then(|| (self.opens_at - self.early_entry_minutes * 60 - now).max(0));
            Phase::Upcoming {
                opens_in: self.opens_at - now,
                early_in,
            }
        }
    }

    /// May this person enter the meeting now?
    pub fn can_enter(&self, now: i64, moderator: bool) -> bool {
        self.phase(now, moderator).enterable()
    }
}

impl Phase {
    /// Open, or early entry is allowed right now.
    pub fn enterable(self) -> bool {
        matches!(
            self,
            Phase::Open { .. }
                | Phase::Upcoming {
                    early_in: Some(0),
                    ..
                }
        )
    }

    /// The phase `elapsed` seconds later, computed in the browser from the server's answer so the
    /// countdown needs no trust in the browser's clock.
    pub fn advance(self, window_len: i64, elapsed: i64) -> Phase {
        match self {
            Phase::Upcoming { opens_in, early_in } => {
                let left = opens_in - elapsed;
                if left <= 0 {
                    Phase::Open {
                        closes_in: (window_len + left).max(0),
                    }
                    .settle()
                } else {
                    Phase::Upcoming {
                        opens_in: left,
                        early_in: early_in.map(|e| (e - elapsed).max(0)),
                    }
                }
            }
            Phase::Open { closes_in } => Phase::Open {
                closes_in: closes_in - elapsed,
            }
            .settle(),
            Phase::Closed => Phase::Closed,
        }
    }

    fn settle(self) -> Phase {
        match self {
            Phase::Open { closes_in } if closes_in <= 0 => Phase::Closed,
            other => other,
        }
    }
}

/// "2d 03:04:05", "03:04:05" or "04:05": short, unambiguous, language-neutral.
pub fn format_countdown(seconds: i64) -> String {
    let s = seconds.max(0);
    let (d, h, m, s) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60, s % 60);
    if d > 0 {
        format!("{d}d {h:02}:{m:02}:{s:02}")
    } else if h > 0 {
        format!("{h:02}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// What the activity form sends, after the server has turned local date-times into instants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityDraft {
    pub name: String,
    pub description: String,
    pub opens_at: Option<i64>,
    pub closes_at: Option<i64>,
    pub early_entry_minutes: String,
    pub completion_minutes: String,
}

/// A draft that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidActivity {
    pub name: String,
    pub description: String,
    pub window: Window,
    pub completion_minutes: Option<i64>,
}

fn parse_minutes(field: &str, raw: &str, max: i64, errors: &mut Vec<FieldError>) -> Option<i64> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    match raw.parse::<i64>() {
        Ok(n) if (0..=max).contains(&n) => Some(n),
        _ => {
            errors.push(FieldError::new(field, FieldCode::OutOfRange(0, max)));
            None
        }
    }
}

impl ActivityDraft {
    pub fn validate(&self) -> Result<ValidActivity, Invalid> {
        let mut errors = Vec::new();
        let name = self.name.trim().to_owned();
        if name.is_empty() {
            errors.push(FieldError::new("name", FieldCode::Required));
        } else if name.chars().count() > NAME_MAX {
            errors.push(FieldError::new("name", FieldCode::TooLong(NAME_MAX as u32)));
        }
        let description = self.description.trim().to_owned();
        if description.chars().count() > DESCRIPTION_MAX {
            errors.push(FieldError::new(
                "description",
                FieldCode::TooLong(DESCRIPTION_MAX as u32),
            ));
        }
        if self.opens_at.is_none() {
            errors.push(FieldError::new("opens_at", FieldCode::InvalidDate));
        }
        if self.closes_at.is_none() {
            errors.push(FieldError::new("closes_at", FieldCode::InvalidDate));
        }
        if let (Some(o), Some(c)) = (self.opens_at, self.closes_at) {
            if c <= o {
                errors.push(FieldError::new(
                    "closes_at",
                    FieldCode::ClosingNotAfterOpening,
                ));
            } else if c - o > MAX_SPAN_SECONDS {
                errors.push(FieldError::new(
                    "closes_at",
                    FieldCode::OutOfRange(1, MAX_SPAN_SECONDS / 3600),
                ));
            }
        }
        let early = parse_minutes(
            "early_entry_minutes",
            &self.early_entry_minutes,
            EARLY_ENTRY_MAX,
            &mut errors,
        );
        let completion = parse_minutes(
            "completion_minutes",
            &self.completion_minutes,
            COMPLETION_MAX,
            &mut errors,
        );
        match (errors.is_empty(), self.opens_at, self.closes_at) {
            (true, Some(opens_at), Some(closes_at)) => Ok(ValidActivity {
                name,
                description,
                window: Window {
                    opens_at,
                    closes_at,
                    early_entry_minutes: early.unwrap_or(0),
                },
                completion_minutes: completion.filter(|&m| m > 0),
            }),
            _ => Err(Invalid(errors)),
        }
    }
}

/// The Jitsi room for an activity: a readable slug of its name plus a random suffix the server
/// draws once at creation. Lowercase, because Jitsi lowercases room names, and limited to
/// `[a-z0-9-]`, which every Jitsi deployment and JWT `room` claim accepts.
pub fn derive_room_name(activity_name: &str, suffix: &str) -> String {
    let mut slug = String::new();
    for c in activity_name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
        if slug.len() >= 40 {
            break;
        }
    }
    let slug = slug.trim_matches('-');
    let suffix: String = suffix
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .flat_map(char::to_lowercase)
        .collect();
    if slug.is_empty() {
        format!("aula-{suffix}")
    } else {
        format!("{slug}-{suffix}")
    }
}

/// Who a join ticket is for. Decided on the server: a user's capabilities, or a guest link.
pub struct Identity {
    /// Comes back from the meeting as `userContext.id`: an Aula user id, or `guest:<n>`.
    pub id: String,
    pub name: String,
    pub email: String,
    pub avatar: Option<String>,
    pub moderator: bool,
    pub can_record: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: Window = Window {
        opens_at: 1000,
        closes_at: 4600,
        early_entry_minutes: 10,
    };

    #[test]
    fn an_activity_is_upcoming_open_then_closed_as_time_passes() {
        assert_eq!(
            W.phase(0, false),
            Phase::Upcoming {
                opens_in: 1000,
                early_in: None
            }
        );
        assert_eq!(W.phase(1000, false), Phase::Open { closes_in: 3600 });
        assert_eq!(W.phase(4599, false), Phase::Open { closes_in: 1 });
        assert_eq!(W.phase(4600, false), Phase::Closed);
    }

    #[test]
    fn moderators_may_enter_early_only_within_the_allowed_minutes() {
        assert_eq!(
            W.phase(0, true),
            Phase::Upcoming {
                opens_in: 1000,
                early_in: Some(400)
            }
        );
        assert!(!W.can_enter(399, true));
        assert!(W.can_enter(400, true));
        assert!(!W.can_enter(400, false), "students never enter early");
    }

    #[test]
    fn without_early_entry_moderators_wait_like_everyone_else() {
        let w = Window {
            early_entry_minutes: 0,
            ..W
        };
        assert_eq!(
            w.phase(999, true),
            Phase::Upcoming {
                opens_in: 1,
                early_in: None
            }
        );
        assert!(!w.can_enter(999, true));
    }

    #[test]
    fn advancing_a_phase_matches_recomputing_it_later() {
        for start in [0, 500, 999, 1000, 3000, 4599, 4600] {
            for elapsed in [0, 1, 399, 400, 1000, 3600, 5000] {
                for moderator in [false, true] {
                    let advanced = W.phase(start, moderator).advance(3600, elapsed);
                    assert_eq!(
                        advanced,
                        W.phase(start + elapsed, moderator),
                        "{start}+{elapsed}"
                    );
                }
            }
        }
    }

    #[test]
    fn countdowns_read_as_days_hours_minutes_seconds() {
        assert_eq!(format_countdown(5), "00:05");
        assert_eq!(format_countdown(3599), "59:59");
        assert_eq!(format_countdown(3600), "01:00:00");
        assert_eq!(
            format_countdown(2 * 86_400 + 3 * 3600 + 4 * 60 + 5),
            "2d 03:04:05"
        );
        assert_eq!(format_countdown(-3), "00:00");
    }

    fn draft() -> ActivityDraft {
        ActivityDraft {
            name: "  Week 1 lecture ".into(),
            description: String::new(),
            opens_at: Some(1000),
            closes_at: Some(4600),
            early_entry_minutes: "10".into(),
            completion_minutes: "".into(),
        }
    }

    #[test]
    fn a_valid_draft_is_trimmed_and_accepted() {
        let v = draft().validate().unwrap();
        assert_eq!(v.name, "Week 1 lecture");
        assert_eq!(v.window, W);
        assert_eq!(v.completion_minutes, None);
    }

    #[test]
    fn closing_at_or_before_opening_is_refused_on_the_closing_field() {
        let e = ActivityDraft {
            closes_at: Some(1000),
            ..draft()
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            e.field("closes_at"),
            Some(FieldCode::ClosingNotAfterOpening)
        );
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let e = ActivityDraft {
            name: " ".into(),
            description: "x".repeat(DESCRIPTION_MAX + 1),
            opens_at: None,
            closes_at: Some(5),
            early_entry_minutes: "-1".into(),
            completion_minutes: "abc".into(),
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.field("name"), Some(FieldCode::Required));
        assert_eq!(e.field("description"), Some(FieldCode::TooLong(5000)));
        assert_eq!(e.field("opens_at"), Some(FieldCode::InvalidDate));
        assert_eq!(
            e.field("early_entry_minutes"),
            Some(FieldCode::OutOfRange(0, EARLY_ENTRY_MAX))
        );
        assert_eq!(
            e.field("completion_minutes"),
            Some(FieldCode::OutOfRange(0, COMPLETION_MAX))
        );
    }

    #[test]
    fn names_longer_than_the_limit_and_week_long_sessions_are_refused() {
        let long = ActivityDraft {
            name: "é".repeat(NAME_MAX + 1),
            ..draft()
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            long.field("name"),
            Some(FieldCode::TooLong(NAME_MAX as u32))
        );
        let span = ActivityDraft {
            closes_at: Some(1000 + MAX_SPAN_SECONDS + 1),
            ..draft()
        }
        .validate()
        .unwrap_err();
        assert!(span.field("closes_at").is_some());
    }

    #[test]
    fn room_names_are_lowercase_slugs_with_the_server_suffix() {
        assert_eq!(
            derive_room_name("Física: Semana 1!", "AB12cd"),
            "f-sica-semana-1-ab12cd"
        );
        assert_eq!(derive_room_name("¿¿??", "x1"), "aula-x1");
        let long = derive_room_name(&"a".repeat(300), "s");
        assert!(long.len() <= 43, "{long}");
        let forged = derive_room_name("x", "../evil room");
        assert!(
            forged
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        );
    }
}
