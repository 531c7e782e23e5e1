//! Server-registry functions, for site administrators only.

// The save function takes one argument per form field, as HTML forms post them.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::model::{ServerRow, ServerTest};
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
    name: String,
    base_url: String,
    kind: String,
    app_id: Option<String>,
    secret: Option<String>,
    moderation_rule: Option<String>,
    key_id: Option<String>,
    private_key: Option<String>,
    token_ttl_secs: Option<String>,
    checksum_algo: Option<String>,
) -> Result<i32, AppError> {
    use super::model::ServerDraft;
    use crate::request::{Respond, require_admin};
    async {
        let c = require_admin().await?;
        let db = &c.state.db;
        let stored = match id {
            Some(id) => {
                let s = super::ssr::find(db, id).await?;
                (s.secret_enc.is_some(), s.private_key_enc.is_some())
            }
            None => (false, false),
        };
        let v = ServerDraft {
            name,
            base_url,
            kind,
            app_id: app_id.unwrap_or_default(),
            secret: secret.unwrap_or_default(),
            moderation_rule: moderation_rule.unwrap_or_default(),
            key_id: key_id.unwrap_or_default(),
            private_key: private_key.unwrap_or_default(),
            token_ttl_secs: token_ttl_secs.unwrap_or_default(),
            checksum_algo: checksum_algo.unwrap_or_default(),
        }
        .validate(stored)?;
        let saved = super::ssr::save(db, &c.state.secrets, id, v).await;
        c.state.meeting_origins.forget();
        saved
    }
    .await
    .respond()
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
