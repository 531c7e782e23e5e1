//! Record and stream: values shared by the server and the browser, and the pure rules (titles,
//! account rotation, lock takeover, retention) with their unit tests.

use serde::{Deserialize, Serialize};

use crate::error::FieldCode;

/// Seconds an author must have been gone before another moderator may take the recording over.
pub const TAKEOVER_AFTER_SECS: i64 = 60;
pub const TITLE_MAX: usize = 100;

/// YouTube's `latencyPreference`, with the documented spelling (`ultraLow`, not `ultralow`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Latency {
    #[default]
    Normal,
    Low,
    UltraLow,
}

impl Latency {
    pub const ALL: [Latency; 3] = [Latency::Normal, Latency::Low, Latency::UltraLow];

    pub fn as_api(self) -> &'static str {
        match self {
            Latency::Normal => "normal",
            Latency::Low => "low",
            Latency::UltraLow => "ultraLow",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_api() == s)
    }
}

/// The admin's recording settings. The client secret is write-only: `has_secret` says whether
/// one is stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordingSettings {
    pub client_id: String,
    pub has_secret: bool,
    pub latency: Latency,
    pub made_for_kids: bool,
    pub round_robin: bool,
    pub retention_days: u32,
    pub purge_batch: u32,
    /// Where Google must send the admin back (to register in the Google console).
    pub redirect_uri: String,
}

/// The admin's recording settings form as posted (`admin/recording/settings`), one field per
/// input. An empty `client_secret` keeps the stored one; the checkboxes are `Some` when ticked.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordingSettingsForm {
    pub client_id: String,
    pub client_secret: String,
    pub latency: String,
    pub made_for_kids: Option<String>,
    pub round_robin: Option<String>,
    pub retention_days: String,
    pub purge_batch: String,
}

/// Never prints the client secret.
impl std::fmt::Debug for RecordingSettingsForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordingSettingsForm")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("latency", &self.latency)
            .field("made_for_kids", &self.made_for_kids)
            .field("round_robin", &self.round_robin)
            .field("retention_days", &self.retention_days)
            .field("purge_batch", &self.purge_batch)
            .finish()
    }
}

pub const RETENTION_DAYS_DEFAULT: u32 = 28;
pub const PURGE_BATCH_DEFAULT: u32 = 10;

pub fn validate_retention(days: u32) -> Result<u32, FieldCode> {
    if (1..=3650).contains(&days) {
        Ok(days)
    } else {
        Err(FieldCode::OutOfRange(1, 3650))
    }
}

pub fn validate_batch(n: u32) -> Result<u32, FieldCode> {
    if (1..=500).contains(&n) {
        Ok(n)
    } else {
        Err(FieldCode::OutOfRange(1, 500))
    }
}

/// A streaming account as admins see it (never its tokens).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountRow {
    pub id: i32,
    pub name: String,
    pub in_use: bool,
    pub in_queue: bool,
    pub connected: bool,
    pub failing_reason: Option<String>,
    pub recordings: u64,
}

/// The recording running in the activity's room, for the switch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveRecording {
    pub id: i32,
    pub author: String,
    pub mine: bool,
    /// The author has been gone long enough for the caller to stop it.
    pub can_take_over: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SwitchState {
    /// The caller holds `record`.
    pub can_record: bool,
    pub live: Option<LiveRecording>,
}

/// What the page needs to start the stream in the meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StartedRecording {
    pub id: i32,
    pub stream_key: String,
    pub broadcast_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordingRow {
    pub id: i32,
    pub title: String,
    pub date: String,
    pub author: String,
    /// The player URL; `None` while the broadcast is still being created.
    pub embed_url: Option<String>,
    pub visible: bool,
    pub live: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordingsPage {
    pub activity_id: i32,
    pub activity_name: String,
    pub course_id: i32,
    pub course_name: String,
    pub rows: Vec<RecordingRow>,
    pub can_rename: bool,
    pub can_hide: bool,
    pub can_delete: bool,
}

/// A recording marked for deletion, in the admins' queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueRow {
    pub id: i32,
    pub title: String,
    pub activity: Option<String>,
    pub marked: String,
    pub due: String,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminRecordingPage {
    pub settings: RecordingSettings,
    pub accounts: Vec<AccountRow>,
    pub queue: Vec<QueueRow>,
    pub audit: Vec<AuditRow>,
}

/// A recording title as a teacher typed it: trimmed, not empty, at most 100 characters (YouTube's
/// limit) and without `<` or `>` (YouTube refuses them).
pub fn validate_title(raw: &str) -> Result<String, FieldCode> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(FieldCode::Required);
    }
    if t.chars().count() > TITLE_MAX {
        return Err(FieldCode::TooLong(TITLE_MAX as u32));
    }
    if t.contains(['<', '>']) {
        return Err(FieldCode::InvalidChoice);
    }
    Ok(t.to_owned())
}

