//! Middleware on every route.
//!
//! - Cross-site request forgery guard for every state-changing request, without tokens: browsers
//!   label each request with `Sec-Fetch-Site` (and `Origin`), and only same-origin ones may change
//!   anything. Requests without either header come from non-browser clients, which carry no
//!   ambient cookies to abuse. This is the scheme of Go 1.25's CrossOriginProtection.
//! - The Content-Security-Policy of every HTML response, with a fresh nonce (`app::csp`).
//! - Server functions' bodies: at most 2 MB (413), and an error answer whose status says what
//!   went wrong (server_fn answers 500 when the arguments do not decode, before Aula's code runs).

use std::sync::{
    Arc,
    atomic::{AtomicBool, Ordering},
};

use app::{
    csp::{CspNonce, PageSources, new_nonce, origin_of, policy},
    error::AppError,
    state::AppState,
};
use axum::{
    Json,
    body::Body,
    extract::{Request, State},
    http::{HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use http_body_util::{BodyExt, LengthLimitError, Limited};

/// Gives the request an empty memo for its signed-in user (`app::request::UserMemo`), so the
/// session is read once however many parts of a page ask who is calling.
pub async fn user_memo(mut req: Request, next: Next) -> Response {
    req.extensions_mut()
        .insert(app::request::UserMemo::default());
    next.run(req).await
}

/// The largest body a server function takes.
pub const SERVER_FN_BODY_LIMIT: usize = 2 * 1024 * 1024;

fn refuse(e: AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
    (status, Json(e)).into_response()
}

/// Bounds server functions' bodies and gives their error answers the error's own status.
pub async fn server_fn_guard(req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > SERVER_FN_BODY_LIMIT as u64) {
        return refuse(AppError::TooLarge);
    }
    // A body sent without a length (chunked) is cut off at the limit as it streams in.
    let tripped = Arc::new(AtomicBool::new(false));
    let flag = tripped.clone();
    let req = req.map(move |body| {
        Body::new(Limited::new(body, SERVER_FN_BODY_LIMIT).map_err(move |e| {
            if e.is::<LengthLimitError>() {
                flag.store(true, Ordering::Relaxed);
            }
            e
        }))
    });
    let res = next.run(req).await;
    if tripped.load(Ordering::Relaxed) {
        return refuse(AppError::TooLarge);
    }
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (parts, Body::empty()).into_response();
    };
    match serde_json::from_slice::<AppError>(&bytes) {
        Ok(e) if !matches!(e, AppError::Internal(_)) => refuse(e),
        _ => (parts, Body::from(bytes)).into_response(),
    }
}

/// Gives the request a nonce and a holder for the meeting servers its page embeds, then writes
/// the policy on the HTML it answers with.
pub async fn content_security_policy(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    // Pages are GETs; heartbeats, server functions and static files need no policy.
    let page = req.method() == Method::GET && !req.uri().path().starts_with("/pkg/");
    if !page {
        return next.run(req).await;
    }
    let nonce = new_nonce();
    let sources = PageSources::default();
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    req.extensions_mut().insert(sources.clone());
    let mut res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !html {
        return res;
    }
    let mut meetings = sources.take();
    if meetings.is_empty() {
        meetings = state.meeting_origins.get(&state.db).await;
    }
    let embed = origin_of(&state.google.config.embed_url).unwrap_or_default();
    let dev_reload = std::env::var_os("LEPTOS_WATCH").is_some();
    if let Ok(v) = HeaderValue::from_str(&policy(&nonce, &meetings, &embed, dev_reload)) {
        res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, v);
    }
    res
}

pub async fn csrf_guard(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    if cross_origin(&req) {
        tracing::warn!(path = %req.uri().path(), "refused a cross-origin state-changing request");
        return (StatusCode::FORBIDDEN, "cross-origin request refused").into_response();
    }
    next.run(req).await
}

fn cross_origin(req: &Request) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let origin_host = origin.split_once("://").map_or("", |(_, h)| h);
    origin == "null" || origin_host != host
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(headers: &[(&str, &str)]) -> Request {
        let mut b = Request::builder().method("POST").uri("/api/x");
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(axum::body::Body::empty()).unwrap()
    }

    #[test]
    fn same_origin_browser_requests_pass() {
        assert!(!cross_origin(&req(&[("sec-fetch-site", "same-origin")])));
        assert!(!cross_origin(&req(&[
            ("origin", "http://aula.test"),
            ("host", "aula.test")
        ])));
    }

    #[test]
    fn cross_site_and_same_site_requests_are_refused() {
        assert!(cross_origin(&req(&[("sec-fetch-site", "cross-site")])));
        assert!(cross_origin(&req(&[("sec-fetch-site", "same-site")])));
        assert!(cross_origin(&req(&[
            ("origin", "https://evil.test"),
            ("host", "aula.test")
        ])));
        assert!(cross_origin(&req(&[
            ("origin", "null"),
            ("host", "aula.test")
        ])));
    }

    #[test]
    fn requests_without_browser_headers_pass() {
        assert!(!cross_origin(&req(&[])));
    }
}
