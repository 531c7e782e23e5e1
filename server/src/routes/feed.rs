//! `GET /calendar/feed/{token}` (also `{token}.ics`): a user's calendar feed for calendar apps,
//! which subscribe without a session, so the secret token in the path is the only credential.
//!
//! Rate limits use the guest limiter (60 per minute per key): requests with unknown tokens count
//! against the caller's IP (guessing is the threat), and requests with a valid token against that
//! feed. Calendar services fetch many people's feeds from few addresses, so counting successes per
//! IP would cut a whole school off; counting them per feed still stops anyone hammering one.

use app::{
    profile::{feed::ssr::owner_of, feed::ssr::well_formed, feed_calendar::user_calendar},
    state::{AppState, now},
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
    let ip = request
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string());
    let miss_key = format!("feed-miss:{ip}");
    let feed_key = format!("feed:{}", &app::profile::feed::ssr::hash(token)[..16]);
    let limiter = &state.guest_limiter;
    let t = now();
    if limiter.blocked(&[&miss_key, &feed_key], t) {
        return (StatusCode::TOO_MANY_REQUESTS, "Too many requests").into_response();
    }
    let owner = if well_formed(token) {
        owner_of(&state.db, token).await
    } else {
        Ok(None)
    };
    let user = match owner {
        Ok(Some(u)) => u,
        Ok(None) => {
            limiter.fail(&[&miss_key], t);
            return not_found();
        }
        Err(e) => return status_of(&e),
    };
    limiter.fail(&[&feed_key], t);
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

fn status_of(e: &app::error::AppError) -> Response {
    StatusCode::from_u16(e.status())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
        .into_response()
}
