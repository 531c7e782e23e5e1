//! BigBlueButton's callbacks into Aula (from BBB servers, not browsers, so no cookies and no
//! CSRF headers): recording ready, analytics, meeting ended. Thin handlers over
//! `app::rooms::callbacks`; the answer's status is what BBB's scripts act on (2xx done, 401 bad
//! secret, 404 unknown, 410 deleted in Aula). Bodies never reach the logs: they hold tokens and
//! people's names.

use app::{
    rooms::callbacks::{self, Refused},
    state::AppState,
};
use axum::{
    body::Bytes,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

/// The analytics report of a large meeting (hundreds of attendees with their joins) fits well
/// within this; anything bigger is not from BBB.
pub const MAX_ANALYTICS_BODY: usize = 2 * 1024 * 1024;

fn answer(result: Result<(), Refused>) -> Response {
    match result {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            match &e {
                Refused::Internal(_) => tracing::error!("BigBlueButton callback failed: {e}"),
                _ => tracing::warn!("BigBlueButton callback refused: {e}"),
            }
            let status =
                StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, status.canonical_reason().unwrap_or_default()).into_response()
        }
    }
}

/// `POST /bbb/recording-ready`, form field `signed_parameters`.
pub async fn recording_ready(State(state): State<AppState>, body: Bytes) -> Response {
    let signed = form_urlencoded::parse(&body)
        .find(|(k, _)| k == "signed_parameters")
        .map(|(_, v)| v.into_owned());
    let Some(signed) = signed.filter(|s| !s.trim().is_empty()) else {
        return answer(Err(Refused::Malformed("no signed_parameters".into())));
    };
    answer(callbacks::recording_ready(&state, &signed).await)
}

/// `POST /bbb/analytics`: the bbbevents JSON with `Authorization: Bearer <HS512 JWT>`.
pub async fn analytics(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    answer(
        callbacks::analytics(&state, bearer, &body)
            .await
            .map(|_| ()),
    )
}

#[derive(Debug, Deserialize)]
pub struct Ended {
    #[serde(default)]
    sig: String,
    #[serde(default)]
    recordingmarks: Option<String>,
}

/// `GET /bbb/ended/{meeting_id}?sig=…&recordingmarks=true|false` (`meta_endCallbackUrl`).
pub async fn ended(
    State(state): State<AppState>,
    Path(meeting_id): Path<String>,
    Query(q): Query<Ended>,
) -> Response {
    let marks = q
        .recordingmarks
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("true"));
    answer(callbacks::ended(&state, &meeting_id, &q.sig, marks).await)
}
