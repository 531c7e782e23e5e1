//! Prometheus metrics at `GET /metrics`, through the `metrics` facade and its Prometheus exporter.
//!
//! - `aula_http_requests_total{method,route,status}` and
//!   `aula_http_request_duration_seconds{method,route}`: by route pattern (`/courses/{id}`), and
//!   by name for server functions, so labels stay few whatever paths clients invent;
//! - `aula_heartbeat_batch_size`: heartbeats per attendance transaction (recorded by the hub);
//! - `aula_db_pool_connections` and `aula_db_pool_idle`: read at each scrape;
//! - `aula_job_runs_total{job,outcome}`: background job runs on this replica.
//!
//! The endpoint answers only with `Authorization: Bearer <metrics_token>` (from config); without a
//! configured token it does not exist (404). Each replica reports its own figures.

use std::{sync::OnceLock, time::Instant};

use axum::{
    extract::{MatchedPath, Request},
    http::{HeaderMap, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sea_orm::DatabaseConnection;
use sha2::{Digest, Sha256};

/// Latency buckets (seconds): a heartbeat takes a millisecond or two, a page tens.
const LATENCY_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
const BATCH_BUCKETS: &[f64] = &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0];

/// The process-wide recorder, installed on first use (a process holds one, however many
/// `Application`s it runs, as the integration tests do).
fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full("aula_http_request_duration_seconds".into()),
                LATENCY_BUCKETS,
            )
            .and_then(|b| {
                b.set_buckets_for_metric(
                    Matcher::Full("aula_heartbeat_batch_size".into()),
                    BATCH_BUCKETS,
                )
            });
        let recorder = match builder {
            Ok(b) => b.build_recorder(),
            // Only empty bucket lists fail, and these are constants.
            Err(_) => PrometheusBuilder::new().build_recorder(),
        };
        let handle = recorder.handle();
        // Fails only if another recorder is installed; this one then stays local and empty.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// Installs the recorder at start, so figures from before the first scrape are kept.
pub fn init() {
    handle();
}

/// A label for the request's route: the pattern it matched, the server function's own path
/// (a fixed set), or `unmatched`; never a path a client made up.
fn route_label(req: &Request) -> String {
    let pattern = req
        .extensions()
        .get::<MatchedPath>()
        .map(MatchedPath::as_str);
    match pattern {
        Some(p) if p.starts_with("/api/{") => req.uri().path().to_owned(),
        Some(p) => p.to_owned(),
        None => "unmatched".to_owned(),
    }
}

fn method_label(req: &Request) -> &'static str {
    match req.method().as_str() {
        "GET" => "GET",
        "POST" => "POST",
        "HEAD" => "HEAD",
        "PUT" => "PUT",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    }
}

/// Counts and times every request by route.
pub async fn track(req: Request, next: Next) -> Response {
    let (method, mut route) = (method_label(&req), route_label(&req));
    let start = Instant::now();
    let res = next.run(req).await;
    if res.status() == StatusCode::NOT_FOUND && route.starts_with("/api/") {
        route = "/api/unknown".to_owned();
    }
    let status = res.status().as_u16().to_string();
    metrics::counter!("aula_http_requests_total", "method" => method, "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("aula_http_request_duration_seconds", "method" => method, "route" => route)
        .record(start.elapsed().as_secs_f64());
    res
}

/// Counts one run of a background job.
pub fn job_run(job: &'static str, outcome: &'static str) {
    metrics::counter!("aula_job_runs_total", "job" => job, "outcome" => outcome).increment(1);
}

fn pool_gauges(db: &DatabaseConnection) {
    let (size, idle) = match db.get_database_backend() {
        sea_orm::DbBackend::Sqlite => {
            let p = db.get_sqlite_connection_pool();
            (p.size(), p.num_idle())
        }
        sea_orm::DbBackend::Postgres => {
            let p = db.get_postgres_connection_pool();
            (p.size(), p.num_idle())
        }
        _ => {
            let p = db.get_mysql_connection_pool();
            (p.size(), p.num_idle())
        }
    };
    metrics::gauge!("aula_db_pool_connections").set(f64::from(size));
    metrics::gauge!("aula_db_pool_idle").set(idle as f64);
}

/// Whether the request carries the configured token. Digests are compared, so the time taken
/// says nothing about how much of a guess was right.
fn authorised(headers: &HeaderMap, token: &str) -> bool {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    Sha256::digest(given.as_bytes()) == Sha256::digest(token.as_bytes())
}

/// `GET /metrics`: the Prometheus text format, for the holder of the metrics token.
pub async fn scrape(headers: HeaderMap, token: Option<String>, db: DatabaseConnection) -> Response {
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if !authorised(&headers, &token) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
        )
            .into_response();
    }
    pool_gauges(&db);
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        handle().render(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_auth(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, v.parse().unwrap());
        h
    }

    #[test]
    fn only_the_exact_bearer_token_is_authorised() {
        assert!(authorised(
            &with_auth("Bearer s3cret-token"),
            "s3cret-token"
        ));
        assert!(!authorised(
            &with_auth("Bearer s3cret-toke"),
            "s3cret-token"
        ));
        assert!(!authorised(
            &with_auth("Basic s3cret-token"),
            "s3cret-token"
        ));
        assert!(!authorised(&HeaderMap::new(), "s3cret-token"));
    }
}
