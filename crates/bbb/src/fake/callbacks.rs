//! The callbacks as BBB makes them (bbb.md §2.4), built here and sent by the back office:
//! - end: `GET <meta_endCallbackUrl>` with `recordingmarks=true|false` appended;
//! - recording ready (`post_publish_recording_ready_callback.rb`): a form POST of
//!   `signed_parameters=<JWT {meeting_id, record_id}>`, HS256 (HS512 on a SHA-512-only server,
//!   as Scalelite does);
//! - analytics (`post_events_analytics_callback.rb` + the bbbevents gem): a JSON POST with
//!   `Authorization: Bearer <HS512 JWT {exp: now + 24 h}>`.

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde::Deserialize;
use serde_json::{Value, json};

use super::Meeting;

/// The end callback's URL: `recordingmarks` goes after the URL's own query, if it has one.
pub fn end_callback_url(url: &str, recording_marks: bool) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}recordingmarks={recording_marks}")
}

pub fn recording_ready_token(
    meeting_id: &str,
    record_id: &str,
    secret: &str,
    alg: Algorithm,
) -> Result<String, jsonwebtoken::errors::Error> {
    encode(
        &Header::new(alg),
        &json!({"meeting_id": meeting_id, "record_id": record_id}),
        &EncodingKey::from_secret(secret.as_bytes()),
    )
}

pub fn analytics_bearer(
    secret: &str,
    now_secs: i64,
) -> Result<String, jsonwebtoken::errors::Error> {
    encode(
        &Header::new(Algorithm::HS512),
        &json!({"exp": now_secs + 24 * 3600}),
        &EncodingKey::from_secret(secret.as_bytes()),
    )
}

/// One attendee as a test describes them to `send-analytics` (instants in Unix ms).
#[derive(Debug, Clone, Deserialize)]
pub struct AnalyticsUser {
    pub ext_user_id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub moderator: bool,
    #[serde(default)]
    pub joins: Vec<i64>,
    #[serde(default)]
    pub leaves: Vec<i64>,
    /// `{chats, talks, raisehand, emojis, poll_votes, talk_time}`; missing counts are 0.
    #[serde(default)]
    pub engagement: Option<Value>,
}

/// Who was there, from the meeting's own joins and leaves (when a test does not say).
pub fn users_from_presence(m: &Meeting) -> Vec<AnalyticsUser> {
    let mut users: Vec<AnalyticsUser> = Vec::new();
    for p in &m.presence {
        let i = match users.iter().position(|u| u.ext_user_id == p.user_id) {
            Some(i) => i,
            None => {
                users.push(AnalyticsUser {
                    ext_user_id: p.user_id.clone(),
                    name: p.full_name.clone(),
                    moderator: false,
                    joins: Vec::new(),
                    leaves: Vec::new(),
                    engagement: None,
                });
                users.len() - 1
            }
        };
        let u = &mut users[i];
        u.moderator |= p.moderator;
        if p.joined {
            u.joins.push(p.at_ms);
        } else {
            u.leaves.push(p.at_ms);
        }
    }
    users
}

/// bbbevents' time format (`%Y-%m-%dT%H:%M:%S.%L%:z`), in UTC.
fn iso(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S%.3f%:z")
        .to_string()
}

/// ActiveSupport's `underscore`, which the callback script applies to every key.
fn snake(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    let mut prev_lower = false;
    for c in key.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            out.push('_');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(if c == '-' {
            '_'
        } else {
            c.to_ascii_lowercase()
        });
    }
    out
}

fn engagement(given: Option<&Value>) -> Value {
    let mut e = json!({"chats": 0, "talks": 0, "raisehand": 0, "emojis": 0, "poll_votes": 0, "talk_time": 0});
    if let (Some(Value::Object(given)), Some(out)) = (given, e.as_object_mut()) {
        for (k, v) in given {
            out.insert(k.clone(), v.clone());
        }
    }
    e
}

fn attendee_json(u: &AnalyticsUser, finish_ms: i64) -> Value {
    let mut joins = u.joins.clone();
    joins.sort_unstable();
    let mut leaves = u.leaves.clone();
    leaves.sort_unstable();
    // bbbevents closes a stay still open at the end with the meeting's finish.
    while leaves.len() < joins.len() {
        leaves.push(finish_ms);
    }
    let duration_ms: i64 = joins
        .iter()
        .zip(leaves.iter())
        .map(|(j, l)| (l - j).max(0))
        .sum();
    json!({
        "ext_user_id": u.ext_user_id,
        "name": u.name,
        "moderator": u.moderator,
        "joins": joins.iter().map(|t| iso(*t)).collect::<Vec<_>>(),
        "leaves": leaves.iter().map(|t| iso(*t)).collect::<Vec<_>>(),
        "duration": duration_ms / 1000,
        "recent_talking_time": "",
        "engagement": engagement(u.engagement.as_ref()),
    })
}

/// The analytics body, shaped as the callback script sends it.
pub fn analytics_body(
    m: &Meeting,
    users: &[AnalyticsUser],
    start_ms: i64,
    finish_ms: i64,
) -> Value {
    let mut metadata = serde_json::Map::new();
    for (k, v) in &m.params {
        if let Some(k) = k.strip_prefix("meta_") {
            let k = snake(k);
            // The script drops Greenlight's keys and the meeting id from the metadata.
            if !k.starts_with("gl_") && k != "meeting_id" {
                metadata.insert(k, json!(v));
            }
        }
    }
    metadata.insert("meeting_name".into(), json!(m.name));
    metadata.insert("is_breakout".into(), json!("false"));
    json!({
        "version": "1.0",
        "meeting_id": m.id,
        "internal_meeting_id": m.internal_id,
        "data": {
            "metadata": metadata,
            "duration": (finish_ms - start_ms).max(0) / 1000,
            "start": iso(start_ms),
            "finish": iso(finish_ms),
            "attendees": users.iter().map(|u| attendee_json(u, finish_ms)).collect::<Vec<_>>(),
            "files": m.presentation.iter().map(|d| d.filename.clone()).collect::<Vec<_>>(),
            "polls": [],
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_end_callback_appends_recordingmarks_to_any_url() {
        assert_eq!(
            end_callback_url("https://a.test/end", true),
            "https://a.test/end?recordingmarks=true"
        );
        assert_eq!(
            end_callback_url("https://a.test/end?m=1", false),
            "https://a.test/end?m=1&recordingmarks=false"
        );
    }

    #[test]
    fn keys_are_snake_cased_like_active_support_does() {
        assert_eq!(snake("endCallbackUrl"), "end_callback_url");
        assert_eq!(snake("bbb-recording-ready-url"), "bbb_recording_ready_url");
        assert_eq!(snake("gl-listed"), "gl_listed");
    }

    #[test]
    fn times_are_written_as_bbbevents_writes_them() {
        assert_eq!(iso(1_780_000_000_250), "2026-05-28T20:26:40.250+00:00");
    }
}
