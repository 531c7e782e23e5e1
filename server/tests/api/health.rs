use crate::helpers::spawn_app;

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
