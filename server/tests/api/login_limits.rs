//! How failed logins are slowed without locking anyone out: a classroom behind one address, an
//! account someone is guessing at, a reverse proxy in front, several replicas. The counters are
//! in the database, so every replica sees them.

use reqwest::StatusCode;

use crate::helpers::{PASSWORD, TestApp, spawn_app, spawn_app_with};

/// One login attempt, optionally as a proxy forwarding for `client`.
async fn attempt(
    base: &str,
    http: &reqwest::Client,
    email: &str,
    password: &str,
    forwarded_for: Option<&str>,
) -> StatusCode {
    let mut req = http
        .post(format!("{base}/api/auth/login"))
        .header("sec-fetch-site", "same-origin")
        .form(&[("email", email), ("password", password)]);
    if let Some(ip) = forwarded_for {
        req = req.header("x-forwarded-for", ip);
    }
    req.send().await.expect("login").status()
}

async fn students(app: &TestApp, n: usize) {
    for i in 0..n {
        app.create_user(&format!("s{i}@uni.test"), &format!("Student {i}"), false)
            .await;
    }
}

#[tokio::test]
async fn a_classroom_behind_one_address_signs_in_after_many_mistakes() {
    let app = spawn_app().await;
    students(&app, 21).await;
    let http = reqwest::Client::new();
    // Twenty students mistype once each, all from the school's one address.
    for i in 0..20 {
        let s = attempt(
            &app.base,
            &http,
            &format!("s{i}@uni.test"),
            "typo typo",
            None,
        )
        .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "student {i}");
    }
    let s = attempt(&app.base, &http, "s20@uni.test", PASSWORD, None).await;
    assert_eq!(s, StatusCode::OK, "the next correct password signs in");
    let s = attempt(&app.base, &http, "s3@uni.test", PASSWORD, None).await;
    assert_eq!(
        s,
        StatusCode::OK,
        "and so does a student who mistyped before"
    );
}

#[tokio::test]
async fn guessing_at_an_account_never_keeps_its_owner_out_of_a_browser_they_used_before() {
    let app = spawn_app().await;
    app.create_user("ana@uni.test", "Ana", false).await;
    // Ana has signed in from her laptop before: it holds a device cookie.
    let laptop = app.client();
    let (s, _) = laptop
        .call(
            "auth/login",
            &[("email", "ana@uni.test"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(s, 200);
    laptop.call("auth/logout", &[]).await;
    // Someone else guesses at her account until they are slowed down.
    let guesser = reqwest::Client::new();
    let mut slowed = false;
    for i in 0..30 {
        let s = attempt(
            &app.base,
            &guesser,
            "ana@uni.test",
            &format!("guess {i}"),
            None,
        )
        .await;
        slowed |= s == StatusCode::TOO_MANY_REQUESTS;
    }
    assert!(slowed, "guessing is slowed down");
    // Ana, from her laptop, is not held up at all.
    let (s, body) = laptop
        .call(
            "auth/login",
            &[("email", "ana@uni.test"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn a_device_cookie_of_another_account_or_a_forged_one_counts_for_nothing() {
    let app = spawn_app_with(|c| c.login_attempts = 2).await;
    app.create_user("ana@uni.test", "Ana", false).await;
    app.create_user("bo@uni.test", "Bo", false).await;
    let bos = app.client();
    bos.call(
        "auth/login",
        &[("email", "bo@uni.test"), ("password", PASSWORD)],
    )
    .await;
    // Bo's device cookie does not make his browser a known device for Ana's account.
    for _ in 0..2 {
        let (s, _) = bos
            .call(
                "auth/login",
                &[("email", "ana@uni.test"), ("password", "nope nope")],
            )
            .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
    let forged = reqwest::Client::new()
        .post(format!("{}/api/auth/login", app.base))
        .header("sec-fetch-site", "same-origin")
        .header(
            "cookie",
            format!("aula_device=1.{}.{}", "0".repeat(32), "f".repeat(64)),
        )
        .form(&[("email", "ana@uni.test"), ("password", PASSWORD)])
        .send()
        .await
        .expect("login");
    assert_eq!(
        forged.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "a forged cookie is an unknown device, which waits like any other"
    );
}

#[tokio::test]
async fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
    let app = spawn_app_with(|c| {
        c.login_attempts = 1;
        c.trusted_proxies = vec!["127.0.0.1".into()];
    })
    .await;
    students(&app, 4).await;
    let http = reqwest::Client::new();
    // Three failures (the per-address allowance is three times the account's) from one client.
    for i in 0..3 {
        let s = attempt(
            &app.base,
            &http,
            &format!("s{i}@uni.test"),
            "typo",
            Some("198.51.100.1"),
        )
        .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
    let s = attempt(
        &app.base,
        &http,
        "s3@uni.test",
        PASSWORD,
        Some("198.51.100.1"),
    )
    .await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "that client waits");
    let s = attempt(
        &app.base,
        &http,
        "s3@uni.test",
        PASSWORD,
        Some("198.51.100.2"),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::OK,
        "another client behind the proxy does not"
    );

    // Without a trusted proxy, the header is anyone's to write and is ignored.
    let direct = spawn_app_with(|c| c.login_attempts = 1).await;
    students(&direct, 4).await;
    for i in 0..3 {
        let fake = format!("203.0.113.{i}");
        attempt(
            &direct.base,
            &http,
            &format!("s{i}@uni.test"),
            "typo",
            Some(&fake),
        )
        .await;
    }
    let s = attempt(
        &direct.base,
        &http,
        "s3@uni.test",
        PASSWORD,
        Some("203.0.113.99"),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::TOO_MANY_REQUESTS,
        "invented forwarded addresses do not spread the count"
    );
}

#[tokio::test]
async fn the_counts_hold_across_replicas() {
    let app = spawn_app_with(|c| c.login_attempts = 2).await;
    let other = app.replica().await;
    app.create_user("ana@uni.test", "Ana", false).await;
    let http = reqwest::Client::new();
    for _ in 0..2 {
        let s = attempt(&app.base, &http, "ana@uni.test", "nope nope", None).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
    let s = attempt(&other.base, &http, "ana@uni.test", PASSWORD, None).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "the other replica knows");
}
