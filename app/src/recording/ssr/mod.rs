//! Record and stream on the server: streaming accounts and their tokens, the recording lifecycle,
//! and the retention job. Thin server functions in `api.rs` call these.

pub mod accounts;
pub mod admin;
pub mod connect;
pub mod library;
pub mod lifecycle;
pub mod retention;

use sea_orm::DatabaseConnection;

use super::{
    google::{Google, oauth::ClientCredentials},
    model::{Latency, PURGE_BATCH_DEFAULT, RETENTION_DAYS_DEFAULT, RecordingSettings},
};
use crate::{
    crypto::SecretBox,
    error::{AppError, ConflictReason},
    mail::SmtpSettings,
    settings,
    state::AppState,
};

/// Everything a recording service needs from the server.
pub struct Ctx<'a> {
    pub db: &'a DatabaseConnection,
    pub secrets: &'a SecretBox,
    pub google: &'a Google,
    pub public_url: &'a str,
    pub smtp: Option<&'a SmtpSettings>,
}

impl<'a> Ctx<'a> {
    pub fn of(s: &'a AppState) -> Self {
        Self {
            db: &s.db,
            secrets: &s.secrets,
            google: &s.google,
            public_url: &s.settings.public_url,
            smtp: s.settings.smtp.as_ref(),
        }
    }

    /// Where Google sends the admin back after consent.
    pub fn redirect_uri(&self) -> String {
        format!(
            "{}/admin/recording/oauth/callback",
            self.public_url.trim_end_matches('/')
        )
    }
}

pub const K_CLIENT_ID: &str = "google.client_id";
pub const K_CLIENT_SECRET: &str = "google.client_secret";
pub const K_LATENCY: &str = "youtube.latency";
pub const K_KIDS: &str = "youtube.made_for_kids";
pub const K_ROUND_ROBIN: &str = "youtube.round_robin";
pub const K_RETENTION: &str = "recording.retention_days";
pub const K_BATCH: &str = "recording.purge_batch";

pub async fn load_settings(ctx: &Ctx<'_>) -> Result<RecordingSettings, AppError> {
    let db = ctx.db;
    let num = |v: Option<String>, d: u32| v.and_then(|s| s.parse().ok()).unwrap_or(d);
    Ok(RecordingSettings {
        client_id: settings::get(db, K_CLIENT_ID).await?.unwrap_or_default(),
        has_secret: settings::get_secret(db, ctx.secrets, K_CLIENT_SECRET)
            .await?
            .is_some(),
        latency: settings::get(db, K_LATENCY)
            .await?
            .and_then(|s| Latency::parse(&s))
            .unwrap_or_default(),
        made_for_kids: settings::get(db, K_KIDS).await?.as_deref() == Some("true"),
        round_robin: settings::get(db, K_ROUND_ROBIN).await?.as_deref() == Some("true"),
        retention_days: num(
            settings::get(db, K_RETENTION).await?,
            RETENTION_DAYS_DEFAULT,
        ),
        purge_batch: num(settings::get(db, K_BATCH).await?, PURGE_BATCH_DEFAULT),
        redirect_uri: ctx.redirect_uri(),
    })
}

/// The OAuth client, or "not configured" when the admin has not entered it yet.
pub async fn credentials(ctx: &Ctx<'_>) -> Result<ClientCredentials, AppError> {
    let id = settings::get(ctx.db, K_CLIENT_ID)
        .await?
        .unwrap_or_default();
    let secret = settings::get_secret(ctx.db, ctx.secrets, K_CLIENT_SECRET).await?;
    match secret {
        Some(client_secret) if !id.is_empty() => Ok(ClientCredentials {
            client_id: id,
            client_secret,
        }),
        _ => Err(AppError::Conflict(ConflictReason::NotConfigured)),
    }
}
