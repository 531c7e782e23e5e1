//! What the registry's server functions do, behind their thin boundaries in `api.rs`. Each
//! function here checks that the caller is a site administrator itself.

use super::model::{ServerDraft, ServerForm};
use crate::{error::AppError, request::require_admin};

/// Creates (`id` absent) or updates a server. Blank secret fields keep the stored secret. Any
/// save, failed or not, makes the pages forget the meeting origins they allow.
pub async fn save(id: Option<i32>, form: ServerForm) -> Result<i32, AppError> {
    let c = require_admin().await?;
    let db = &c.state.db;
    let stored = match id {
        Some(id) => {
            let s = super::ssr::find(db, id).await?;
            (s.secret_enc.is_some(), s.private_key_enc.is_some())
        }
        None => (false, false),
    };
    let v = ServerDraft::from(form).validate(stored)?;
    let saved = super::ssr::save(db, &c.state.secrets, id, v).await;
    c.state.meeting_origins.forget();
    saved
}
