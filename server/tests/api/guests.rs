//! Guest links: created and revoked by teachers, used by people without an account, checked at
//! every step and rate-limited.

use app::capabilities::CourseRole;
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::{Client, TestApp, spawn_app};

fn local(ts: i64) -> String {
    chrono::DateTime::<chrono::Utc>::from_timestamp(ts, 0)
        .unwrap()
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

struct Scene {
    app: TestApp,
    teacher: Client,
    student: Client,
    activity: String,
}

async fn scene() -> Scene {
    let app = spawn_app().await;
    let teacher = app.login_as("tom@uni.test", false).await;
    let student = app.login_as("sam@uni.test", false).await;
    let course = app
        .course_with(
            "C1",
            &[
                ("tom@uni.test", CourseRole::EditingTeacher),
                ("sam@uni.test", CourseRole::Student),
            ],
        )
        .await
        .to_string();
    let now = chrono::Utc::now().timestamp();
    let (s, id) = teacher
        .call(
            "activities/create",
            &[
                ("course_id", course.as_str()),
                ("name", "Open day"),
                ("description", ""),
                ("opens_at", &local(now - 60)),
                ("closes_at", &local(now + 3600)),
                ("early_entry_minutes", "0"),
                ("completion_minutes", ""),
                ("server_id", "1"),
            ],
        )
        .await;
    assert_eq!(s, 200, "{id}");
    Scene {
        app,
        teacher,
        student,
        activity: id.to_string(),
    }
}

impl Scene {
    async fn link(&self, max_uses: &str) -> (i64, String) {
        let expires = local(chrono::Utc::now().timestamp() + 3600);
        let (s, body) = self
            .teacher
            .call(
                "guests/create",
                &[
                    ("activity_id", &self.activity),
                    ("label", "Parents"),
                    ("expires_at", &expires),
                    ("max_uses", max_uses),
                ],
            )
            .await;
        assert_eq!(s, 200, "{body}");
        let links = self.links().await;
        let l = &links[0];
        let url = l["url"].as_str().unwrap();
        let token = url.rsplit('/').next().unwrap().to_owned();
        (l["id"].as_i64().unwrap(), token)
    }

    async fn links(&self) -> Vec<Value> {
        let (s, v) = self
            .teacher
            .call("guests/links", &[("activity_id", &self.activity)])
            .await;
        assert_eq!(s, 200, "{v}");
        v.as_array().unwrap().clone()
    }
}

#[tokio::test]
async fn a_guest_joins_through_a_link_as_a_member_until_the_uses_run_out() {
    let sc = scene().await;
    let (_, token) = sc.link("2").await;
    let links = sc.links().await;
    assert!(
        links[0]["qr_svg"].as_str().unwrap().contains("<svg"),
        "a QR code"
    );
    assert_eq!(links[0]["state"], json!("Valid"));

    let guest = sc.app.client();
    let (s, info) = guest.call("guests/info", &[("token", &token)]).await;
    assert_eq!(s, 200);
    assert_eq!(info["state"], json!("Valid"));
    assert_eq!(info["activity_name"], json!("Open day"));

    let res = guest
        .http
        .post(format!("{}/api/guests/join", sc.app.base))
        .header("sec-fetch-site", "same-origin")
        .form(&[("token", token.as_str()), ("name", "  Kim   Lee ")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("aula_guest="))
        .expect("guest cookie");
    assert!(cookie.contains("HttpOnly"));
    let ticket: Value = res.json().await.unwrap();
    assert_eq!(ticket["display_name"], json!("Kim Lee"));
    assert_eq!(
        ticket["moderator"],
        json!(false),
        "guests are never moderators"
    );

    let (s, _) = sc
        .app
        .client()
        .call("guests/join", &[("token", &token), ("name", "Second")])
        .await;
    assert_eq!(s, 200);
    let (s, _) = sc
        .app
        .client()
        .call("guests/join", &[("token", &token), ("name", "Third")])
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "the link was for two uses");
    let links = sc.links().await;
    assert_eq!(links[0]["uses"], json!(2));
    assert_eq!(links[0]["state"], json!("UsedUp"));
    let names: Vec<&str> = links[0]["guests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Kim Lee", "Second"]);
}

