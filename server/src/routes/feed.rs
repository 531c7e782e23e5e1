//! `GET /calendar/feed/{token}` (also `{token}.ics`): a user's calendar feed for calendar apps,
//! which subscribe without a session, so the secret token in the path is the only credential.
//!
//! Only misses are limited: a token that is malformed, unknown, reset or disabled counts against
//! the caller's IP (guessing is the threat), in the database so the limit holds on every replica,
//! and past the limit a miss answers 429. A valid token is always served: calendar services fetch
//! many people's feeds from few addresses, and a guesser sharing their address must not cut those
//! feeds off.

use app::{
    client_ip::client_ip,
    clock::{now, now_ms},
    profile::{feed::ssr::owner_of, feed::ssr::well_formed, feed_calendar::user_calendar},
    state::AppState,
    throttle::{self, ANONYMOUS},
};
use axum::{
    extract::{ConnectInfo, Path, Request, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};

fn not_found() -> Response {
    // The same answer for malformed, unknown, reset and disabled: nothing to learn from it.
    (StatusCode::NOT_FOUND, "Not found").into_response()
}

pub async fn calendar_feed(
    State(state): State<AppState>,
    Path(token): Path<String>,
    request: Request,
) -> Response {
    let token = token.strip_suffix(".ics").unwrap_or(&token);
    let peer = request
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map_or(std::net::IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
    let ip = client_ip(peer, request.headers(), &state.settings.trusted_proxies);
    let owner = if well_formed(token) {
        owner_of(&state.db, token).await
    } else {
        Ok(None)
    };
    let t = now();
    let user = match owner {
        Ok(Some(u)) => u,
        Ok(None) => return miss(&state, &ip.to_string()).await,
        Err(e) => return status_of(&e),
    };
    match user_calendar(&state.db, &user, &state.settings.public_url, t).await {
        Ok(ics) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                // Personal data behind a secret URL: never kept by shared caches.
                (header::CACHE_CONTROL, "private, max-age=0"),
                (header::HeaderName::from_static("x-robots-tag"), "noindex"),
            ],
            ics,
        )
            .into_response(),
        Err(e) => status_of(&e),
    }
}

/// A miss counts against the caller's IP; past the limit it answers 429 instead of 404.
async fn miss(state: &AppState, ip: &str) -> Response {
    let key = format!("feed-miss:{ip}");
    match throttle::hit(&state.db, &key, ANONYMOUS.window_ms, now_ms()).await {
        Ok(c) if c.hits > ANONYMOUS.limit => {
            (StatusCode::TOO_MANY_REQUESTS, "Too many requests").into_response()
        }
        Ok(_) => not_found(),
        Err(e) => status_of(&app::error::AppError::internal(e)),
    }
}

fn status_of(e: &app::error::AppError) -> Response {
    StatusCode::from_u16(e.status())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
        .into_response()
}
