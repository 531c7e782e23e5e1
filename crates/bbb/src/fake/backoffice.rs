//! The back office under `/__mock/` (JSON in, JSON out), modelled on the moodlehq mock's:
//!
//! | route | does |
//! |---|---|
//! | `GET /__mock/calls` | every API call seen: `[{call, method, params, checksum_ok}]` |
//! | `POST /__mock/fail` `n` | the next `n` API calls answer 503 |
//! | `GET /__mock/meetings` | every meeting, ended ones too (`Meeting` as JSON) |
//! | `POST /__mock/meetings/{id}/join-user` `{user_id, full_name, role?, at_ms?}` | someone joins (204) |
//! | `POST /__mock/meetings/{id}/leave-user` `{user_id, at_ms?}` | one of their entries leaves (204) |
//! | `POST /__mock/meetings/{id}/end` `{recordingmarks?}` | ends it; GETs the end callback → `{status}` |
//! | `GET`/`POST /__mock/recordings` `Recording` | lists / seeds a recording (201, the stored recording) |
//! | `POST /__mock/recordings/{id}/notify-ready` `{secret?, algorithm?}` | the recording-ready POST → `{status}` |
//! | `POST /__mock/meetings/{id}/send-analytics` `{attendees?, start?, finish?, secret?}` | the analytics POST → `{status}` |
//!
//! `{status}` is the HTTP status Aula's callback answered (`null` when the meeting set no such
//! URL, for `end` only); 404 means no such meeting or recording, 409 no callback URL to call, 502
//! the callback could not be reached. Bodies are optional where every field is.

use axum::{
    Json, Router,
    body::Bytes,
    extract::{Path, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use jsonwebtoken::Algorithm;
use serde::{Deserialize, de::DeserializeOwned};
use serde_json::json;

use super::{Attendee, Call, Meeting, MockBbb, Recording, callbacks, now_ms};
use crate::checksum::ChecksumAlgo;

pub fn routes() -> Router<MockBbb> {
    Router::new()
        .route("/__mock/calls", get(calls))
        .route("/__mock/fail", post(fail_next))
        .route("/__mock/meetings", get(meetings))
        .route("/__mock/meetings/{id}/join-user", post(join_user))
        .route("/__mock/meetings/{id}/leave-user", post(leave_user))
        .route("/__mock/meetings/{id}/end", post(end))
        .route("/__mock/meetings/{id}/send-analytics", post(send_analytics))
        .route("/__mock/recordings", get(recordings).post(add_recording))
        .route("/__mock/recordings/{id}/notify-ready", post(notify_ready))
}

fn problem(status: StatusCode, error: &str) -> Response {
    (status, Json(json!({ "error": error }))).into_response()
}

/// An optional JSON body: empty or `null` means every field's default. `Err` says why not.
fn body<T: DeserializeOwned + Default>(bytes: &[u8]) -> Result<T, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice::<Option<T>>(bytes)
        .map(Option::unwrap_or_default)
        .map_err(|e| e.to_string())
}

async fn calls(State(m): State<MockBbb>) -> Json<Vec<Call>> {
    Json(m.lock().calls.clone())
}

async fn fail_next(State(m): State<MockBbb>, Json(n): Json<u32>) -> StatusCode {
    m.lock().fail_next = n;
    StatusCode::NO_CONTENT
}

async fn meetings(State(m): State<MockBbb>) -> Json<Vec<Meeting>> {
    Json(m.lock().meetings.values().cloned().collect())
}

#[derive(Deserialize)]
struct JoinUser {
    user_id: String,
    full_name: String,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    at_ms: Option<i64>,
}

async fn join_user(
    State(m): State<MockBbb>,
    Path(id): Path<String>,
    Json(j): Json<JoinUser>,
) -> Response {
    let role = match j.role.as_deref().map(str::to_ascii_uppercase).as_deref() {
        None | Some("VIEWER") => "VIEWER",
        Some("MODERATOR") => "MODERATOR",
        Some(_) => {
            return problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "role: MODERATOR or VIEWER",
            );
        }
    };
    let mut st = m.lock();
    let Some(meeting) = st.meetings.get_mut(&id).filter(|m| !m.ended) else {
        return problem(StatusCode::NOT_FOUND, "no such running meeting");
    };
    meeting.join(
        Attendee {
            user_id: j.user_id,
            full_name: j.full_name,
            role: role.into(),
        },
        j.at_ms.unwrap_or_else(now_ms),
    );
    StatusCode::NO_CONTENT.into_response()
}

