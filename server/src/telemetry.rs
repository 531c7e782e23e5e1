//! Logging and request tracing.
//!
//! - `AULA_LOG` filters like `RUST_LOG` (default `info`); `AULA_LOG_FORMAT=json` writes one JSON
//!   object per line, for log collectors.
//! - Every request gets a fresh id ([`app::request_id`]): the outermost middleware sets it, the
//!   trace layer names the request's span after it, it comes back in `x-request-id`, and it is the
//!   reference id users see on a server error.

use std::time::Duration;

use app::request_id::{self, RequestId};
use axum::{
    Router,
    body::Body,
    extract::Request,
    http::{HeaderName, HeaderValue, Response},
    middleware::{Next, from_fn},
    response::IntoResponse,
};
use tower_http::{classify::ServerErrorsFailureClass, trace::TraceLayer};
use tracing::{Level, Span};
use tracing_subscriber::EnvFilter;

pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

pub fn init() {
    let filter = EnvFilter::try_from_env("AULA_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    let _ = if std::env::var("AULA_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json")) {
        builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .try_init()
    } else {
        builder.try_init()
    };
}

/// Gives the request a fresh id (whatever id the client sent is replaced: ids in our logs are
/// ours), runs the rest of the stack as that request and returns the id in `x-request-id`.
pub async fn request_id(mut req: Request, next: Next) -> impl IntoResponse {
    let id = RequestId::new();
    req.headers_mut().remove(REQUEST_ID_HEADER);
    req.extensions_mut().insert(id.clone());
    let mut res = request_id::scope(id.clone(), next.run(req)).await;
    if let Ok(v) = HeaderValue::from_str(id.as_str()) {
        res.headers_mut().insert(REQUEST_ID_HEADER, v);
    }
    res
}

/// Wraps `router` in tower-http's `TraceLayer` and, outside it, [`request_id`]. The request's span
/// carries its id, method and path; a finished request is logged at debug (heartbeats are
/// thousands a second), a 5xx at error with its latency.
pub fn traced<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    let trace = TraceLayer::new_for_http()
        .make_span_with(|req: &Request| {
            let id = req
                .extensions()
                .get::<RequestId>()
                .map(|i| i.as_str().to_owned())
                .unwrap_or_default();
            tracing::info_span!(
                "request",
                id = %id,
                method = %req.method(),
                path = %req.uri().path(),
            )
        })
        .on_request(())
        .on_response(|res: &Response<Body>, latency: Duration, _: &Span| {
            tracing::event!(
                Level::DEBUG,
                status = res.status().as_u16(),
                latency_us = latency.as_micros() as u64,
                "answered"
            );
        })
        .on_body_chunk(())
        .on_eos(())
        .on_failure(
            |class: ServerErrorsFailureClass, latency: Duration, _: &Span| {
                tracing::error!(
                    failure = %class,
                    latency_us = latency.as_micros() as u64,
                    "request failed"
                );
            },
        );
    router.layer(trace).layer(from_fn(request_id))
}
