//! Avatar pictures: upload (multipart, checked by content, not by name) and public serving under
//! unguessable names, because Jitsi fetches avatars from every participant's browser without cookies.

use app::{auth::ssr::user_from_headers, entities::user, state::AppState};
use axum::{
    extract::{Multipart, Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};

pub const MAX_BYTES: usize = 2 * 1024 * 1024;

/// The image type from the file's first bytes, or `None` for anything else.
pub fn sniff(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("png", "image/png"))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("jpg", "image/jpeg"))
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(("gif", "image/gif"))
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(("webp", "image/webp"))
    } else {
        None
    }
}

fn content_type_for(file: &str) -> Option<&'static str> {
    let (stem, ext) = file.split_once('.')?;
    if stem.len() != 32 || !stem.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    match ext {
        "png" => Some("image/png"),
        "jpg" => Some("image/jpeg"),
        "gif" => Some("image/gif"),
        "webp" => Some("image/webp"),
        _ => None,
    }
}

/// `POST /profile/avatar` (multipart field `avatar`); redirects back to the profile page.
pub async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let user = match user_from_headers(&state.db, &headers).await {
        Ok(Some(u)) => u,
        Ok(None) => return Redirect::to("/login").into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let mut data = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("avatar") {
            match field.bytes().await {
                Ok(b) => data = Some(b),
                Err(_) => return Redirect::to("/profile?avatar=too-large").into_response(),
            }
        }
    }
    let Some(bytes) = data.filter(|b| !b.is_empty()) else {
        return Redirect::to("/profile?avatar=missing").into_response();
    };
    if bytes.len() > MAX_BYTES {
        return Redirect::to("/profile?avatar=too-large").into_response();
    }
    let Some((ext, _)) = sniff(&bytes) else {
        return Redirect::to("/profile?avatar=invalid").into_response();
    };
    match store(&state, user, &bytes, ext).await {
        Ok(()) => Redirect::to("/profile").into_response(),
        Err(e) => {
            tracing::error!("storing avatar: {e:#}");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn store(state: &AppState, user: user::Model, bytes: &[u8], ext: &str) -> anyhow::Result<()> {
    let dir = state.settings.data_dir.join("avatars");
    tokio::fs::create_dir_all(&dir).await?;
    let file = format!("{}.{ext}", uuid::Uuid::new_v4().simple());
    tokio::fs::write(dir.join(&file), bytes).await?;
    let old = user.avatar.clone();
    let mut am = user.into_active_model();
    am.avatar = Set(Some(format!("upload:{file}")));
    am.update(&state.db).await?;
    if let Some(old) = old.as_deref().and_then(|o| o.strip_prefix("upload:"))
        && content_type_for(old).is_some()
    {
        let _ = tokio::fs::remove_file(dir.join(old)).await;
    }
    Ok(())
}

/// `GET /avatars/{file}`.
pub async fn serve(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(ct) = content_type_for(&file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match tokio::fs::read(state.settings.data_dir.join("avatars").join(&file)).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, ct),
                (header::CACHE_CONTROL, "public, max-age=86400, immutable"),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_recognised_by_content_and_other_files_are_not() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...").map(|s| s.0), Some("png"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 ").map(|s| s.0), Some("webp"));
        assert_eq!(sniff(b"<svg onload=alert(1)>"), None);
    }

    #[test]
    fn only_generated_file_names_are_served() {
        assert_eq!(
            content_type_for("0123456789abcdef0123456789abcdef.png"),
            Some("image/png")
        );
        assert_eq!(content_type_for("../../master.key"), None);
        assert_eq!(
            content_type_for("0123456789abcdef0123456789abcdef.svg"),
            None
        );
    }
}
