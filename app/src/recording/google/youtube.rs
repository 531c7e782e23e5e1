//! The YouTube Data API v3 calls Aula makes, built as plain request values (so the exact method,
//! path, query and body are unit-tested) and sent with a bearer token.

use reqwest::Method;
use serde_json::{Value, json};

use super::Google;

/// One API request, before the token is attached. Cloneable so a 401 can be retried once after a
/// refresh.
#[derive(Debug, Clone, PartialEq)]
pub struct YtRequest {
    pub method: Method,
    pub path: &'static str,
    pub query: Vec<(&'static str, String)>,
    pub body: Option<Value>,
}

/// Why a call failed, in the categories a teacher or admin can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum YtError {
    /// 401: the access token is not (or no longer) valid.
    #[error("unauthorized")]
    Unauthorized,
    /// 403 quotaExceeded / rateLimitExceeded / userRateLimitExceeded.
    #[error("quota exhausted")]
    Quota,
    /// 403 liveStreamingNotEnabled and similar: the channel cannot broadcast.
    #[error("channel cannot stream: {0}")]
    NotAllowed(String),
    #[error("not found")]
    NotFound,
    /// Another 4xx, with Google's reason code.
    #[error("refused ({0}): {1}")]
    Refused(u16, String),
    /// 5xx.
    #[error("unavailable ({0})")]
    Unavailable(u16),
    #[error("timed out")]
    Timeout,
    #[error("network: {0}")]
    Network(String),
}

/// How the broadcast is created, from the site settings.
#[derive(Debug, Clone)]
pub struct BroadcastOptions {
    pub title: String,
    /// RFC 3339, UTC.
    pub scheduled_start: String,
    /// `normal`, `low` or `ultraLow` (the documented spelling).
    pub latency: String,
    pub made_for_kids: bool,
}

pub fn insert_broadcast(o: &BroadcastOptions) -> YtRequest {
    YtRequest {
        method: Method::POST,
        path: "/liveBroadcasts",
        query: vec![("part", "snippet,status,contentDetails".into())],
        body: Some(json!({
            "snippet": {"title": o.title, "scheduledStartTime": o.scheduled_start},
            "status": {"privacyStatus": "unlisted", "selfDeclaredMadeForKids": o.made_for_kids},
            "contentDetails": {
                "enableAutoStart": true,
                "enableAutoStop": true,
                "latencyPreference": o.latency,
            },
        })),
    }
}

pub fn insert_stream(title: &str) -> YtRequest {
    YtRequest {
        method: Method::POST,
        path: "/liveStreams",
        query: vec![("part", "snippet,cdn".into())],
        body: Some(json!({
            "snippet": {"title": title},
            "cdn": {"ingestionType": "rtmp", "resolution": "variable", "frameRate": "variable"},
        })),
    }
}

pub fn bind(broadcast_id: &str, stream_id: &str) -> YtRequest {
    YtRequest {
        method: Method::POST,
        path: "/liveBroadcasts/bind",
        query: vec![
            ("id", broadcast_id.into()),
            ("part", "id,contentDetails".into()),
            ("streamId", stream_id.into()),
        ],
        body: None,
    }
}

pub fn delete_broadcast(id: &str) -> YtRequest {
    YtRequest {
        method: Method::DELETE,
        path: "/liveBroadcasts",
        query: vec![("id", id.into())],
        body: None,
    }
}

pub fn delete_stream(id: &str) -> YtRequest {
    YtRequest {
        method: Method::DELETE,
        path: "/liveStreams",
        query: vec![("id", id.into())],
        body: None,
    }
}

/// `videos.list` for one part (`status` or `snippet`).
pub fn get_video(id: &str, part: &'static str) -> YtRequest {
    YtRequest {
        method: Method::GET,
        path: "/videos",
        query: vec![("part", part.into()), ("id", id.into())],
        body: None,
    }
}

/// `videos.update` of one whole part. YouTube replaces the part it is sent, so `value` must be
/// the complete part as read, with only the intended fields changed.
pub fn update_video(id: &str, part: &'static str, value: Value) -> YtRequest {
    YtRequest {
        method: Method::PUT,
        path: "/videos",
        query: vec![("part", part.into())],
        body: Some(json!({"id": id, part: value})),
    }
}

pub fn delete_video(id: &str) -> YtRequest {
    YtRequest {
        method: Method::DELETE,
        path: "/videos",
        query: vec![("id", id.into())],
        body: None,
    }
}

/// The part of the only item of a `videos.list` answer; `None` when the video is gone.
pub fn video_part(list: &Value, part: &str) -> Option<Value> {
    list.get("items")?.get(0)?.get(part).cloned()
}

