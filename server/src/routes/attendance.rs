//! Attendance endpoints that are not server functions: the heartbeat (the hottest path, kept to
//! plain axum with a small JSON body), the CSV/XLSX exports, and the test-only clock.

use app::{
    attendance::{
        api::service::activity_for,
        dto::BeatRequest,
        export::{to_csv, to_xlsx},
    },
    auth::ssr::user_from_headers,
    error::AppError,
    request::Caller,
    state::AppState,
};
use axum::{
    Json,
    body::Bytes,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

/// The largest heartbeat body accepted: 400 beats of about 40 bytes, plus the token.
pub const MAX_BEAT_BODY: usize = 32 * 1024;

/// `POST /attendance/beat` with `{"t": token, "b": [{"seq", "at"}...], "close": bool}`. The body
/// is parsed whatever its content type: `sendBeacon` posts it as `text/plain`.
pub async fn beat(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let now = state.clock.now_ms();
    let req: BeatRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(_) => {
            return error(app::attendance::hub::BeatError::Malformed(
                "The heartbeat is not valid JSON of the expected shape.",
            ));
        }
    };
    match state.attendance.beat(&state.db, &headers, req, now).await {
        Ok(reply) => Json(reply).into_response(),
        Err(e) => error(e),
    }
}

fn error(e: app::attendance::hub::BeatError) -> Response {
    use app::attendance::hub::BeatError;
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    // Shed or failed beats come back: say when (a little later for a database outage).
    let retry = match e {
        BeatError::Overloaded => Some("2"),
        BeatError::Unavailable => Some("5"),
        _ => None,
    };
    let mut res = (status, Json(e.body())).into_response();
    if let Some(secs) = retry {
        res.headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from_static(secs));
    }
    res
}

#[derive(Debug, Deserialize)]
pub struct Period {
    pub from: Option<String>,
    pub to: Option<String>,
}

pub async fn export_csv(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    Query(p): Query<Period>,
    headers: HeaderMap,
) -> Response {
    export(state, id, p, headers, Format::Csv).await
}

pub async fn export_xlsx(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    Query(p): Query<Period>,
    headers: HeaderMap,
) -> Response {
    export(state, id, p, headers, Format::Xlsx).await
}

enum Format {
    Csv,
    Xlsx,
}

async fn export(state: AppState, id: i32, p: Period, headers: HeaderMap, f: Format) -> Response {
    match build(state, id, p, headers, &f).await {
        Ok(bytes) => {
            let (mime, ext) = match f {
                Format::Csv => ("text/csv; charset=utf-8", "csv"),
                Format::Xlsx => (
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "xlsx",
                ),
            };
            (
                [
                    (header::CONTENT_TYPE, mime.to_owned()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"attendance-{id}.{ext}\""),
                    ),
                ],
                bytes,
            )
                .into_response()
        }
        Err(e) => (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            Json(e),
        )
            .into_response(),
    }
}

async fn build(
    state: AppState,
    id: i32,
    p: Period,
    headers: HeaderMap,
    f: &Format,
) -> Result<Vec<u8>, AppError> {
    let user = user_from_headers(&state.db, &headers)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let caller = Caller {
        state,
        headers,
        user,
    };
    let report = activity_for(&caller, id, p.from, p.to).await?;
    if report.own_only {
        // Exports are the teacher's view of everyone.
        return Err(AppError::Forbidden);
    }
    match f {
        Format::Csv => to_csv(&report).map_err(AppError::internal),
        Format::Xlsx => to_xlsx(&report).map_err(AppError::internal),
    }
}

#[derive(Debug, Deserialize)]
pub struct Advance {
    pub ms: i64,
}

/// `POST /__test/clock {"ms": N}`: moves the attendance clock forward. Mounted only when the
/// server was started with `clock_control = true` (the browser tests); never in production.
pub async fn advance_clock(State(state): State<AppState>, Json(a): Json<Advance>) -> Response {
    if state.clock.advance(a.ms) {
        Json(serde_json::json!({ "now_ms": state.clock.now_ms() })).into_response()
    } else {
        StatusCode::BAD_REQUEST.into_response()
    }
}
