//! Slides for a meeting: `POST /meetings/{id}/slides`, a multipart form with one file (field
//! `slides`), from the meeting's edit page. Owners, co-owners and admins only; the type is read
//! from the content (`meetings::ssr::slides::sniff`), never from the name. Answers like a form
//! post: a redirect back to the edit page saying how it went.

use app::{
    auth::ssr::user_from_headers,
    error::AppError,
    meetings::ssr::{
        require_owner,
        slides::{self, Refused},
    },
    state::AppState,
};
use axum::{
    extract::{Multipart, Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};

/// The file limit plus room for the multipart framing.
pub const MAX_BODY: usize = slides::MAX_BYTES + 64 * 1024;

fn back(id: i32, outcome: &str) -> Response {
    Redirect::to(&format!("/meetings/{id}/edit?slides={outcome}")).into_response()
}

pub async fn upload(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let user = match user_from_headers(&state.db, &headers).await {
        Ok(Some(u)) => u,
        Ok(None) => {
            return Redirect::to(&format!("/login?next=/meetings/{id}/edit")).into_response();
        }
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let meeting = match require_owner(&state.db, &user, id).await {
        Ok((m, _)) => m,
        Err(e) => return status_of(&e).into_response(),
    };
    let mut file = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("slides") => {
                let name = field.file_name().unwrap_or_default().to_owned();
                match field.bytes().await {
                    Ok(b) => file = Some((name, b)),
                    // Cut off at the body limit.
                    Err(_) => return back(id, "too-large"),
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => return back(id, "too-large"),
        }
    }
    let Some((name, bytes)) = file else {
        return back(id, "missing");
    };
    match slides::store(&state.db, &state.settings.data_dir, meeting, &name, &bytes).await {
        Ok(Ok(_)) => back(id, "saved"),
        Ok(Err(Refused::Missing)) => back(id, "missing"),
        Ok(Err(Refused::TooLarge)) => back(id, "too-large"),
        Ok(Err(Refused::Unsupported)) => back(id, "invalid"),
        Err(e) => status_of(&e).into_response(),
    }
}

fn status_of(e: &AppError) -> StatusCode {
    StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}
