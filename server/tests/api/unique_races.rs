//! Values a unique index guards (an account's e-mail, a course's short name, a server's address),
//! written by several requests at the same moment: exactly one wins, and every other one is told
//! the value is taken (422) rather than getting a server error. Services insert and catch the
//! index's refusal; checking first would let two requests both find the value free.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Client, PASSWORD, spawn_app};

/// Sends `n` identical calls at once, in the same session, and returns their answers.
async fn at_once(
    who: &Client,
    n: usize,
    endpoint: &str,
    form: &[(&str, &str)],
) -> Vec<(StatusCode, Value)> {
    let form: Vec<(String, String)> = form
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..n {
        // The same cookie jar (reqwest clients share it when cloned), one task per call.
        let same = Client {
            base: who.base.clone(),
            http: who.http.clone(),
        };
        let (endpoint, form) = (endpoint.to_owned(), form.clone());
        calls.spawn(async move {
            let form: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            same.call(&endpoint, &form).await
        });
    }
    calls.join_all().await
}

fn one_wins_and_the_rest_hear_taken(answers: &[(StatusCode, Value)], field: &str) {
    let won = answers.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    assert_eq!(won, 1, "{answers:?}");
    for (s, body) in answers.iter().filter(|(s, _)| *s != StatusCode::OK) {
        assert_eq!(*s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(
            *body,
            json!({"Invalid": [{"field": field, "code": "AlreadyTaken"}]})
        );
    }
}

#[tokio::test]
async fn the_same_account_created_twice_at_once_is_created_once_and_the_other_hears_taken() {
    let app = spawn_app().await;
    let admin = app.login_as("admin@uni.test", true).await;
    let form = [
        ("email", "twin@uni.test"),
        ("display_name", "Twin"),
        ("password", PASSWORD),
    ];
    let answers = at_once(&admin, 2, "admin/users/create", &form).await;
    one_wins_and_the_rest_hear_taken(&answers, "email");
    // A crowd, so the inserts really overlap on every backend.
    let form = [
        ("email", "crowd@uni.test"),
        ("display_name", "Crowd"),
        ("password", PASSWORD),
    ];
    let answers = at_once(&admin, 8, "admin/users/create", &form).await;
    one_wins_and_the_rest_hear_taken(&answers, "email");
    let (s, _) = app
        .client()
        .call(
            "auth/login",
            &[("email", "crowd@uni.test"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(s, StatusCode::OK, "the account that won can log in");
}

#[tokio::test]
async fn a_course_short_name_claimed_by_several_admins_at_once_goes_to_one() {
    let app = spawn_app().await;
    let admin = app.login_as("admin@uni.test", true).await;
    let form = [
        ("name", "Chemistry"),
        ("short_name", "CHEM1"),
        ("description", ""),
    ];
    let answers = at_once(&admin, 8, "courses/create", &form).await;
    one_wins_and_the_rest_hear_taken(&answers, "short_name");
}

#[tokio::test]
async fn a_server_address_registered_twice_at_once_is_registered_once() {
    let app = spawn_app().await;
    let admin = app.login_as("admin@uni.test", true).await;
    let form = [
        ("name", "Campus Jitsi"),
        ("base_url", "https://meet.campus.example/"),
        ("kind", "public"),
    ];
    let answers = at_once(&admin, 6, "admin/servers/save", &form).await;
    one_wins_and_the_rest_hear_taken(&answers, "base_url");
}
