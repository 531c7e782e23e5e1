//! Guest links: created and revoked by teachers, used by people without an account, checked at
//! every step and rate-limited.

use app::capabilities::CourseRole;
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::{ActivityForm, Client, TestApp, local, now, spawn_app};

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
        .await;
    let (s, id) = teacher
        .create_activity(course, ActivityForm::open_now("Open day"))
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

/// Starts `tests/support/smtp_sink.py` (aiosmtpd) on a free loopback port.
pub(crate) async fn smtp_sink() -> (
    u16,
    tokio::process::Child,
    tokio::io::Lines<tokio::io::BufReader<tokio::process::ChildStdout>>,
) {
    use tokio::io::AsyncBufReadExt;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/smtp_sink.py");
    let mut child = tokio::process::Command::new("python3")
        .arg("-u")
        .arg(script)
        .arg(port.to_string())
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("python3 with aiosmtpd (scripts/install-tools.sh installs it)");
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let ready = tokio::time::timeout(std::time::Duration::from_secs(20), lines.next_line())
        .await
        .expect("the SMTP sink starts")
        .unwrap();
    assert_eq!(
        ready.as_deref(),
        Some("ready"),
        "aiosmtpd must be installed"
    );
    (port, child, lines)
}

/// Unfolds an RFC 5545 text and checks its structure: balanced BEGIN/END and parseable times.
fn parse_ics(ics: &str) -> std::collections::HashMap<String, String> {
    let unfolded = ics.replace("\r\n ", "").replace("\n ", "");
    let mut depth = Vec::new();
    let mut props = std::collections::HashMap::new();
    for line in unfolded.lines().filter(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':').expect("NAME:VALUE");
        let key = name.split(';').next().unwrap().to_owned();
        match key.as_str() {
            "BEGIN" => depth.push(value.to_owned()),
            "END" => assert_eq!(depth.pop().as_deref(), Some(value), "balanced"),
            _ => {
                props.insert(key, value.to_owned());
            }
        }
    }
    assert!(depth.is_empty());
    chrono::NaiveDateTime::parse_from_str(props["DTSTART"].trim_end_matches('Z'), "%Y%m%dT%H%M%S")
        .unwrap_or_else(|e| panic!("DTSTART: {e}"));
    props
}

#[tokio::test]
async fn an_invitation_reaches_a_real_smtp_server_with_a_parseable_calendar() {
    let (port, _child, mut lines) = smtp_sink().await;
    let app = crate::helpers::spawn_app_with(|c| {
        c.smtp_host = Some("127.0.0.1".into());
        c.smtp_port = port;
        c.smtp_security = mail::SmtpSecurity::None;
        c.smtp_from = "Aula <aula@uni.test>".into();
    })
    .await;
    let teacher = app.login_as("tom@uni.test", false).await;
    let course = app
        .course_with("C1", &[("tom@uni.test", CourseRole::EditingTeacher)])
        .await;
    let now = now();
    let (_, activity) = teacher
        .create_activity(
            course,
            ActivityForm {
                opens: now + 3600,
                closes: now + 7200,
                ..ActivityForm::open_now("Open day")
            },
        )
        .await;
    let activity = activity.to_string();
    let (s, _) = teacher
        .call(
            "guests/create",
            &[
                ("activity_id", &activity),
                ("label", "Parents"),
                ("expires_at", &local(now + 86_400)),
                ("max_uses", ""),
            ],
        )
        .await;
    assert_eq!(s, 200);
    let (_, links) = teacher
        .call("guests/links", &[("activity_id", &activity)])
        .await;
    let link_id = links[0]["id"].to_string();
    let url = links[0]["url"].as_str().unwrap().to_owned();

    let (s, body) = teacher
        .call(
            "guests/invite",
            &[
                ("activity_id", &activity),
                ("link_id", &link_id),
                ("emails", "not-an-address"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (s, sent) = teacher
        .call(
            "guests/invite",
            &[
                ("activity_id", &activity),
                ("link_id", &link_id),
                ("emails", "ana@example.org,\nben@example.org"),
            ],
        )
        .await;
    assert_eq!(s, 200, "{sent}");
    assert_eq!(sent, json!(2));

    let mut got = Vec::new();
    while got.len() < 2 {
        let line = tokio::time::timeout(std::time::Duration::from_secs(10), lines.next_line())
            .await
            .expect("a message arrives")
            .unwrap()
            .unwrap();
        got.push(serde_json::from_str::<Value>(&line).unwrap());
    }
    let m = &got[0];
    assert_eq!(m["to"], json!(["ana@example.org"]));
    assert_eq!(m["subject"], json!("Invitation: Open day"));
    assert!(m["body"].as_str().unwrap().contains(&url), "{m}");
    let ics = parse_ics(m["ics"].as_str().unwrap());
    assert_eq!(ics["SUMMARY"], "Open day");
    assert_eq!(ics["URL"], url);
    assert_eq!(ics["DURATION"], "PT1H");
}

#[tokio::test]
async fn without_an_smtp_relay_inviting_says_so() {
    let sc = scene().await;
    let (id, _) = sc.link("").await;
    let (s, body) = sc
        .teacher
        .call(
            "guests/invite",
            &[
                ("activity_id", &sc.activity),
                ("link_id", &id.to_string()),
                ("emails", "ana@example.org"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(body, json!({"Conflict": "NotConfigured"}));
}
