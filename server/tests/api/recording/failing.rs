//! A streaming account Google stops accepting: it is marked failing with the reason, "in use"
//! moves to the next usable account, the admins get an e-mail, and its tokens are kept so that
//! re-authorising can repair it.

use serde_json::json;

use super::scene::{accounts, connect, scene_with};
use crate::guests::smtp_sink;

#[tokio::test]
async fn an_account_google_refuses_is_marked_failing_the_next_one_takes_over_and_admins_are_mailed()
{
    let (port, _sink, mut mail) = smtp_sink().await;
    let sc = scene_with(|c| {
        c.smtp_host = Some("127.0.0.1".into());
        c.smtp_port = port;
        c.smtp_security = mail::SmtpSecurity::None;
    })
    .await;
    assert_eq!(
        connect(&sc, &sc.admin, "Backup channel").await,
        "/admin/recording?oauth=added"
    );
    let before = accounts(&sc.app.db).await;
    assert_eq!(before.len(), 2);
    assert!(before[0].in_use && !before[1].in_use);

    // Someone revokes Aula's access to the first channel at Google; its access token expires.
    let refresh = sc.fake.refresh_tokens()[0].clone();
    let res = reqwest::Client::new()
        .post(format!("{}/revoke", sc.fake.base))
        .form(&[("token", refresh.as_str())])
        .send()
        .await
        .expect("revoke at the fake");
    assert!(res.status().is_success());
    sc.fake.expire_access_tokens();

    let (s, body) = sc.act(&sc.teacher, "recording/start", &[]).await;
    assert_eq!(s, 502, "{body}");
    assert_eq!(body, json!({"External": "AccountNeedsReauthorisation"}));

    let after = accounts(&sc.app.db).await;
    let failing = &after[0];
    assert!(
        failing
            .failing_reason
            .as_deref()
            .unwrap_or("")
            .contains("invalid_grant")
    );
    assert!(!failing.in_use, "a failing account receives no broadcasts");
    assert_eq!(
        failing.refresh_token_enc, before[0].refresh_token_enc,
        "never wiped"
    );
    assert!(after[1].in_use, "the backup account took over");

    let line = tokio::time::timeout(std::time::Duration::from_secs(10), mail.next_line())
        .await
        .expect("an e-mail to the admins")
        .expect("read")
        .expect("a message");
    let msg: serde_json::Value = serde_json::from_str(&line).expect("json");
    assert_eq!(msg["to"], json!(["ada@uni.test"]));
    assert!(
        msg["subject"].as_str().unwrap().contains("Main channel"),
        "{msg}"
    );
    assert!(
        msg["body"].as_str().unwrap().contains("invalid_grant"),
        "{msg}"
    );

    // The next start goes to the backup account and works.
    let (s, body) = sc.act(&sc.teacher, "recording/start", &[]).await;
    assert_eq!(s, 200, "{body}");
    let page = sc.admin_page().await;
    assert!(page["audit"].to_string().contains("account.failing"));
}
