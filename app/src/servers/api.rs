//! Server-registry functions, for site administrators only.

use leptos::prelude::*;

use super::model::{ServerForm, ServerRow, ServerTest};
use crate::error::AppError;

#[server(endpoint = "admin/servers")]
pub async fn list_servers() -> Result<Vec<ServerRow>, AppError> {
    use crate::request::{Respond, require_admin};
    async {
        let c = require_admin().await?;
        super::ssr::rows(&c.state.db).await
    }
    .await
    .respond()
}

/// Creates (`id` empty) or updates a server. Blank secret fields keep the stored secret.
#[server(endpoint = "admin/servers/save")]
pub async fn save_server(
    id: Option<i32>,
    #[server(flatten)] form: ServerForm,
) -> Result<i32, AppError> {
    use crate::request::Respond;
    super::service::save(id, form).await.respond()
}

#[server(endpoint = "admin/servers/delete")]
pub async fn delete_server(id: i32) -> Result<(), AppError> {
    use crate::request::{Respond, require_admin};
    async {
        let c = require_admin().await?;
        let deleted = super::ssr::delete(&c.state.db, id).await;
        c.state.meeting_origins.forget();
        deleted
    }
    .await
    .respond()
}

#[server(endpoint = "admin/servers/default")]
pub async fn make_default_server(id: i32) -> Result<(), AppError> {
    use crate::request::{Respond, require_admin};
    async {
        let c = require_admin().await?;
        super::ssr::make_default(&c.state.db, id).await
    }
    .await
    .respond()
}

/// Jitsi: fetches `external_api.js`; BigBlueButton: asks the API its version (5 s timeout).
#[server(endpoint = "admin/servers/test")]
pub async fn test_server(id: i32) -> Result<ServerTest, AppError> {
    use crate::request::{Respond, require_admin};
    async {
        let c = require_admin().await?;
        let s = super::ssr::find(&c.state.db, id).await?;
        Ok(super::ssr::test(&s).await)
    }
    .await
    .respond()
}
