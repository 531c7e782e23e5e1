//! The scene of the BigBlueButton callback and recording tests (`bbb_recordings.rs`,
//! `bbb_attendance.rs`): the mock BBB, Aula (optionally sending mail to a real SMTP server on
//! loopback), a course with a teacher and a student, and an activity on BBB that the teacher has
//! started; plus the mock's back office as the tests drive it.

use std::time::Duration;

use app::{capabilities::CourseRole, entities::user};
use bbb::checksum::ChecksumAlgo;
use bbb::fake::MockBbb;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use tokio::{
    io::{BufReader, Lines},
    process::{Child, ChildStdout},
};

use crate::helpers::{ActivityForm, Client, TestApp, spawn_app_with};

pub(crate) const SECRET: &str = "bbb-callback-secret";

pub(crate) struct Scene {
    pub(crate) app: TestApp,
    pub(crate) mock: MockBbb,
    /// `http://127.0.0.1:<port>` of the mock (its back office is under `/__mock`).
    pub(crate) mock_base: String,
    pub(crate) teacher: Client,
    pub(crate) student: Client,
    pub(crate) course: i32,
    pub(crate) server: String,
    pub(crate) activity: String,
    /// The BBB `meetingID` of the activity's room (the teacher has joined, so it runs).
    pub(crate) meeting_id: String,
    mail: Option<Lines<BufReader<ChildStdout>>>,
    _sink: Option<Child>,
}

/// A course with a teacher and a student, a BBB server, and an activity on it (completing after
/// `completion` minutes) that the teacher has started. With `mail`, Aula sends through a real
/// SMTP server on loopback.
pub(crate) async fn scene(mail: bool, completion: &str) -> Scene {
    let (mock, api) = crate::helpers::spawn_mock_bbb(SECRET, &ChecksumAlgo::ALL).await;
    let (sink, lines) = if mail {
        let (port, child, lines) = crate::guests::smtp_sink().await;
        (Some((port, child)), Some(lines))
    } else {
        (None, None)
    };
    let port = sink.as_ref().map(|(p, _)| *p);
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
    let server = admin
        .register_bbb("Campus BBB", &api, SECRET, "sha256")
        .await;
    let mut sc = Scene {
        app,
        mock,
        mock_base: api.trim_end_matches("/bigbluebutton/api").to_owned(),
        teacher,
        student,
        course,
        server,
        activity: String::new(),
        meeting_id: String::new(),
        mail: lines,
        _sink: sink.map(|(_, child)| child),
    };
    sc.activity = sc.activity_on_bbb("Optics Lab", completion).await;
    sc.meeting_id = sc.start(&sc.activity).await;
    sc
}

impl Scene {
    pub(crate) async fn activity_on_bbb(&self, name: &str, completion: &str) -> String {
        let (s, id) = self
            .teacher
            .create_activity(
                self.course,
                ActivityForm {
                    server: &self.server,
                    completion,
                    ..ActivityForm::open_now(name)
                },
            )
            .await;
        assert_eq!(s, 200, "{id}");
        id.to_string()
    }

    /// The teacher joins: Aula creates the room's meeting on BBB; returns its `meetingID`.
    pub(crate) async fn start(&self, activity: &str) -> String {
        let (s, ticket) = self
            .teacher
            .call("activities/join", &[("activity_id", activity)])
            .await;
        assert_eq!(s, 200, "{ticket}");
        param(
            ticket["redirect_url"].as_str().expect("redirect"),
            "meetingID",
        )
        .expect("meetingID")
    }

    pub(crate) async fn user_id(&self, email: &str) -> i32 {
        user::Entity::find()
            .filter(user::Column::Email.eq(email))
            .one(&self.app.db)
            .await
            .expect("db")
            .expect("user")
            .id
    }

    /// POSTs to the mock's back office.
    pub(crate) async fn backoffice(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let res = reqwest::Client::new()
            .post(format!("{}/__mock/{path}", self.mock_base))
            .json(&body)
            .send()
            .await
            .expect("back office");
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// Seeds a recording of `meeting_id` in the mock; returns its record id.
    pub(crate) async fn seed(&self, meeting_id: &str, extra: Value) -> String {
        let mut body = json!({ "meeting_id": meeting_id });
        if let (Some(b), Value::Object(e)) = (body.as_object_mut(), extra) {
            b.extend(e);
        }
        let (s, r) = self.backoffice("recordings", body).await;
        assert_eq!(s, 201, "{r}");
        r["record_id"].as_str().expect("record id").to_owned()
    }

    /// Has the mock fire the recording-ready callback; returns the status Aula answered.
    pub(crate) async fn notify(&self, record_id: &str, body: Value) -> Value {
        let (s, r) = self
            .backoffice(&format!("recordings/{record_id}/notify-ready"), body)
            .await;
        assert_eq!(s, 200, "{r}");
        r["status"].clone()
    }

    pub(crate) async fn list(&self, who: &Client, owner: &str) -> (StatusCode, Value) {
        who.call("rooms/recordings", &[("owner", owner)]).await
    }

    pub(crate) fn activity_owner(&self) -> String {
        format!("activity-{}", self.activity)
    }

    /// The next e-mail the SMTP server received, if one arrives within `wait`.
    pub(crate) async fn next_mail(&mut self, wait: Duration) -> Option<Value> {
        let lines = self.mail.as_mut()?;
        let line = tokio::time::timeout(wait, lines.next_line())
            .await
            .ok()?
            .ok()??;
        serde_json::from_str(&line).ok()
    }

    pub(crate) fn mock_recording(&self, record_id: &str) -> bbb::fake::Recording {
        self.mock
            .state
            .lock()
            .expect("mock")
            .recordings
            .iter()
            .find(|r| r.record_id == record_id)
            .cloned()
            .expect("seeded")
    }
}

pub(crate) fn param(url: &str, name: &str) -> Option<String> {
    let q = url.split_once('?')?.1;
    form_urlencoded::parse(q.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}
