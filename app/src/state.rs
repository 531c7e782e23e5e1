//! Server state shared by every request (server only). The server crate builds it at startup;
//! server functions read it with `app_state()`.

use std::{
    path::PathBuf,
    sync::{
        Arc,
        atomic::{AtomicI64, Ordering},
    },
};

use axum::extract::FromRef;
use leptos::prelude::*;
use sea_orm::DatabaseConnection;

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
    pub bbb: Arc<crate::bbb::client::BbbClient>,
    /// Meeting-server origins for the pages' Content-Security-Policy (see `csp`).
    pub meeting_origins: Arc<crate::csp::RegistryOrigins>,
}

/// The server's clock for attendance. Real time, plus an offset that only a server started with
/// `clock_control` (end-to-end tests) may move forward, so a browser test can let minutes pass on
/// both sides of a heartbeat without waiting for them.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
    adjustable: bool,
}

impl Clock {
    pub fn system() -> Self {
        Self::default()
    }

    pub fn adjustable() -> Self {
        Self {
            adjustable: true,
            ..Self::default()
        }
    }

    pub fn is_adjustable(&self) -> bool {
        self.adjustable
    }

    pub fn now_ms(&self) -> i64 {
        let real = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        real + self.offset_ms.load(Ordering::Relaxed)
    }

    /// Moves the clock forward (never back); refused on a system clock.
    pub fn advance(&self, ms: i64) -> bool {
        if !self.adjustable || ms < 0 {
            return false;
        }
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
        true
    }
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

/// Real time in Unix milliseconds (rate limits; attendance uses `Clock`, which tests may move).
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
