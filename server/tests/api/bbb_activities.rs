//! Course activities on BigBlueButton: the server registry's BBB entries, and joining through
//! Aula (create with callback URLs, role from the caller's capability) against the mock BBB.

use app::capabilities::CourseRole;
use bbb::checksum::ChecksumAlgo;
use bbb::fake::MockBbb;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{ActivityForm, Client, TestApp, spawn_app};

const SECRET: &str = "bbb-shared-secret-42";

struct Scene {
    app: TestApp,
    mock: MockBbb,
    api: String,
    admin: Client,
    teacher: Client,
    student: Client,
    course: i32,
}

async fn scene(allowed: &[ChecksumAlgo]) -> Scene {
    let (mock, api) = crate::helpers::spawn_mock_bbb(SECRET, allowed).await;
    let app = spawn_app().await;
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
    Scene {
        app,
        mock,
        api,
        admin,
        teacher,
        student,
        course,
    }
}

impl Scene {
    async fn bbb_server(&self, secret: &str, algo: &str) -> String {
        self.admin
            .register_bbb("Campus BBB", &self.api, secret, algo)
            .await
    }

    async fn bbb_activity(&self, server: &str) -> String {
        let (s, id) = self
            .teacher
            .create_activity(
                self.course,
                ActivityForm {
                    server,
                    ..ActivityForm::open_now("Optics Lab")
                },
            )
            .await;
        assert_eq!(s, 200, "{id}");
        id.to_string()
    }
}

fn redirect_of(ticket: &Value) -> String {
    ticket["redirect_url"]
        .as_str()
        .unwrap_or_else(|| panic!("no redirect in {ticket}"))
        .to_owned()
}