/// The default title: the activity's name (at most 60 characters) and the local start time.
pub fn default_title(activity_name: &str, local_time: &str) -> String {
    let name: String = activity_name
        .chars()
        .filter(|c| !matches!(c, '<' | '>'))
        .take(60)
        .collect();
    format!("{} · {local_time}", name.trim())
}

/// May another moderator take the recording over? Only when the author's last sign of presence
/// (an attendance heartbeat, or taking the lock) is at least a minute old.
pub fn author_gone(last_seen: i64, now: i64) -> bool {
    now - last_seen >= TAKEOVER_AFTER_SECS
}

/// The account that receives the next broadcast after `current`: the next queued, usable account
/// in id order, wrapping around; `current` itself when it is the only one.
pub fn next_in_rotation(accounts: &[(i32, bool)], current: i32) -> Option<i32> {
    let mut usable: Vec<i32> = accounts
        .iter()
        .filter(|(_, ok)| *ok)
        .map(|(id, _)| *id)
        .collect();
    usable.sort_unstable();
    usable
        .iter()
        .find(|&&id| id > current)
        .or_else(|| usable.first())
        .copied()
}

/// When a recording marked for deletion at `marked_at` may be deleted from YouTube.
pub fn purge_due_at(marked_at: i64, retention_days: u32) -> i64 {
    marked_at + i64::from(retention_days) * 86_400
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_trimmed_and_bounded_and_refuse_angle_brackets() {
        assert_eq!(validate_title("  Week 3  "), Ok("Week 3".into()));
        assert_eq!(validate_title("   "), Err(FieldCode::Required));
        assert_eq!(
            validate_title(&"x".repeat(101)),
            Err(FieldCode::TooLong(100))
        );
        assert_eq!(validate_title(&"é".repeat(100)), Ok("é".repeat(100)));
        assert_eq!(validate_title("a <b>"), Err(FieldCode::InvalidChoice));
    }

    #[test]
    fn the_default_title_fits_youtube_and_names_the_activity() {
        let t = default_title(&"Ñ".repeat(80), "24/11/2026 10:00");
        assert!(t.chars().count() <= TITLE_MAX);
        assert!(t.starts_with(&"Ñ".repeat(60)));
        assert!(validate_title(&default_title("<Intro>", "x")).is_ok());
    }

    #[test]
    fn an_author_is_gone_after_sixty_seconds_not_before() {
        assert!(!author_gone(1_000, 1_059));
        assert!(author_gone(1_000, 1_060));
    }

    #[test]
    fn rotation_moves_to_the_next_usable_account_and_wraps_around() {
        let accounts = [(3, true), (1, true), (7, false), (5, true)];
        assert_eq!(next_in_rotation(&accounts, 1), Some(3));
        assert_eq!(next_in_rotation(&accounts, 3), Some(5));
        assert_eq!(
            next_in_rotation(&accounts, 5),
            Some(1),
            "7 is failing: wrap"
        );
        assert_eq!(next_in_rotation(&[(4, true)], 4), Some(4));
        assert_eq!(next_in_rotation(&[(4, false)], 4), None);
    }

    #[test]
    fn retention_counts_from_the_deletion_mark() {
        assert_eq!(purge_due_at(1_000, 28), 1_000 + 28 * 86_400);
        assert_eq!(validate_retention(0), Err(FieldCode::OutOfRange(1, 3650)));
        assert_eq!(validate_batch(10), Ok(10));
    }

    #[test]
    fn the_settings_form_never_prints_its_secret() {
        let form = RecordingSettingsForm {
            client_secret: "s3cr3t".into(),
            ..Default::default()
        };
        let shown = format!("{form:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
    }

    #[test]
    fn latency_uses_the_documented_api_spelling() {
        assert_eq!(Latency::UltraLow.as_api(), "ultraLow");
        assert_eq!(Latency::parse("ultralow"), None);
        assert_eq!(Latency::parse("low"), Some(Latency::Low));
    }
}
