//! Data sent between the activity pages and their server functions, and the parsing of a Jitsi
//! server's base URL into what the IFrame API needs.

use serde::{Deserialize, Serialize};

use super::model::Phase;

/// What the join page shows before anyone enters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinInfo {
    pub id: i32,
    pub course_id: i32,
    pub course_name: String,
    pub name: String,
    pub description: String,
    pub phase: Phase,
    pub window_len: i64,
    pub opens_display: String,
    pub closes_display: String,
    pub time_zone: String,
    pub is_moderator: bool,
    pub can_edit: bool,
    /// May see everyone's attendance (else only their own).
    pub can_view_attendance: bool,
    /// May see who is in the meeting now.
    pub can_see_presence: bool,
    /// May create guest links (`createlink`).
    pub can_create_links: bool,
    /// May start "Record and stream" (`record`).
    pub can_record: bool,
    /// May open the recordings tab (`viewrecords`).
    pub can_view_records: bool,
    /// The caller's own minutes so far.
    pub my_minutes: i64,
    pub completion_minutes: Option<i64>,
    pub completed: bool,
    /// Meets on BigBlueButton (joined by redirect; no embedded frame, dashboard or stream switch).
    pub bbb: bool,
}

/// Everything the browser needs to open the meeting; issued only when entry is allowed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinTicket {
    /// Host (and port) of the Jitsi server, as `JitsiMeetExternalAPI` expects its `domain`.
    pub domain: String,
    /// True for plain-http servers (test stand-ins); passed as the IFrame API's `noSSL`.
    pub no_ssl: bool,
    pub script_url: String,
    pub room_name: String,
    pub display_name: String,
    pub email: String,
    pub avatar_url: Option<String>,
    pub lang: String,
    pub subject: String,
    pub moderator: bool,
    /// The meeting token for servers with token authentication (self-hosted JWT, JaaS).
    pub jwt: Option<String>,
    /// BigBlueButton: the signed join URL the browser goes to instead of embedding a frame.
    pub redirect_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerChoice {
    pub id: i32,
    pub name: String,
    /// The backend is part of the teacher's choice: the form groups servers by it.
    pub bbb: bool,
}

/// One row of the overrides table on the edit page: `None` = inherit the role default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverrideRow {
    pub capability: crate::capabilities::Capability,
    pub role: crate::capabilities::CourseRole,
    pub default: bool,
    pub setting: Option<bool>,
}

/// The activity form's initial values (empty strings for a new activity).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityFormData {
    pub course_id: i32,
    pub course_name: String,
    pub activity_id: Option<i32>,
    /// The inputs' initial values, in the shape the form posts them back.
    pub values: ActivityForm,
    pub servers: Vec<ServerChoice>,
    pub time_zone: String,
    pub overrides: Vec<OverrideRow>,
}

/// The create and edit forms as posted, one field per input. The server functions take it
/// flattened (`#[server(flatten)]`), so every value arrives as a string: numbers are read with
/// [`domain::form::number`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityForm {
    pub name: String,
    pub description: String,
    pub opens_at: String,
    pub closes_at: String,
    pub early_entry_minutes: String,
    pub completion_minutes: String,
    #[serde(deserialize_with = "domain::form::number")]
    pub server_id: i32,
}

/// Splits a Jitsi base URL into the IFrame API's `domain` and `noSSL`.
pub fn jitsi_endpoint(base_url: &str) -> Option<(String, bool)> {
    let (rest, no_ssl) = if let Some(r) = base_url.strip_prefix("https://") {
        (r, false)
    } else {
        (base_url.strip_prefix("http://")?, true)
    };
    let domain = rest.trim_end_matches('/');
    (!domain.is_empty() && !domain.contains(['/', '?', '#', ' ', '"']))
        .then(|| (domain.to_owned(), no_ssl))
}

#[cfg(test)]
mod endpoint_tests {
    use super::jitsi_endpoint;

    #[test]
    fn base_urls_split_into_domain_and_ssl_flag() {
        assert_eq!(
            jitsi_endpoint("https://meet.jit.si"),
            Some(("meet.jit.si".into(), false))
        );
        assert_eq!(
            jitsi_endpoint("http://127.0.0.1:8443/"),
            Some(("127.0.0.1:8443".into(), true))
        );
        assert_eq!(jitsi_endpoint("ftp://x"), None);
        assert_eq!(jitsi_endpoint("https://x.org/path"), None);
    }
}