fn param(url: &str, name: &str) -> Option<String> {
    let q = url.split_once('?')?.1;
    form_urlencoded::parse(q.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn an_admin_registers_a_bbb_server_whose_secret_never_comes_back_and_tests_it() {
    let sc = scene(&ChecksumAlgo::ALL).await;
    let id = sc.bbb_server(SECRET, "sha512").await;
    let (s, list) = sc.admin.call("admin/servers", &[]).await;
    assert_eq!(s, 200);
    let text = list.to_string();
    assert!(!text.contains(SECRET), "the secret leaked: {text}");
    let row = list
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["id"] == id.parse::<i64>().expect("id"))
        .expect("row");
    assert_eq!(row["kind"], "Bbb");
    assert_eq!(row["checksum_algo"], "sha512");
    assert_eq!(row["has_secret"], true);

    let (s, test) = sc.admin.call("admin/servers/test", &[("id", &id)]).await;
    assert_eq!(s, 200);
    assert_eq!(test["ok"], true, "{test}");
    assert_eq!(test["detail"], "2.0");

    // A teacher may not touch the registry.
    let (s, _) = sc.teacher.call("admin/servers", &[]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn bad_bbb_server_forms_are_refused_field_by_field() {
    let sc = scene(&ChecksumAlgo::ALL).await;
    let (s, e) = sc
        .admin
        .call(
            "admin/servers/save",
            &[
                ("name", "BBB"),
                ("base_url", "bbb.example/bigbluebutton/api?x"),
                ("kind", "bbb"),
                ("secret", ""),
                ("checksum_algo", "md5"),
            ],
        )
        .await;
    assert_eq!(s, 422);
    let text = e.to_string();
    for field in ["base_url", "secret", "checksum_algo"] {
        assert!(text.contains(field), "{field} missing in {text}");
    }
}

#[tokio::test]
async fn a_teacher_joins_a_bbb_activity_as_moderator_and_a_student_as_viewer() {
    let sc = scene(&ChecksumAlgo::ALL).await;
    let server = sc.bbb_server(SECRET, "sha256").await;
    let activity = sc.bbb_activity(&server).await;

    let (s, info) = sc
        .student
        .call("activities/info", &[("activity_id", &activity)])
        .await;
    assert_eq!(s, 200, "{info}");
    assert_eq!(info["bbb"], true);

    let (s, ticket) = sc
        .teacher
        .call("activities/join", &[("activity_id", &activity)])
        .await;
    assert_eq!(s, 200, "{ticket}");
    let url = redirect_of(&ticket);
    assert!(url.starts_with(&format!("{}/join?", sc.api)), "{url}");
    assert_eq!(param(&url, "role").as_deref(), Some("MODERATOR"));
    assert_eq!(param(&url, "fullName").as_deref(), Some("tom"));
    let meeting_id = param(&url, "meetingID").expect("meetingID");
    assert_eq!(
        meeting_id.len(),
        40,
        "a random id, not the name: {meeting_id}"
    );
    assert!(!meeting_id.to_lowercase().contains("optics"));

    // The mock accepts the signed URL and lets the teacher in as a moderator.
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http");
    let res = http.get(&url).send().await.expect("join");
    assert_eq!(res.status(), 302, "{:?}", res.text().await);
    let to = res.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    assert!(to.contains("role=MODERATOR"), "{to}");

    // Create carried Aula's callbacks; the end callback carries our signature.
    let calls = sc.mock.state.lock().expect("mock").calls.clone();
    let create = calls.iter().find(|c| c.call == "create").expect("create");
    assert!(create.checksum_ok);
    assert_eq!(create.params["meetingID"], meeting_id);
    assert_eq!(create.params["name"], "Optics Lab");
    // Without kept events BBB would never send the analytics report attendance relies on.
    assert_eq!(create.params["meetingKeepEvents"], "true");
    assert!(
        create.params["meta_bbb-recording-ready-url"].ends_with("/bbb/recording-ready"),
        "{:?}",
        create.params
    );
    assert!(create.params["meta_analytics-callback-url"].ends_with("/bbb/analytics"));
    assert!(
        create.params["meta_endCallbackUrl"].contains(&format!("/bbb/ended/{meeting_id}?sig=")),
        "{:?}",
        create.params
    );

    let (s, ticket) = sc
        .student
        .call("activities/join", &[("activity_id", &activity)])
        .await;
    assert_eq!(s, 200, "{ticket}");
    let url = redirect_of(&ticket);
    assert_eq!(param(&url, "role").as_deref(), Some("VIEWER"));
    assert_eq!(
        param(&url, "meetingID").as_deref(),
        Some(meeting_id.as_str())
    );
    assert!(param(&url, "createTime").is_some());
    let res = http.get(&url).send().await.expect("join");
    assert_eq!(res.status(), 302);
}

#[tokio::test]
async fn outsiders_cannot_join_and_a_renamed_activity_keeps_its_meeting_id() {
    let sc = scene(&ChecksumAlgo::ALL).await;
    let server = sc.bbb_server(SECRET, "sha1").await;
    let activity = sc.bbb_activity(&server).await;
    let outsider = sc.app.login_as("eve@uni.test", false).await;
    let (s, _) = outsider
        .call("activities/join", &[("activity_id", &activity)])
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    let (_, first) = sc
        .teacher
        .call("activities/join", &[("activity_id", &activity)])
        .await;
    let before = param(&redirect_of(&first), "meetingID");
    let course = sc.course.to_string();
    let (s, e) = sc
        .teacher
        .call(
            "activities/update",
            &[
                ("course_id", &course),
                ("activity_id", &activity),
                ("name", "Optics Lab (renamed)"),
                ("description", ""),
                (
                    "opens_at",
                    &crate::helpers::local(crate::helpers::now() - 60),
                ),
                (
                    "closes_at",
                    &crate::helpers::local(crate::helpers::now() + 3600),
                ),
                ("early_entry_minutes", "0"),
                ("completion_minutes", ""),
                ("server_id", &server),
            ],
        )
        .await;
    assert_eq!(s, 200, "{e}");
    let (_, again) = sc
        .teacher
        .call("activities/join", &[("activity_id", &activity)])
        .await;
    assert_eq!(param(&redirect_of(&again), "meetingID"), before);
}

#[tokio::test]
async fn a_misconfigured_secret_is_reported_in_plain_words_not_as_a_crash() {
    let sc = scene(&ChecksumAlgo::ALL).await;
    let server = sc.bbb_server("not-the-right-secret", "sha256").await;
    let activity = sc.bbb_activity(&server).await;
    let (s, e) = sc
        .teacher
        .call("activities/join", &[("activity_id", &activity)])
        .await;
    assert_eq!(s, StatusCode::BAD_GATEWAY, "{e}");
    assert!(e.to_string().contains("BbbChecksum"), "{e}");
}

#[tokio::test]
async fn a_server_that_only_allows_sha512_works_when_the_registry_says_so() {
    let sc = scene(&[ChecksumAlgo::Sha512]).await;
    let server = sc.bbb_server(SECRET, "sha512").await;
    let activity = sc.bbb_activity(&server).await;
    let (s, ticket) = sc
        .student
        .call("activities/join", &[("activity_id", &activity)])
        .await;
    assert_eq!(s, 200, "{ticket}");
    let checksum = param(&redirect_of(&ticket), "checksum").expect("checksum");
    assert_eq!(checksum.len(), 128);
}

#[tokio::test]
async fn admins_see_live_meetings_on_bbb_servers_and_end_one() {
    let sc = scene(&ChecksumAlgo::ALL).await;
    let server = sc.bbb_server(SECRET, "sha256").await;
    let activity = sc.bbb_activity(&server).await;
    let (_, ticket) = sc
        .teacher
        .call("activities/join", &[("activity_id", &activity)])
        .await;
    let url = redirect_of(&ticket);
    let meeting_id = param(&url, "meetingID").expect("meetingID");
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http");
    assert_eq!(http.get(&url).send().await.expect("join").status(), 302);

    let (s, _) = sc.teacher.call("admin/live", &[]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, live) = sc.admin.call("admin/live", &[]).await;
    assert_eq!(s, 200, "{live}");
    let m = &live[0]["meetings"][0];
    assert_eq!(m["meeting_id"], meeting_id.as_str());
    assert_eq!(m["name"], "Optics Lab");
    assert_eq!(m["aula_link"], format!("/activities/{activity}"));
    assert_eq!(m["attendees"][0], "tom");
    assert_eq!(m["running"], true);

    let (s, e) = sc
        .teacher
        .call(
            "admin/live/end",
            &[("server_id", &server), ("meeting_id", &meeting_id)],
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    let (s, e) = sc
        .admin
        .call(
            "admin/live/end",
            &[("server_id", &server), ("meeting_id", &meeting_id)],
        )
        .await;
    assert_eq!(s, 200, "{e}");
    let (_, live) = sc.admin.call("admin/live", &[]).await;
    assert_eq!(
        live[0]["meetings"].as_array().map(Vec::len),
        Some(0),
        "{live}"
    );
    let (s, _) = sc
        .admin
        .call(
            "admin/live/end",
            &[("server_id", &server), ("meeting_id", "no-such-meeting")],
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}
