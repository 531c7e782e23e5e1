//! Changing one's e-mail address: a code sent to the new address confirms it, and the answer is
//! the same whether or not the address already belongs to someone (the holder of a taken address
//! gets a notice instead of a code). Mail goes to a real SMTP server on loopback (aiosmtpd).

use reqwest::StatusCode;
use serde_json::Value;

use crate::{
    guests::smtp_sink,
    helpers::{Client, PASSWORD, TestApp, spawn_app, spawn_app_with},
};

type Mail = tokio::io::Lines<tokio::io::BufReader<tokio::process::ChildStdout>>;

async fn next_mail(lines: &mut Mail) -> Value {
    let line = tokio::time::timeout(std::time::Duration::from_secs(10), lines.next_line())
        .await
        .expect("a message arrives")
        .expect("read")
        .expect("a line");
    serde_json::from_str(&line).expect("json")
}

async fn change_to(who: &Client, name: &str, email: &str) -> (StatusCode, Value) {
    who.call(
        "profile/update",
        &[
            ("display_name", name),
            ("email", email),
            ("language", "en"),
            ("time_zone", ""),
            ("avatar_link", ""),
        ],
    )
    .await
}

fn code_in(mail: &Value) -> String {
    let body = mail["body"].as_str().unwrap_or_default();
    body.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap_or_else(|| panic!("no code in {body:?}"))
        .to_owned()
}

async fn with_mail() -> (TestApp, tokio::process::Child, Mail) {
    let (port, child, lines) = smtp_sink().await;
    let app = spawn_app_with(|c| {
        c.smtp_host = Some("127.0.0.1".into());
        c.smtp_port = port;
        c.smtp_security = mail::SmtpSecurity::None;
        c.smtp_from = "Aula <aula@uni.test>".into();
    })
    .await;
    (app, child, lines)
}

#[tokio::test]
async fn a_new_address_is_taken_once_the_code_sent_to_it_comes_back() {
    let (app, _child, mut mail) = with_mail().await;
    let ana = app.login_as("ana@uni.test", false).await;
    let (s, e) = change_to(&ana, "Ana", "ana.new@uni.test").await;
    assert_eq!(s, 200, "{e}");
    let (_, p) = ana.call("profile/get", &[]).await;
    assert_eq!(p["email"], "ana@uni.test", "not changed yet");
    assert_eq!(p["pending_email"], "ana.new@uni.test");
    let m = next_mail(&mut mail).await;
    assert_eq!(m["to"], serde_json::json!(["ana.new@uni.test"]));
    let code = code_in(&m);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (s, _) = ana.call("profile/email/confirm", &[("code", wrong)]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, e) = ana.call("profile/email/confirm", &[("code", &code)]).await;
    assert_eq!(s, 200, "{e}");
    let (_, p) = ana.call("profile/get", &[]).await;
    assert_eq!(p["email"], "ana.new@uni.test");
    assert_eq!(p["pending_email"], Value::Null);
    let (s, _) = app
        .client()
        .call(
            "auth/login",
            &[("email", "ana.new@uni.test"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(s, 200, "the new address signs in");
}

#[tokio::test]
async fn asking_for_someone_elses_address_answers_the_same_and_only_warns_its_holder() {
    let (app, _child, mut mail) = with_mail().await;
    let ana = app.login_as("ana@uni.test", false).await;
    app.create_user("bo@uni.test", "Bo Holder", false).await;
    let (s_free, free) = change_to(&ana, "Ana", "free@uni.test").await;
    let first = next_mail(&mut mail).await;
    let (s_taken, taken) = change_to(&ana, "Ana", "bo@uni.test").await;
    assert_eq!((s_free, s_taken), (StatusCode::OK, StatusCode::OK));
    assert_eq!(free, taken, "the same answer");
    let (_, p) = ana.call("profile/get", &[]).await;
    assert_eq!(p["pending_email"], "bo@uni.test");
    assert!(!p.to_string().contains("Bo Holder"), "{p}");
    let notice = next_mail(&mut mail).await;
    assert_eq!(notice["to"], serde_json::json!(["bo@uni.test"]));
    let body = notice["body"].as_str().unwrap_or_default();
    assert!(body.contains("Nothing has changed"), "{body}");
    assert!(
        !body.chars().any(|c| c.is_ascii_digit()),
        "the holder's notice carries no code: {body}"
    );
    // The code sent for the free address does not confirm the taken one.
    let (s, _) = ana
        .call("profile/email/confirm", &[("code", &code_in(&first))])
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, p) = ana.call("profile/get", &[]).await;
    assert_eq!(p["email"], "ana@uni.test");
}

#[tokio::test]
async fn without_a_mail_relay_the_address_stays_and_the_rest_of_the_profile_saves() {
    let app = spawn_app().await;
    let ana = app.login_as("ana@uni.test", false).await;
    let (s, e) = change_to(&ana, "Ana", "other@uni.test").await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    let (s, e) = change_to(&ana, "Ana Renamed", "ana@uni.test").await;
    assert_eq!(s, 200, "{e}");
    let (_, p) = ana.call("profile/get", &[]).await;
    assert_eq!(p["display_name"], "Ana Renamed");
    assert_eq!(p["email_changeable"], false);
}

#[tokio::test]
async fn address_changes_are_rate_limited() {
    let (app, _child, _mail) = with_mail().await;
    let ana = app.login_as("ana@uni.test", false).await;
    for i in 0..5 {
        let (s, e) = change_to(&ana, "Ana", &format!("try{i}@uni.test")).await;
        assert_eq!(s, 200, "{e}");
    }
    let (s, _) = change_to(&ana, "Ana", "try5@uni.test").await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
}