#[derive(Deserialize)]
struct LeaveUser {
    user_id: String,
    #[serde(default)]
    at_ms: Option<i64>,
}

async fn leave_user(
    State(m): State<MockBbb>,
    Path(id): Path<String>,
    Json(l): Json<LeaveUser>,
) -> Response {
    let mut st = m.lock();
    let left = st
        .meetings
        .get_mut(&id)
        .is_some_and(|meeting| meeting.leave(&l.user_id, l.at_ms.unwrap_or_else(now_ms)));
    if left {
        StatusCode::NO_CONTENT.into_response()
    } else {
        problem(StatusCode::NOT_FOUND, "no such attendee in that meeting")
    }
}

/// The HTTP status the callback answered, or 502 if it could not be reached.
fn status_of(sent: Result<reqwest::Response, reqwest::Error>) -> Response {
    match sent {
        Ok(r) => Json(json!({ "status": r.status().as_u16() })).into_response(),
        Err(_) => problem(
            StatusCode::BAD_GATEWAY,
            "the callback URL could not be reached",
        ),
    }
}

#[derive(Default, Deserialize)]
struct End {
    /// Whether someone pressed Start/Stop recording; by default, whether `record=true`.
    #[serde(default)]
    recordingmarks: Option<bool>,
}

async fn end(State(m): State<MockBbb>, Path(id): Path<String>, bytes: Bytes) -> Response {
    let e: End = match body(&bytes) {
        Ok(e) => e,
        Err(why) => return problem(StatusCode::UNPROCESSABLE_ENTITY, &why),
    };
    let url = {
        let mut st = m.lock();
        let Some(meeting) = st.meetings.get_mut(&id).filter(|m| !m.ended) else {
            return problem(StatusCode::NOT_FOUND, "no such running meeting");
        };
        meeting.end(now_ms());
        let marks = e
            .recordingmarks
            .unwrap_or(meeting.params.get("record").is_some_and(|r| r == "true"));
        meeting
            .meta("endCallbackUrl")
            .map(|url| callbacks::end_callback_url(url, marks))
    };
    match url {
        Some(url) => status_of(m.http.get(url).send().await),
        None => Json(json!({ "status": null })).into_response(),
    }
}

async fn recordings(State(m): State<MockBbb>) -> Json<Vec<Recording>> {
    Json(m.lock().recordings.clone())
}

async fn add_recording(State(m): State<MockBbb>, Json(mut r): Json<Recording>) -> Response {
    let mut st = m.lock();
    if let Some(meeting) = st.meetings.get(&r.meeting_id) {
        if r.record_id.is_empty() {
            r.record_id = meeting.internal_id.clone();
        }
        if r.name.is_empty() {
            r.name = meeting.name.clone();
        }
        // A recording keeps its meeting's metadata, as BBB's does.
        for (k, v) in &meeting.params {
            if let Some(k) = k.strip_prefix("meta_") {
                r.meta.entry(k.to_owned()).or_insert_with(|| v.clone());
            }
        }
    }
    if r.record_id.is_empty() {
        return problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "record_id is needed for a meeting the mock does not know",
        );
    }
    st.recordings.push(r.clone());
    (StatusCode::CREATED, Json(r)).into_response()
}

#[derive(Default, Deserialize)]
struct Signing {
    /// Sign with another secret (to see Aula refuse it).
    #[serde(default)]
    secret: Option<String>,
    /// `HS256` or `HS512`; by default HS256, or HS512 when the mock allows only SHA-512.
    #[serde(default)]
    algorithm: Option<String>,
}

