//! The scene the invitation and feed tests share: an owner whose series are kept in Paris time,
//! a co-owner-to-be, a stranger, an admin, a student, a course, a BBB server (the mock), and,
//! when asked, an SMTP sink on loopback that Aula sends through. Also the `.ics` framing checks
//! and the capture for `tests/support/ics_check.sh`.

use app::{
    capabilities::CourseRole,
    entities::{meeting, user},
    meetings::{occurrences::occurrences, ssr::recurrence_of},
};
use bbb::{checksum::ChecksumAlgo, fake::MockBbb};
use chrono::Datelike;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::{Value, json};

use crate::{
    guests::smtp_sink,
    helpers::{Client, TestApp, spawn_app_with},
};

type MailLines = tokio::io::Lines<tokio::io::BufReader<tokio::process::ChildStdout>>;

/// The owner, a co-owner-to-be, a stranger and an admin, with a BBB server registered.
pub struct Scene {
    pub app: TestApp,
    pub _mock: MockBbb,
    pub admin: Client,
    pub olive: Client,
    pub colin: Client,
    pub eve: Client,
    pub server: String,
    pub course: i32,
    /// The SMTP sink's process and messages; None when the site has no relay.
    pub mail: Option<(tokio::process::Child, MailLines)>,
}

/// `with_mail`: point Aula at a fresh SMTP sink.
pub async fn scene(with_mail: bool) -> Scene {
    let (mock, api) =
        crate::helpers::spawn_mock_bbb("invitations-bbb-secret", &ChecksumAlgo::ALL).await;
    let (port, mail) = if with_mail {
        let (port, child, lines) = smtp_sink().await;
        (Some(port), Some((child, lines)))
    } else {
        (None, None)
    };
    let app = spawn_app_with(|c| {
        if let Some(port) = port {
            c.smtp_host = Some("127.0.0.1".into());
            c.smtp_port = port;
            c.smtp_security = mail::SmtpSecurity::None;
            c.smtp_from = "Aula <aula@uni.test>".into();
        }
    })
    .await;
    let admin = app.login_as("root@uni.test", true).await;
    let olive = app.login_as("olive@uni.test", false).await;
    let colin = app.login_as("colin@uni.test", false).await;
    let eve = app.login_as("eve@uni.test", false).await;
    app.login_as("uma@uni.test", false).await;
    // Olive's series are kept in Paris time, across daylight saving.
    user::Entity::update_many()
        .col_expr(user::Column::TimeZone, Expr::value("Europe/Paris"))
        .col_expr(user::Column::DisplayName, Expr::value("Olive Owner"))
        .filter(user::Column::Email.eq("olive@uni.test"))
        .exec(&app.db)
        .await
        .expect("olive's zone");
    let course = app
        .course_with(
            "IV",
            &[
                ("olive@uni.test", CourseRole::EditingTeacher),
                ("uma@uni.test", CourseRole::Student),
            ],
        )
        .await;
    let server = admin
        .register_bbb("Invite BBB", &api, "invitations-bbb-secret", "sha256")
        .await;
    Scene {
        app,
        _mock: mock,
        admin,
        olive,
        colin,
        eve,
        server,
        course,
        mail,
    }
}

/// Next Monday's date (UTC), so the series starts in the future.
pub fn next_monday() -> chrono::NaiveDate {
    let today = chrono::Utc::now().date_naive();
    today + chrono::Days::new(u64::from(7 - today.weekday().num_days_from_monday()))
}

impl Scene {
    /// Olive's weekly seminar on Mondays and Wednesdays at 09:00 Paris time for 90 minutes, open
    /// to anyone with the link and its code; `extra` replaces or adds fields. Returns
    /// (id, public_id).
    pub async fn seminar(&self, extra: &[(&str, &str)]) -> (String, String) {
        let start = format!("{}T09:00", next_monday());
        let until = (next_monday() + chrono::Days::new(200)).to_string();
        let welcome = "Welcome to the thesis seminar: bring the current draft of your chapter, \
                       and questions for the group.";
        let mut form: Vec<(&str, &str)> = vec![
            ("name", "Thesis seminar"),
            ("welcome", welcome),
            ("starts_at", &start),
            ("duration_minutes", "90"),
            ("frequency", "weekly"),
            ("interval", "1"),
            ("weekdays[]", "1"),
            ("weekdays[]", "3"),
            ("ends", "until"),
            ("until", &until),
            ("access", "link"),
            ("access_code", "owl-2231"),
            ("server_id", &self.server),
            ("allow_start_stop_recording", "on"),
        ];
        form.retain(|(k, _)| !extra.iter().any(|(e, _)| e == k && *k != "weekdays[]"));
        form.extend_from_slice(extra);
        let (s, id) = self.olive.call("meetings/create", &form).await;
        assert_eq!(s, 200, "{id}");
        let id = id.to_string();
        let (_, f) = self
            .olive
            .call("meetings/form", &[("meeting_id", &id)])
            .await;
        (id, f["public_id"].as_str().expect("public id").to_owned())
    }

    pub async fn invite(&self, who: &Client, id: &str, emails: &str) -> (StatusCode, Value) {
        who.call("meetings/invite", &[("meeting_id", id), ("emails", emails)])
            .await
    }

    /// The next `n` messages the SMTP sink received.
    pub async fn mails(&mut self, n: usize) -> Vec<Value> {
        let (_, lines) = self.mail.as_mut().expect("a scene with mail");
        let mut got = Vec::new();
        while got.len() < n {
            let line = tokio::time::timeout(std::time::Duration::from_secs(10), lines.next_line())
                .await
                .expect("a message arrives")
                .expect("sink output")
                .expect("a line");
            got.push(serde_json::from_str(&line).expect("json"));
        }
        got
    }

    pub async fn row(&self, id: &str) -> meeting::Model {
        meeting::Entity::find_by_id(id.parse::<i32>().expect("id"))
            .one(&self.app.db)
            .await
            .expect("db")
            .expect("meeting")
    }
}

/// The raw text's lines, each checked for RFC 5545's framing: CRLF only, at most 75 octets.
pub fn lines_of(ics: &str) -> Vec<&str> {
    assert!(ics.ends_with("\r\n"), "ends with CRLF");
    let lines: Vec<&str> = ics.split("\r\n").collect();
    for line in &lines {
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "bare LF: {line:?}"
        );
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    lines
}

/// The content lines, unfolded.
pub fn unfold(ics: &str) -> Vec<String> {
    ics.replace("\r\n ", "")
        .split("\r\n")
        .map(str::to_owned)
        .collect()
}

/// Writes `ics` and what Aula computed for its events where `ics_check.sh` reads them.
pub fn capture(name: &str, method: Option<&str>, ics: &str, events: Value) {
    let Ok(dir) = std::env::var("AULA_ICS_CAPTURE_DIR") else {
        return;
    };
    let dir = std::path::Path::new(&dir);
    std::fs::create_dir_all(dir).expect("capture dir");
    std::fs::write(dir.join(format!("{name}.ics")), ics).expect("write ics");
    let expected = json!({ "method": method, "events": events });
    std::fs::write(dir.join(format!("{name}.json")), expected.to_string()).expect("write json");
}

/// What `ics_check.py` compares a meeting's event with: Aula's own occurrences.
pub fn expected_meeting(m: &meeting::Model) -> Value {
    let rule = recurrence_of(m);
    json!({
        "occurrences": occurrences(m.starts_at, &m.time_zone, rule.as_ref(), usize::MAX),
        "duration": i64::from(m.duration_minutes) * 60,
        "summary": m.name,
        "tz": m.time_zone,
    })
}