/// Sends the request with the token. `Ok(Value::Null)` for empty (204) answers.
pub async fn execute(google: &Google, token: &str, r: &YtRequest) -> Result<Value, YtError> {
    let url = format!(
        "{}{}",
        google.config.youtube_api_url.trim_end_matches('/'),
        r.path
    );
    let mut req = google
        .http
        .request(r.method.clone(), url)
        .bearer_auth(token)
        .query(&r.query);
    if let Some(b) = &r.body {
        req = req.json(b);
    }
    let resp = req.send().await.map_err(|e| {
        if e.is_timeout() {
            YtError::Timeout
        } else {
            YtError::Network(without_url(&e))
        }
    })?;
    let status = resp.status().as_u16();
    let text = resp.text().await.map_err(|e| {
        if e.is_timeout() {
            YtError::Timeout
        } else {
            YtError::Network(without_url(&e))
        }
    })?;
    if (200..300).contains(&status) {
        return Ok(if text.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).map_err(|_| YtError::Network("bad JSON".into()))?
        });
    }
    Err(classify(status, &text))
}

/// reqwest errors print the URL; ours carry no secrets, but the message stays short anyway.
fn without_url(e: &reqwest::Error) -> String {
    let mut s = e.to_string();
    if let Some(u) = e.url() {
        s = s.replace(u.as_str(), "<url>");
    }
    s
}

/// Maps Google's error answer (`{"error":{"code","message","errors":[{"reason"}]}}`).
pub fn classify(status: u16, body: &str) -> YtError {
    let reason = serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| {
            v.pointer("/error/errors/0/reason")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .unwrap_or_default();
    match (status, reason.as_str()) {
        (401, _) => YtError::Unauthorized,
        (403, "quotaExceeded" | "rateLimitExceeded" | "userRateLimitExceeded") => YtError::Quota,
        (403, "liveStreamingNotEnabled" | "insufficientLivePermissions" | "forbidden") => {
            YtError::NotAllowed(reason)
        }
        (404, _) => YtError::NotFound,
        (s, _) if s >= 500 => YtError::Unavailable(s),
        (s, r) => YtError::Refused(s, r.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broadcast_is_unlisted_auto_started_and_uses_the_documented_latency_spelling() {
        let r = insert_broadcast(&BroadcastOptions {
            title: "Physics".into(),
            scheduled_start: "2026-11-24T10:00:00Z".into(),
            latency: "ultraLow".into(),
            made_for_kids: false,
        });
        assert_eq!(r.method, Method::POST);
        assert_eq!(r.path, "/liveBroadcasts");
        assert_eq!(
            r.query,
            vec![("part", "snippet,status,contentDetails".to_owned())]
        );
        let b = r.body.expect("body");
        assert_eq!(b["status"]["privacyStatus"], "unlisted");
        assert_eq!(b["status"]["selfDeclaredMadeForKids"], false);
        assert_eq!(b["contentDetails"]["enableAutoStart"], true);
        assert_eq!(b["contentDetails"]["enableAutoStop"], true);
        assert_eq!(b["contentDetails"]["latencyPreference"], "ultraLow");
        assert_eq!(b["snippet"]["scheduledStartTime"], "2026-11-24T10:00:00Z");
    }

    #[test]
    fn a_stream_is_rtmp_with_variable_resolution_and_frame_rate() {
        let b = insert_stream("x").body.expect("body");
        assert_eq!(b["cdn"]["ingestionType"], "rtmp");
        assert_eq!(b["cdn"]["resolution"], "variable");
        assert_eq!(b["cdn"]["frameRate"], "variable");
    }

    #[test]
    fn a_video_update_sends_the_whole_part_under_its_name() {
        let status = json!({"privacyStatus": "unlisted", "embeddable": true, "license": "youtube"});
        let r = update_video("v1", "status", status.clone());
        assert_eq!(r.method, Method::PUT);
        assert_eq!(r.query, vec![("part", "status".to_owned())]);
        assert_eq!(r.body, Some(json!({"id": "v1", "status": status})));
    }

    #[test]
    fn google_errors_map_to_what_a_teacher_can_act_on() {
        let quota = r#"{"error":{"code":403,"errors":[{"reason":"quotaExceeded"}]}}"#;
        assert_eq!(classify(403, quota), YtError::Quota);
        assert_eq!(classify(401, "{}"), YtError::Unauthorized);
        assert_eq!(classify(503, "oops"), YtError::Unavailable(503));
        assert_eq!(classify(404, ""), YtError::NotFound);
        let bad = r#"{"error":{"errors":[{"reason":"invalidCategoryId"}]}}"#;
        assert_eq!(
            classify(400, bad),
            YtError::Refused(400, "invalidCategoryId".into())
        );
    }

    #[test]
    fn video_part_reads_the_only_item_or_none_when_the_video_is_gone() {
        let list = json!({"items": [{"id": "v", "status": {"privacyStatus": "private"}}]});
        assert_eq!(
            video_part(&list, "status"),
            Some(json!({"privacyStatus": "private"}))
        );
        assert_eq!(video_part(&json!({"items": []}), "status"), None);
    }
}