async fn notify_ready(State(m): State<MockBbb>, Path(id): Path<String>, bytes: Bytes) -> Response {
    let s: Signing = match body(&bytes) {
        Ok(s) => s,
        Err(why) => return problem(StatusCode::UNPROCESSABLE_ENTITY, &why),
    };
    let alg = match s.algorithm.as_deref() {
        None if m.allowed == [ChecksumAlgo::Sha512] => Algorithm::HS512,
        None | Some("HS256") => Algorithm::HS256,
        Some("HS512") => Algorithm::HS512,
        Some(_) => {
            return problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "algorithm: HS256 or HS512",
            );
        }
    };
    let target = {
        let st = m.lock();
        let Some(r) = st.recordings.iter().find(|r| r.record_id == id) else {
            return problem(StatusCode::NOT_FOUND, "no such recording");
        };
        let meeting = st.meetings.get(&r.meeting_id);
        // BBB's key first, then Moodle's (Scalelite honours both), on the meeting or the recording.
        ["bbb-recording-ready-url", "bn-recording-ready-url"]
            .iter()
            .find_map(|k| {
                meeting
                    .and_then(|mt| mt.meta(k))
                    .or_else(|| r.meta.get(*k).map(String::as_str).filter(|v| !v.is_empty()))
            })
            .map(|url| (url.to_owned(), r.meeting_id.clone()))
    };
    let Some((url, meeting_id)) = target else {
        return problem(
            StatusCode::CONFLICT,
            "the meeting set no meta_bbb-recording-ready-url",
        );
    };
    let secret = s.secret.unwrap_or_else(|| m.secret.clone());
    let Ok(token) = callbacks::recording_ready_token(&meeting_id, &id, &secret, alg) else {
        return problem(StatusCode::INTERNAL_SERVER_ERROR, "could not sign");
    };
    status_of(
        m.http
            .post(url)
            .form(&[("signed_parameters", token)])
            .send()
            .await,
    )
}

#[derive(Default, Deserialize)]
struct SendAnalytics {
    /// Who was there; by default the meeting's own joins and leaves.
    #[serde(default)]
    attendees: Option<Vec<callbacks::AnalyticsUser>>,
    /// Unix ms; by default the meeting's create time.
    #[serde(default)]
    start: Option<i64>,
    /// Unix ms; by default when it ended (or now).
    #[serde(default)]
    finish: Option<i64>,
    #[serde(default)]
    secret: Option<String>,
}

async fn send_analytics(
    State(m): State<MockBbb>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Response {
    let a: SendAnalytics = match body(&bytes) {
        Ok(a) => a,
        Err(why) => return problem(StatusCode::UNPROCESSABLE_ENTITY, &why),
    };
    let (url, payload) = {
        let st = m.lock();
        let Some(meeting) = st.meetings.get(&id) else {
            return problem(StatusCode::NOT_FOUND, "no such meeting");
        };
        let Some(url) = meeting.meta("analytics-callback-url") else {
            return problem(
                StatusCode::CONFLICT,
                "the meeting set no meta_analytics-callback-url",
            );
        };
        let users = a
            .attendees
            .unwrap_or_else(|| callbacks::users_from_presence(meeting));
        let start = a.start.unwrap_or(meeting.create_time);
        let finish = a.finish.or(meeting.ended_at).unwrap_or_else(now_ms);
        (
            url.to_owned(),
            callbacks::analytics_body(meeting, &users, start, finish),
        )
    };
    let secret = a.secret.unwrap_or_else(|| m.secret.clone());
    let Ok(bearer) = callbacks::analytics_bearer(&secret, now_ms() / 1000) else {
        return problem(StatusCode::INTERNAL_SERVER_ERROR, "could not sign");
    };
    status_of(
        m.http
            .post(url)
            .header(header::AUTHORIZATION, format!("Bearer {bearer}"))
            .header(header::USER_AGENT, "BigBlueButton Analytics Callback")
            .json(&payload)
            .send()
            .await,
    )
}
