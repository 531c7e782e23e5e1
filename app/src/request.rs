//! Per-request facts for server functions and SSR (server only): who is calling, in which language
//! and time zone. Server functions start with `require_user()` or `optional_user()`.

use axum::http::{HeaderMap, request::Parts};
use leptos::prelude::*;

use crate::{
    auth::ssr::{LANG_COOKIE, TZ_COOKIE, cookie, user_from_headers},
    entities::user,
    error::AppError,
    i18n::Lang,
    state::{AppState, app_state},
    tz,
};

pub fn request_headers() -> HeaderMap {
    use_context::<Parts>()
        .map(|p| p.headers)
        .unwrap_or_default()
}

/// The language for this request: cookie (mirrors the user's preference), then Accept-Language.
pub fn request_lang(headers: &HeaderMap) -> Lang {
    cookie(headers, LANG_COOKIE)
        .and_then(|c| Lang::parse(&c))
        .or_else(|| {
            headers
                .get(axum::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or_default()
}

/// The viewer's time zone: their profile, else the zone their browser reported, else UTC.
pub fn request_tz(user: Option<&user::Model>, headers: &HeaderMap) -> String {
    user.and_then(|u| u.time_zone.clone())
        .filter(|z| tz::is_valid_zone(z))
        .or_else(|| {
            cookie(headers, TZ_COOKIE)
                .map(|z| z.replace("%2F", "/"))
                .filter(|z| tz::is_valid_zone(z))
        })
        .unwrap_or_else(|| "UTC".to_owned())
}

/// The caller's IP address, as rate limits count it: the connection's peer, or the client a
/// trusted reverse proxy names (see `client_ip`).
pub fn request_ip(state: &AppState) -> std::net::IpAddr {
    let parts = use_context::<Parts>();
    let peer = parts
        .as_ref()
        .and_then(|p| {
            p.extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        })
        .map_or(std::net::IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
    let headers = parts.map(|p| p.headers).unwrap_or_default();
    crate::client_ip::client_ip(peer, &headers, &state.settings.trusted_proxies)
}

pub struct Caller {
    pub state: AppState,
    pub headers: HeaderMap,
    pub user: user::Model,
}

impl Caller {
    pub fn tz(&self) -> String {
        request_tz(Some(&self.user), &self.headers)
    }
}

/// The request's signed-in user, read from the database once per request: the shell's menu and
/// each resource of a page ask for it, and would otherwise each read the session again. The
/// server puts an empty memo into every request (`server::middleware::user_memo`); the request's
/// `Parts` in each Leptos context share it. Without one (a test calling a service), nothing is
/// remembered.
#[derive(Clone, Default)]
pub struct UserMemo(std::sync::Arc<tokio::sync::OnceCell<Option<user::Model>>>);

/// The request's headers and its signed-in user, if any.
async fn current_user(state: &AppState) -> Result<(HeaderMap, Option<user::Model>), AppError> {
    let Some(parts) = use_context::<Parts>() else {
        return Ok((HeaderMap::new(), None));
    };
    let user = match parts.extensions.get::<UserMemo>() {
        Some(memo) => memo
            .0
            .get_or_try_init(|| user_from_headers(&state.db, &parts.headers))
            .await?
            .clone(),
        None => user_from_headers(&state.db, &parts.headers).await?,
    };
    Ok((parts.headers, user))
}

/// The signed-in caller, or 401.
pub async fn require_user() -> Result<Caller, AppError> {
    let state = app_state()?;
    let (headers, user) = current_user(&state).await?;
    match user {
        Some(user) => Ok(Caller {
            state,
            headers,
            user,
        }),
        None => Err(AppError::Unauthenticated),
    }
}

/// The signed-in caller if they are a site admin; 403 otherwise.
pub async fn require_admin() -> Result<Caller, AppError> {
    let c = require_user().await?;
    if c.user.is_admin {
        Ok(c)
    } else {
        Err(AppError::Forbidden)
    }
}

pub async fn optional_user() -> Result<(AppState, HeaderMap, Option<user::Model>), AppError> {
    let state = app_state()?;
    let (headers, user) = current_user(&state).await?;
    Ok((state, headers, user))
}

/// Sets the HTTP status from the error, so that pages and server functions answer 403/404/...
pub fn fail<T>(e: AppError) -> Result<T, AppError> {
    e.set_response_status();
    Err(e)
}

/// Maps a service result to the server-function result, setting the status on errors.
pub trait Respond<T> {
    fn respond(self) -> Result<T, AppError>;
}

impl<T> Respond<T> for Result<T, AppError> {
    fn respond(self) -> Result<T, AppError> {
        self.or_else(fail)
    }
}
