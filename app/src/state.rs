//! Server state shared by every request (server only). The server crate builds it at startup;
//! server functions read it with `app_state()`.

use std::{path::PathBuf, sync::Arc};

use axum::extract::FromRef;
use leptos::prelude::*;
use sea_orm::DatabaseConnection;

pub use crate::clock::Clock;
use crate::{attendance::hub::AttendanceHub, crypto::SecretBox, error::AppError};

/// Settings the request handlers need, already validated by the server's config loader.
#[derive(Debug, Clone)]
pub struct SiteSettings {
    /// How browsers reach Aula, e.g. `https://aula.example.edu`; used for absolute avatar URLs.
    pub public_url: String,
    pub data_dir: PathBuf,
    /// Set the `Secure` flag on cookies (true when `public_url` is https).
    pub secure_cookies: bool,
    pub session_days: i64,
    /// Put the user's e-mail in meeting tokens (`context.user.email`).
    pub jwt_include_email: bool,
    /// The SMTP relay for invitations; `None` when not configured.
    pub smtp: Option<crate::mail::SmtpSettings>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (see `client_ip`).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Failed logins allowed per account before each further one waits longer.
    pub login_free_failures: u32,
    /// Failed logins older than this are forgotten (ms).
    pub login_window_ms: i64,
}

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    pub settings: Arc<SiteSettings>,
    pub secrets: Arc<SecretBox>,
    pub clock: Clock,
    pub attendance: Arc<AttendanceHub>,
    /// Google's endpoints and one HTTP client for them (YouTube streaming accounts).
    pub google: Arc<crate::recording::google::Google>,
    /// The BigBlueButton API client (one HTTP client, shared).
    pub bbb: Arc<bbb::client::BbbClient>,
    /// Meeting-server origins for the pages' Content-Security-Policy (see `csp`).
    pub meeting_origins: Arc<crate::csp::RegistryOrigins>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The state, inside a server function or SSR render.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| AppError::internal("BUG: AppState not provided"))
}
