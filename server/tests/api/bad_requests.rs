//! Every server function, sent what a broken or hostile client sends: a wrong type, a number
//! that overflows, a missing or repeated field, JSON or CBOR instead of a form, bytes that are
//! not UTF-8, and more than 2 MB. None may answer 5xx; a function that takes arguments answers 400
//! with a reason, and an oversized body is 413, whatever the function. The list of functions is
//! the server's own registry, so a new one is in the matrix the day it is written.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{TestApp, spawn_app};

/// An admin's session cookie made in the database (no login per request).
async fn admin_cookie(app: &TestApp) -> String {
    let id = app.create_user("root@uni.test", "Root", true).await;
    let token = app::auth::ssr::create_session(&app.db, id, 1)
        .await
        .expect("session");
    format!("aula_session={token}")
}

struct Probe {
    name: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
}

fn probes() -> Vec<Probe> {
    // Ids as every function names them; each is wrong in its own way.
    let ids = [
        "id",
        "activity_id",
        "course_id",
        "meeting_id",
        "user_id",
        "link_id",
        "server_id",
        "invitation_id",
        "recording_id",
        "account_id",
    ];
    let form = |value: &str| -> Vec<u8> {
        ids.iter()
            .map(|k| format!("{k}={value}"))
            .collect::<Vec<_>>()
            .join("&")
            .into_bytes()
    };
    let urlencoded = "application/x-www-form-urlencoded";
    vec![
        Probe {
            name: "non-numeric ids",
            content_type: urlencoded,
            body: form("abc"),
        },
        Probe {
            name: "overflowing ids",
            content_type: urlencoded,
            body: form("99999999999999999999999"),
        },
        Probe {
            name: "repeated ids",
            content_type: urlencoded,
            body: [form("1"), b"&".to_vec(), form("2")].concat(),
        },
        Probe {
            name: "unknown fields only",
            content_type: urlencoded,
            body: b"nothing=here".to_vec(),
        },
        Probe {
            name: "a JSON body",
            content_type: "application/json",
            body: br#"{"activity_id": "x", "name": [1, 2]}"#.to_vec(),
        },
        Probe {
            name: "a CBOR body",
            content_type: "application/cbor",
            body: vec![0xa1, 0x62, b'i', b'd', 0x61, b'x'],
        },
        Probe {
            name: "bytes that are not UTF-8",
            content_type: urlencoded,
            body: vec![0xff, 0xfe, b'=', 0xc3, 0x28, b'&', 0x80],
        },
    ]
}

async fn post(
    http: &reqwest::Client,
    base: &str,
    path: &str,
    cookie: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (StatusCode, String) {
    let res = http
        .post(format!("{base}{path}"))
        .header("sec-fetch-site", "same-origin")
        .header("cookie", cookie)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("request");
    let status = res.status();
    (status, res.text().await.unwrap_or_default())
}

#[tokio::test]
async fn every_server_function_answers_bad_arguments_with_a_4xx_and_a_reason() {
    let app = spawn_app().await;
    let http = reqwest::Client::new();
    let mut paths: Vec<&str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(p, _)| p)
        .collect();
    paths.sort_unstable();
    paths.dedup();
    assert!(
        paths.len() > 80,
        "the registry lists {} functions",
        paths.len()
    );
    let mut takes_arguments = 0;
    for path in &paths {
        // A fresh session each time: some functions (logout) end the one they are called with.
        let cookie = admin_cookie_for(&app, path).await;
        let (empty, _) = post(
            &http,
            &app.base,
            path,
            &cookie,
            "application/x-www-form-urlencoded",
            vec![],
        )
        .await;
        assert!(!empty.is_server_error(), "{path} with no body: {empty}");
        let needs_args = empty == StatusCode::BAD_REQUEST;
        takes_arguments += usize::from(needs_args);
        for probe in probes() {
            let cookie = admin_cookie_for(&app, path).await;
            let (s, body) = post(
                &http,
                &app.base,
                path,
                &cookie,
                probe.content_type,
                probe.body,
            )
            .await;
            assert!(
                !s.is_server_error(),
                "{path} with {}: {s} {body}",
                probe.name
            );
            if needs_args {
                assert_eq!(
                    s,
                    StatusCode::BAD_REQUEST,
                    "{path} with {}: {body}",
                    probe.name
                );
                let e: Value = serde_json::from_str(&body)
                    .unwrap_or_else(|_| panic!("{path}: not an error in JSON: {body}"));
                let reason = e["BadRequest"].as_str().unwrap_or_default();
                assert!(
                    !reason.is_empty(),
                    "{path} with {}: no reason in {body}",
                    probe.name
                );
            }
        }
        let cookie = admin_cookie_for(&app, path).await;
        let huge = vec![b'a'; 3 * 1024 * 1024];
        let (s, body) = post(
            &http,
            &app.base,
            path,
            &cookie,
            "application/x-www-form-urlencoded",
            huge,
        )
        .await;
        assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{path}: {body}");
        assert_eq!(body, "\"TooLarge\"");
    }
    assert!(
        takes_arguments > 50,
        "only {takes_arguments} functions took arguments"
    );
}

#[tokio::test]
async fn a_body_without_a_length_is_cut_off_at_the_limit() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app().await;
    let addr = app.base.trim_start_matches("http://").to_owned();
    let mut tcp = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    let head = format!(
        "POST /api/courses/create HTTP/1.1\r\nHost: {addr}\r\nSec-Fetch-Site: same-origin\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    tcp.write_all(head.as_bytes()).await.expect("head");
    // 3 MB in 100 KB chunks; the server may stop reading once it has seen enough.
    let chunk = vec![b'a'; 100 * 1024];
    for _ in 0..30 {
        let frame = [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
        if tcp.write_all(&frame).await.is_err() {
            break;
        }
    }
    let _ = tcp.write_all(b"0\r\n\r\n").await;
    let mut answer = vec![0u8; 512];
    let n = tcp.read(&mut answer).await.expect("answer");
    let answer = String::from_utf8_lossy(&answer[..n]);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
}

/// The admin's cookie, made once per function (cached in the database by e-mail).
async fn admin_cookie_for(app: &TestApp, _path: &str) -> String {
    use app::entities::user;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let existing = user::Entity::find()
        .filter(user::Column::Email.eq("root@uni.test"))
        .one(&app.db)
        .await
        .expect("db");
    match existing {
        Some(u) => {
            let token = app::auth::ssr::create_session(&app.db, u.id, 1)
                .await
                .expect("session");
            format!("aula_session={token}")
        }
        None => admin_cookie(app).await,
    }
}
