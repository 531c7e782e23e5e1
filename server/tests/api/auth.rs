use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{PASSWORD, spawn_app, spawn_app_with};

#[tokio::test]
async fn login_sets_an_httponly_lax_session_cookie_and_me_returns_the_user() {
    let app = spawn_app().await;
    app.create_user("ana@uni.test", "Ana", false).await;
    let c = app.client();
    let res = c
        .http
        .post(format!("{}/api/auth/login", app.base))
        .form(&[("email", "ANA@uni.test"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let cookies: Vec<String> = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let session = cookies
        .iter()
        .find(|c| c.starts_with("aula_session="))
        .expect("session cookie");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax"),
        "{session}"
    );
    let (_, me) = c.call("auth/me", &[]).await;
    assert_eq!(me["email"], json!("ana@uni.test"));
}

#[tokio::test]
async fn a_wrong_password_is_refused_without_saying_whether_the_account_exists() {
    let app = spawn_app().await;
    app.create_user("ana@uni.test", "Ana", false).await;
    let c = app.client();
    let (s1, b1) = c
        .call(
            "auth/login",
            &[("email", "ana@uni.test"), ("password", "wrong password")],
        )
        .await;
    let (s2, b2) = c
        .call(
            "auth/login",
            &[("email", "nobody@uni.test"), ("password", "wrong password")],
        )
        .await;
    assert_eq!(
        (s1, s2),
        (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED)
    );
    assert_eq!(b1, b2);
}

#[tokio::test]
async fn after_the_free_failures_the_next_attempt_waits_and_then_the_right_password_works() {
    let app = spawn_app_with(|c| c.login_attempts = 3).await;
    app.create_user("ana@uni.test", "Ana", false).await;
    let c = app.client();
    for _ in 0..3 {
        let (s, _) = c
            .call(
                "auth/login",
                &[("email", "ana@uni.test"), ("password", "nope nope nope")],
            )
            .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
    let res = c
        .http
        .post(format!("{}/api/auth/login", app.base))
        .header("sec-fetch-site", "same-origin")
        .form(&[("email", "ana@uni.test"), ("password", PASSWORD)])
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = res.headers()["retry-after"]
        .to_str()
        .expect("header")
        .parse()
        .expect("seconds");
    assert_eq!(
        wait, 1,
        "the first wait after the free failures is a second"
    );
    // The back-off under test is a wait in seconds, so this test waits it out.
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    let (s, body) = c
        .call(
            "auth/login",
            &[("email", "ana@uni.test"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn the_session_id_changes_at_login_and_the_old_one_stops_working() {
    let app = spawn_app().await;
    app.create_user("ana@uni.test", "Ana", false).await;
    let login = || async {
        let res = app
            .client()
            .http
            .post(format!("{}/api/auth/login", app.base))
            .form(&[("email", "ana@uni.test"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        res.headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .find(|c| c.starts_with("aula_session="))
            .unwrap()
    };
    let first = login().await;
    let second = login().await;
    assert_ne!(first, second);
    // Logging out with the first cookie ends only that session.
    let token = first.split(';').next().unwrap();
    let res = reqwest::Client::new()
        .post(format!("{}/api/auth/logout", app.base))
        .header("cookie", token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let me = reqwest::Client::new()
        .post(format!("{}/api/auth/me", app.base))
        .header("cookie", token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(me, "null");
}

#[tokio::test]
async fn cross_site_posts_are_refused_before_reaching_any_server_function() {
    let app = spawn_app().await;
    app.create_user("ana@uni.test", "Ana", false).await;
    for (header, value) in [
        ("sec-fetch-site", "cross-site"),
        ("origin", "https://evil.example"),
    ] {
        let res = reqwest::Client::new()
            .post(format!("{}/api/auth/login", app.base))
            .header(header, value)
            .form(&[("email", "ana@uni.test"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert!(res.headers().get("set-cookie").is_none());
    }
}

#[tokio::test]
async fn a_disabled_user_is_signed_out_and_cannot_log_in_again() {
    let app = spawn_app().await;
    let admin = app.login_as("admin@uni.test", true).await;
    let student = app.login_as("sam@uni.test", false).await;
    let (_, users) = admin.call("admin/users", &[]).await;
    let sam_id = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "sam@uni.test")
        .unwrap()["id"]
        .to_string();
    let (s, _) = admin
        .call(
            "admin/users/disable",
            &[("user_id", &sam_id), ("disabled", "true")],
        )
        .await;
    assert_eq!(s, 200);
    let (_, me) = student.call("auth/me", &[]).await;
    assert_eq!(me, serde_json::Value::Null);
    let (s, body) = app
        .client()
        .call(
            "auth/login",
            &[("email", "sam@uni.test"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(body, json!("AccountDisabled"));
}

#[tokio::test]
async fn admins_create_users_with_field_errors_and_only_admins_may() {
    let app = spawn_app().await;
    let admin = app.login_as("admin@uni.test", true).await;
    let (s, body) = admin
        .call(
            "admin/users/create",
            &[
                ("email", "bad"),
                ("display_name", ""),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.to_string().contains("email"), "{body}");
    let (s, _) = admin
        .call(
            "admin/users/create",
            &[
                ("email", "new@uni.test"),
                ("display_name", "New"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(s, 200);
    let (s, _) = app
        .client()
        .call(
            "auth/login",
            &[("email", "new@uni.test"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(s, 200);
    let student = app.login_as("sam@uni.test", false).await;
    let (s, _) = student.call("admin/users", &[]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_admin_password_reset_replaces_the_password() {
    let app = spawn_app().await;
    let admin = app.login_as("admin@uni.test", true).await;
    let id = app
        .create_user("sam@uni.test", "Sam", false)
        .await
        .to_string();
    let (s, _) = admin
        .call(
            "admin/users/password",
            &[("user_id", &id), ("password", "a brand new secret")],
        )
        .await;
    assert_eq!(s, 200);
    let (s, _) = app
        .client()
        .call(
            "auth/login",
            &[("email", "sam@uni.test"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = app
        .client()
        .call(
            "auth/login",
            &[
                ("email", "sam@uni.test"),
                ("password", "a brand new secret"),
            ],
        )
        .await;
    assert_eq!(s, 200);
}

#[tokio::test]
async fn profile_changes_are_validated_and_saved() {
    let app = spawn_app().await;
    let sam = app.login_as("sam@uni.test", false).await;
    let (s, body) = sam
        .call(
            "profile/update",
            &[
                ("display_name", ""),
                ("email", "x"),
                ("language", "xx"),
                ("time_zone", "Mars/Base"),
                ("avatar_link", "javascript:1"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    for f in [
        "display_name",
        "email",
        "language",
        "time_zone",
        "avatar_link",
    ] {
        assert!(body.to_string().contains(f), "{f} missing in {body}");
    }
    let (s, _) = sam
        .call(
            "profile/update",
            &[
                ("display_name", "Samuel"),
                ("email", "sam@uni.test"),
                ("language", "es"),
                ("time_zone", "Europe/Madrid"),
                ("avatar_link", "https://img.test/s.png"),
            ],
        )
        .await;
    assert_eq!(s, 200);
    let (_, p) = sam.call("profile/get", &[]).await;
    assert_eq!(p["display_name"], json!("Samuel"));
    assert_eq!(p["language"], json!("es"));
    assert_eq!(p["avatar_url"], json!("https://img.test/s.png"));
}

#[tokio::test]
async fn an_uploaded_avatar_is_stored_and_served_and_non_images_are_refused() {
    let app = spawn_app().await;
    let sam = app.login_as("sam@uni.test", false).await;
    let png = b"\x89PNG\r\n\x1a\nrest-of-a-png".to_vec();
    let form = reqwest::multipart::Form::new().part(
        "avatar",
        reqwest::multipart::Part::bytes(png.clone()).file_name("me.png"),
    );
    let res = sam
        .http
        .post(format!("{}/profile/avatar", app.base))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, p) = sam.call("profile/get", &[]).await;
    let url = p["avatar_url"].as_str().unwrap().to_owned();
    assert!(url.starts_with(&format!("{}/avatars/", app.base)), "{url}");
    let served = reqwest::get(&url).await.unwrap();
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(served.bytes().await.unwrap().to_vec(), png);

    let svg = reqwest::multipart::Form::new().part(
        "avatar",
        reqwest::multipart::Part::bytes(b"<svg onload=alert(1)>".to_vec()).file_name("x.png"),
    );
    let res = sam
        .http
        .post(format!("{}/profile/avatar", app.base))
        .multipart(svg)
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/profile?avatar=invalid");
    let (_, p) = sam.call("profile/get", &[]).await;
    assert_eq!(
        p["avatar_url"].as_str(),
        Some(url.as_str()),
        "a refused upload keeps the old picture"
    );
}

#[tokio::test]
async fn changing_the_password_signs_out_every_other_session_but_this_one() {
    let app = spawn_app().await;
    let here = app.login_as("ana@uni.test", false).await;
    let phone = app.client();
    let (s, _) = phone
        .call(
            "auth/login",
            &[("email", "ana@uni.test"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(s, 200);
    let (s, me) = phone.call("auth/me", &[]).await;
    assert_eq!(
        (s, me["email"].as_str()),
        (StatusCode::OK, Some("ana@uni.test"))
    );

    let (s, e) = here
        .call(
            "profile/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "a brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(s, 200, "{e}");
    let (_, me) = phone.call("auth/me", &[]).await;
    assert_eq!(me, serde_json::Value::Null, "the other session ended");
    let (s, _) = phone.call("profile/get", &[]).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, me) = here.call("auth/me", &[]).await;
    assert_eq!(
        (s, me["email"].as_str()),
        (StatusCode::OK, Some("ana@uni.test")),
        "this one stays"
    );
}
