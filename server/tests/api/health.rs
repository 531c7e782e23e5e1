use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{spawn_app, spawn_app_with};

#[tokio::test]
async fn healthz_reports_ok_when_the_database_answers() {
    let app = spawn_app().await;
    let (status, body) = app.client().get("/healthz").await;
    assert_eq!(status, 200);
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json, serde_json::json!({"status": "ok", "db": "ok"}));
}

#[tokio::test]
async fn the_first_start_creates_a_master_key_readable_only_by_its_owner() {
    let app = spawn_app().await;
    let key = app.data_dir.path().join("master.key");
    let meta = std::fs::metadata(&key).expect("master.key exists");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    }
    let _ = meta;
}

/// Sends one keep-alive request on a raw connection and reads its answer.
async fn one_request(stream: &mut tokio::net::TcpStream, host: &str) -> String {
    let req = format!("GET /healthz HTTP/1.1\r\nHost: {host}\r\nConnection: keep-alive\r\n\r\n");
    stream.write_all(req.as_bytes()).await.expect("write");
    let mut buf = vec![0u8; 4096];
    let n = stream.read(&mut buf).await.expect("read");
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_idle_timeout_but_a_busy_one_is_kept() {
    let app = spawn_app_with(|c| c.http_idle_secs = 1).await;
    let host = app.base.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&host)
        .await
        .expect("connect");
    assert!(
        one_request(&mut stream, &host)
            .await
            .starts_with("HTTP/1.1 200")
    );
    // Within the timeout the same connection serves the next request.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(
        one_request(&mut stream, &host)
            .await
            .starts_with("HTTP/1.1 200")
    );
    // Past it, the server has closed the connection: the read sees end of file.
    tokio::time::sleep(std::time::Duration::from_millis(1600)).await;
    let mut buf = [0u8; 16];
    let n = tokio::time::timeout(std::time::Duration::from_secs(5), stream.read(&mut buf))
        .await
        .expect("the server answers the closed connection")
        .unwrap_or(0);
    assert_eq!(n, 0, "the idle connection was closed");
}
