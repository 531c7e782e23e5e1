//! Server state shared by every request (server only). The server crate builds it at startup;
//! server functions read it with `app_state()`.

use std::{path::PathBuf, sync::Arc};

use axum::extract::FromRef;
use leptos::prelude::*;
use sea_orm::DatabaseConnection;

use crate::{auth::ssr::RateLimiter, crypto::SecretBox, error::AppError};

/// Settings the request handlers need, already validated by the server's config loader.
#[derive(Debug, Clone)]
pub struct SiteSettings {
    /// How browsers reach Aula, e.g. `https://aula.example.edu`; used for absolute avatar URLs.
    pub public_url: String,
    pub data_dir: PathBuf,
    /// Set the `Secure` flag on cookies (true when `public_url` is https).
    pub secure_cookies: bool,
    pub session_days: i64,
}

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    pub settings: Arc<SiteSettings>,
    pub secrets: Arc<SecretBox>,
    pub login_limiter: Arc<RateLimiter>,
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

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