#[tokio::test]
async fn revoked_expired_and_unknown_links_are_refused_at_every_step() {
    let sc = scene().await;
    let (id, token) = sc.link("").await;
    let guest = sc.app.client();
    let (s, _) = sc
        .teacher
        .call(
            "guests/revoke",
            &[("activity_id", &sc.activity), ("link_id", &id.to_string())],
        )
        .await;
    assert_eq!(s, 200);
    let (_, info) = guest.call("guests/info", &[("token", &token)]).await;
    assert_eq!(info["state"], json!("Revoked"));
    let (s, _) = guest
        .call("guests/join", &[("token", &token), ("name", "Kim")])
        .await;
    assert_eq!(s, StatusCode::CONFLICT);

    let (_, token2) = sc.link("").await;
    sc.app
        .db
        .execute_unprepared("UPDATE guest_links SET expires_at = 1")
        .await
        .unwrap();
    let (_, info) = guest.call("guests/info", &[("token", &token2)]).await;
    assert_eq!(info["state"], json!("Expired"));

    let (_, info) = guest
        .call("guests/info", &[("token", &"ab".repeat(32))])
        .await;
    assert_eq!(info["state"], json!("Unknown"));
    let (s, _) = guest
        .call("guests/join", &[("token", "not-a-token"), ("name", "Kim")])
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn only_link_creators_manage_links_and_names_are_checked() {
    let sc = scene().await;
    for (endpoint, extra) in [
        ("guests/links", vec![]),
        ("guests/revoke", vec![("link_id", "1")]),
        (
            "guests/create",
            vec![
                ("label", "x"),
                ("expires_at", "2030-01-01T10:00"),
                ("max_uses", ""),
            ],
        ),
    ] {
        let mut form = vec![("activity_id", sc.activity.as_str())];
        form.extend(extra);
        let (s, _) = sc.student.call(endpoint, &form).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{endpoint}");
    }
    let (s, body) = sc
        .teacher
        .call(
            "guests/create",
            &[
                ("activity_id", &sc.activity),
                ("label", ""),
                ("expires_at", "2001-01-01T10:00"),
                ("max_uses", "0"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (_, token) = sc.link("").await;
    let (s, body) = sc
        .app
        .client()
        .call("guests/join", &[("token", &token), ("name", "   ")])
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
}

#[tokio::test]
async fn guest_requests_are_rate_limited_per_address() {
    let sc = scene().await;
    let guest = sc.app.client();
    let mut limited = false;
    for _ in 0..70 {
        let (s, _) = guest.call("guests/info", &[("token", "x")]).await;
        if s == StatusCode::TOO_MANY_REQUESTS {
            limited = true;
            break;
        }
    }
    assert!(
        limited,
        "70 guest requests in a minute from one address are too many"
    );
}

#[tokio::test]
async fn a_guests_minutes_count_under_their_guest_identity() {
    let sc = scene().await;
    let (_, token) = sc.link("").await;
    let guest = sc.app.client();
    let (s, _) = guest
        .call("guests/join", &[("token", &token), ("name", "Kim")])
        .await;
    assert_eq!(s, 200);
    let (s, opened) = guest
        .call(
            "attendance/open",
            &[("activity_id", &sc.activity), ("client_ms", "0")],
        )
        .await;
    assert_eq!(s, 200, "{opened}");
    let t = opened["token"].as_str().unwrap().to_owned();
    for seq in 1..=4 {
        let res = guest
            .http
            .post(format!("{}/__test/clock", sc.app.base))
            .header("sec-fetch-site", "same-origin")
            .json(&json!({ "ms": 30_000 }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let res = guest
            .http
            .post(format!("{}/attendance/beat", sc.app.base))
            .header("sec-fetch-site", "same-origin")
            .body(json!({ "t": t, "b": [{ "seq": seq, "at": seq * 30_000 }] }).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }
    let (_, p) = sc
        .teacher
        .call("attendance/presence", &[("activity_id", &sc.activity)])
        .await;
    assert_eq!(p["people"][0]["name"], json!("Kim (guest)"));
    let (_, r) = sc
        .teacher
        .call("attendance/activity", &[("activity_id", &sc.activity)])
        .await;
    let kim = r["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["name"] == json!("Kim (guest)"))
        .expect("the guest's row");
    assert_eq!(kim["minutes"], json!(2));
    assert!(kim["user_id"].as_i64().unwrap() < 0);

    // Without the guest cookie (or with a student's session), the guest's token is refused.
    let (s, _) = sc
        .student
        .call(
            "attendance/open",
            &[("activity_id", &sc.activity), ("client_ms", "0")],
        )
        .await;
    assert_eq!(s, 200, "the student opens their own session");
    let res = sc
        .student
        .http
        .post(format!("{}/attendance/beat", sc.app.base))
        .header("sec-fetch-site", "same-origin")
        .body(json!({ "t": t, "b": [{ "seq": 9, "at": 150_000 }] }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401, "no guest cookie, no guest heartbeat");
}
