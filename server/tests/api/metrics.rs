//! `GET /metrics`: Prometheus figures by route for the holder of the configured token only.

use reqwest::StatusCode;

use crate::helpers::{spawn_app, spawn_app_with};

const TOKEN: &str = "a-scrape-token-for-prometheus";

#[tokio::test]
async fn without_a_configured_token_there_is_no_metrics_endpoint() {
    let app = spawn_app().await;
    let (s, _) = app.client().get("/metrics").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn metrics_need_the_token_and_count_requests_by_route_pattern() {
    let app = spawn_app_with(|c| c.metrics_token = Some(TOKEN.into())).await;
    let http = reqwest::Client::new();
    let url = format!("{}/metrics", app.base);
    let s = http.get(&url).send().await.expect("metrics").status();
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let s = http
        .get(&url)
        .bearer_auth("a-scrape-token-for-prometheu")
        .send()
        .await
        .expect("metrics")
        .status();
    assert_eq!(s, StatusCode::UNAUTHORIZED);

    let client = app.client();
    client.get("/healthz").await;
    // A made-up path is counted under one label, not under its own.
    client.get("/no/such/page-7f3a").await;
    let res = http
        .get(&url)
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("metrics");
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.expect("text");
    let healthz = text
        .lines()
        .find(|l| {
            l.starts_with("aula_http_requests_total{")
                && l.contains(r#"route="/healthz""#)
                && l.contains(r#"status="200""#)
        })
        .unwrap_or_else(|| panic!("no /healthz counter in:\n{text}"));
    let count: f64 = healthz
        .rsplit(' ')
        .next()
        .and_then(|v| v.parse().ok())
        .expect("a count");
    assert!(count >= 1.0, "{healthz}");
    assert!(
        text.contains("aula_http_request_duration_seconds_bucket"),
        "{text}"
    );
    assert!(text.contains("aula_db_pool_connections"), "{text}");
    assert!(
        !text.contains("page-7f3a"),
        "client paths must not become labels"
    );
}
