use app::{
    auth::ssr::user_from_headers,
    capabilities::{
        Capability, resolve,
        ssr::{overrides, require_course_cap},
    },
    courses::{calendar, ssr::activities_of},
    error::AppError,
    state::AppState,
};
use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};

/// `GET /courses/{id}/calendar.ics`: the sessions the caller may see, as an RFC 5545 file.
pub async fn course_calendar(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    headers: HeaderMap,
) -> Response {
    match build(&state, id, &headers).await {
        Ok(ics) => (
            [
                (
                    header::CONTENT_TYPE,
                    "text/calendar; charset=utf-8".to_owned(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"course-{id}.ics\""),
                ),
            ],
            ics,
        )
            .into_response(),
        Err(e) => (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            e.to_string(),
        )
            .into_response(),
    }
}

async fn build(state: &AppState, course_id: i32, headers: &HeaderMap) -> Result<String, AppError> {
    let user = user_from_headers(&state.db, headers)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let (course, actor) = require_course_cap(&state.db, &user, course_id, Capability::View).await?;
    let mut visible = Vec::new();
    for a in activities_of(&state.db, course_id).await? {
        if resolve(actor, Capability::View, &overrides(&state.db, a.id).await?) {
            visible.push(a);
        }
    }
    Ok(calendar::course_calendar(
        &course,
        &visible,
        &state.settings.public_url,
    ))
}
