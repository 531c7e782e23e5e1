//! Every answer carries the request's id, chosen by the server, and a server error's reference id
//! is that same id, so what a user reports leads an admin to the request's log lines.

use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::Value;

use crate::helpers::spawn_app;

fn id_of(res: &reqwest::Response) -> String {
    res.headers()
        .get("x-request-id")
        .expect("x-request-id")
        .to_str()
        .expect("ascii")
        .to_owned()
}

#[tokio::test]
async fn each_answer_has_a_fresh_request_id_the_client_cannot_choose() {
    let app = spawn_app().await;
    let http = reqwest::Client::new();
    let url = format!("{}/healthz", app.base);
    let a = http.get(&url).send().await.expect("healthz");
    let b = http
        .get(&url)
        .header("x-request-id", "forged-by-the-client")
        .send()
        .await
        .expect("healthz");
    let (a, b) = (id_of(&a), id_of(&b));
    assert_eq!(a.len(), 12, "{a}");
    assert!(a.bytes().all(|c| c.is_ascii_hexdigit()), "{a}");
    assert_ne!(a, b);
    assert!(!b.contains("forged"), "{b}");
}

#[tokio::test]
async fn a_stored_server_kind_the_code_does_not_know_is_a_server_error_with_the_request_id() {
    let app = spawn_app().await;
    let admin = app.login_as("admin@uni.test", true).await;
    let (s, _) = admin
        .call(
            "admin/servers/save",
            &[
                ("name", "Campus Jitsi"),
                ("base_url", "https://meet.campus.example/"),
                ("kind", "public"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    // A value no version of Aula writes: it must not be read as public Jitsi.
    let damaged = app
        .db
        .execute_unprepared("UPDATE jitsi_servers SET kind = 'matrix' WHERE name = 'Campus Jitsi'")
        .await
        .expect("damage the row");
    assert_eq!(damaged.rows_affected(), 1);
    let res = admin
        .http
        .post(format!("{}/api/admin/servers", admin.base))
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .expect("servers");
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let id = id_of(&res);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["Internal"], Value::String(id), "{body}");
}
