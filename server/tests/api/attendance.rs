//! The heartbeat endpoint and the reports, end to end over HTTP. Time is moved with the test
//! server's adjustable clock (`POST /__test/clock`), so minutes pass without waiting.

use app::capabilities::CourseRole;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ActivityForm, Client, TestApp, spawn_app_with};

pub(crate) const S: i64 = 1000;
const MIN: i64 = 60 * S;

pub(crate) struct Scene {
    pub(crate) app: TestApp,
    pub(crate) teacher: Client,
    pub(crate) student: Client,
    outsider: Client,
    pub(crate) activity: String,
    pub(crate) course: i32,
}

/// A course with a teacher and a student, an activity open for the next hour that completes
/// after 3 minutes, and an outsider enrolled elsewhere.
pub(crate) async fn scene() -> Scene {
    scene_with(|_| {}).await
}

/// The same scene on a server with its configuration adjusted.
pub(crate) async fn scene_with(adjust: impl FnOnce(&mut server::config::Config)) -> Scene {
    let app = spawn_app_with(adjust).await;
    let teacher = app.login_as("tom@uni.test", false).await;
    let student = app.login_as("sam@uni.test", false).await;
    let outsider = app.login_as("eve@uni.test", false).await;
    let course = app
        .course_with(
            "C1",
            &[
                ("tom@uni.test", CourseRole::EditingTeacher),
                ("sam@uni.test", CourseRole::Student),
            ],
        )
        .await;
    app.course_with("C2", &[("eve@uni.test", CourseRole::Student)])
        .await;
    let (s, id) = teacher
        .create_activity(
            course,
            ActivityForm {
                completion: "3",
                ..ActivityForm::open_now("Live lecture")
            },
        )
        .await;
    assert_eq!(s, 200, "{id}");
    Scene {
        app,
        teacher,
        student,
        outsider,
        activity: id.to_string(),
        course,
    }
}

impl Scene {
    /// Moves the server's attendance clock forward.
    pub(crate) async fn advance(&self, ms: i64) {
        let res = self
            .student
            .http
            .post(format!("{}/__test/clock", self.app.base))
            .header("sec-fetch-site", "same-origin")
            .json(&json!({ "ms": ms }))
            .send()
            .await
            .expect("clock");
        assert_eq!(res.status(), 200);
    }

    async fn minutes(&self, c: &Client) -> i64 {
        let (s, v) = c
            .call("attendance/mine", &[("activity_id", &self.activity)])
            .await;
        assert_eq!(s, 200, "{v}");
        v["minutes"].as_i64().expect("minutes")
    }

    async fn report(&self) -> Value {
        let (s, v) = self
            .teacher
            .call("attendance/activity", &[("activity_id", &self.activity)])
            .await;
        assert_eq!(s, 200, "{v}");
        v
    }
}

/// Opens an attendance session as the browser does on `videoConferenceJoined`.
async fn open(c: &Client, activity: &str, client_ms: i64) -> (StatusCode, Value) {
    c.call(
        "attendance/open",
        &[
            ("activity_id", activity),
            ("client_ms", &client_ms.to_string()),
        ],
    )
    .await
}

pub(crate) async fn open_ok(c: &Client, activity: &str, client_ms: i64) -> String {
    let (s, v) = open(c, activity, client_ms).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["heartbeat_ms"], json!(30_000));
    v["token"].as_str().expect("token").to_owned()
}

async fn beat(c: &Client, token: &str, beats: &[(i64, i64)], close: bool) -> (StatusCode, Value) {
    let b: Vec<Value> = beats
        .iter()
        .map(|(seq, at)| json!({ "seq": seq, "at": at }))
        .collect();
    post_raw(
        c,
        &json!({ "t": token, "b": b, "close": close }).to_string(),
    )
    .await
}

async fn post_raw(c: &Client, body: &str) -> (StatusCode, Value) {
    let res = c
        .http
        .post(format!("{}/attendance/beat", c.base))
        .header("sec-fetch-site", "same-origin")
        .header("content-type", "text/plain")
        .body(body.to_owned())
        .send()
        .await
        .expect("beat");
    let status = res.status();
    let text = res.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// `n` heartbeats 30 s apart on both clocks, starting after `first_seq - 1` earlier ones.
pub(crate) async fn beat_for(
    sc: &Scene,
    c: &Client,
    token: &str,
    client0: i64,
    first_seq: i64,
    n: i64,
) {
    for seq in first_seq..first_seq + n {
        sc.advance(30 * S).await;
        let (s, v) = beat(c, token, &[(seq, client0 + seq * 30 * S)], false).await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["accepted"], json!(1), "{v}");
    }
}

#[tokio::test]
async fn five_minutes_in_the_meeting_are_five_minutes_in_the_report() {
    let sc = scene().await;
    let t0 = 1_000_000;
    let token = open_ok(&sc.student, &sc.activity, t0).await;
    beat_for(&sc, &sc.student, &token, t0, 1, 10).await;
    assert_eq!(sc.minutes(&sc.student).await, 5);
    let r = sc.report().await;
    let row = &r["rows"][0];
    assert_eq!(row["name"], json!("sam"));
    assert_eq!(row["minutes"], json!(5));
    assert_eq!(row["completed"], json!(true), "completion after 3 minutes");
    assert_eq!(row["sessions"], json!(1));
    assert!(!row["bars"].as_array().unwrap().is_empty(), "timeline bar");
}

#[tokio::test]
async fn two_tabs_of_one_person_count_once() {
    let sc = scene().await;
    let a = open_ok(&sc.student, &sc.activity, 0).await;
    let b = open_ok(&sc.student, &sc.activity, 500).await;
    for seq in 1..=8 {
        sc.advance(30 * S).await;
        for (token, base) in [(&a, 0), (&b, 500)] {
            let (s, v) = beat(&sc.student, token, &[(seq, base + seq * 30 * S)], false).await;
            assert_eq!(s, 200, "{v}");
        }
    }
    assert_eq!(sc.minutes(&sc.student).await, 4);
    let r = sc.report().await;
    assert_eq!(r["rows"][0]["sessions"], json!(2));
}

#[tokio::test]
async fn a_retried_heartbeat_adds_nothing() {
    let sc = scene().await;
    let token = open_ok(&sc.student, &sc.activity, 0).await;
    sc.advance(30 * S).await;
    let (_, first) = beat(&sc.student, &token, &[(1, 30 * S)], false).await;
    assert_eq!(first["accepted"], json!(1));
    sc.advance(50 * S).await;
    let (s, again) = beat(&sc.student, &token, &[(1, 30 * S)], false).await;
    assert_eq!(s, 200);
    assert_eq!(again["accepted"], json!(0));
    assert_eq!(again["ignored"], json!(1));
    let (_, person) = sc
        .teacher
        .call(
            "attendance/person",
            &[
                ("activity_id", &sc.activity),
                ("user_id", &person_id(&sc).await),
            ],
        )
        .await;
    assert_eq!(person["intervals"].as_array().unwrap().len(), 1);
    assert_eq!(
        person["intervals"][0]["minutes"],
        json!(1),
        "30 s rounds to one minute"
    );
}

async fn person_id(sc: &Scene) -> String {
    let r = sc.report().await;
    r["rows"][0]["user_id"].to_string()
}

#[tokio::test]
async fn a_silence_longer_than_the_grace_period_closes_the_interval() {
    let sc = scene().await;
    let token = open_ok(&sc.student, &sc.activity, 0).await;
    beat_for(&sc, &sc.student, &token, 0, 1, 4).await; // 2 minutes
    // The browser says nothing for 5 minutes (tab frozen), then beats again.
    sc.advance(5 * MIN).await;
    let (s, v) = beat(&sc.student, &token, &[(5, 2 * MIN + 5 * MIN)], false).await;
    assert_eq!(s, 200, "{v}");
    // Then two more beats 30 s apart (beat n is taken at 7 min + (n - 5) × 30 s).
    beat_for(&sc, &sc.student, &token, 7 * MIN - 5 * 30 * S, 6, 2).await;
    assert_eq!(
        sc.minutes(&sc.student).await,
        3,
        "the silent 5 minutes do not count"
    );
    let (_, person) = sc
        .teacher
        .call(
            "attendance/person",
            &[
                ("activity_id", &sc.activity),
                ("user_id", &person_id(&sc).await),
            ],
        )
        .await;
    let ivs = person["intervals"].as_array().unwrap();
    assert_eq!(ivs.len(), 2, "{person}");
    assert_eq!(ivs[0]["minutes"], json!(2));
}

#[tokio::test]
async fn heartbeats_held_back_while_offline_are_credited_when_they_arrive() {
    let sc = scene().await;
    let token = open_ok(&sc.student, &sc.activity, 0).await;
    // Five minutes pass with the network down; the browser keeps taking beats.
    sc.advance(5 * MIN).await;
    let held: Vec<(i64, i64)> = (1..=10).map(|i| (i, i * 30 * S)).collect();
    let (s, v) = beat(&sc.student, &token, &held, false).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["accepted"], json!(10));
    assert_eq!(sc.minutes(&sc.student).await, 5);
    // Delivered twice (a retry after a lost answer): nothing changes.
    let (_, v) = beat(&sc.student, &token, &held, false).await;
    assert_eq!(v["ignored"], json!(10));
    assert_eq!(sc.minutes(&sc.student).await, 5);
}

#[tokio::test]
async fn a_browser_clock_hours_off_counts_the_same() {
    let sc = scene().await;
    let skewed = chrono::Utc::now().timestamp_millis() + 3 * 3600 * S;
    let token = open_ok(&sc.student, &sc.activity, skewed).await;
    beat_for(&sc, &sc.student, &token, skewed, 1, 6).await;
    assert_eq!(sc.minutes(&sc.student).await, 3);
}

#[tokio::test]
async fn beats_from_the_future_are_ignored_and_add_nothing() {
    let sc = scene().await;
    let token = open_ok(&sc.student, &sc.activity, 0).await;
    sc.advance(30 * S).await;
    // Claims an hour after only 30 s of server time.
    let (s, v) = beat(&sc.student, &token, &[(1, 3600 * S)], false).await;
    assert_eq!(s, 200);
    assert_eq!(v["ignored"], json!(1));
    assert_eq!(sc.minutes(&sc.student).await, 0);
    // A browser claiming more than the server saw between two receipts is capped.
    sc.advance(20 * S).await;
    let (_, v) = beat(&sc.student, &token, &[(2, 55 * S)], false).await;
    assert_eq!(v["accepted"], json!(1));
    let (_, mine) = sc
        .student
        .call(
            "attendance/person",
            &[
                ("activity_id", &sc.activity),
                ("user_id", &person_id(&sc).await),
            ],
        )
        .await;
    assert_eq!(
        mine["intervals"][0]["minutes"],
        json!(1),
        "50 s, not 55: {mine}"
    );
}

#[tokio::test]
async fn callers_who_may_not_view_the_activity_get_403() {
    let sc = scene().await;
    let (s, _) = open(&sc.outsider, &sc.activity, 0).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let token = open_ok(&sc.student, &sc.activity, 0).await;
    sc.advance(30 * S).await;
    // Someone else's token, sent with the outsider's own cookie.
    let (s, v) = beat(&sc.outsider, &token, &[(1, 30 * S)], false).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    assert_eq!(v["error"], json!("forbidden"));
    // The teacher may view the activity but is not the token's owner.
    let (s, _) = beat(&sc.teacher, &token, &[(1, 30 * S)], false).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    for endpoint in [
        "attendance/presence",
        "attendance/activity",
        "attendance/mine",
    ] {
        let (s, _) = sc
            .outsider
            .call(endpoint, &[("activity_id", &sc.activity)])
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{endpoint}");
    }
    assert_eq!(sc.minutes(&sc.student).await, 0);
}

#[tokio::test]
async fn malformed_unknown_and_anonymous_heartbeats_are_refused() {
    let sc = scene().await;
    let token = open_ok(&sc.student, &sc.activity, 0).await;
    let (s, v) = post_raw(&sc.student, "{not json").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"], json!("malformed"));
    let (s, _) = post_raw(&sc.student, r#"{"t": 5}"#).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, v) = beat(&sc.student, "a1.1.1.1.1.1.deadbeef", &[(1, 1)], false).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(v["error"], json!("unknown_session"));
    let forged = token.replacen(".", ".9", 2);
    let (s, _) = beat(&sc.student, &forged, &[(1, 1)], false).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let anonymous = sc.app.client();
    let (s, _) = beat(&anonymous, &token, &[(1, 30 * S)], false).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let too_many: Vec<(i64, i64)> = (1..=401).map(|i| (i, i)).collect();
    let (s, _) = beat(&sc.student, &token, &too_many, false).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn heartbeats_after_the_activity_closes_are_rejected_with_a_reason() {
    let sc = scene().await;
    let token = open_ok(&sc.student, &sc.activity, 0).await;
    sc.advance(2 * 3600 * S).await;
    let (s, v) = beat(&sc.student, &token, &[(1, 7200 * S)], false).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert_eq!(v["error"], json!("activity_closed"));
    assert!(v["message"].as_str().unwrap().contains("closed"));
    let (s, _) = open(&sc.student, &sc.activity, 0).await;
    assert_eq!(s, StatusCode::CONFLICT, "no new sessions either");
}

#[tokio::test]
async fn leaving_closes_the_session_and_presence_follows_the_heartbeats() {
    let sc = scene().await;
    let token = open_ok(&sc.student, &sc.activity, 0).await;
    beat_for(&sc, &sc.student, &token, 0, 1, 2).await;
    let (s, p) = sc
        .teacher
        .call("attendance/presence", &[("activity_id", &sc.activity)])
        .await;
    assert_eq!(s, 200, "{p}");
    assert_eq!(p["people"][0]["name"], json!("sam"));
    let (s, _) = sc
        .student
        .call("attendance/presence", &[("activity_id", &sc.activity)])
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "students do not see who is in");

    sc.advance(10 * S).await;
    let (s, v) = beat(&sc.student, &token, &[(3, 70 * S)], true).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["open"], json!(false));
    let (_, p) = sc
        .teacher
        .call("attendance/presence", &[("activity_id", &sc.activity)])
        .await;
    assert_eq!(p["people"], json!([]));
    let (s, v) = beat(&sc.student, &token, &[(4, 100 * S)], false).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(v["error"], json!("session_closed"));
    // 70 s in all: the final beat of the close counts, nothing after it.
    let (_, person) = sc
        .student
        .call(
            "attendance/person",
            &[
                ("activity_id", &sc.activity),
                ("user_id", &person_id(&sc).await),
            ],
        )
        .await;
    assert_eq!(person["intervals"][0]["live"], json!(false));
    assert_eq!(sc.minutes(&sc.student).await, 1);
}

#[tokio::test]
async fn a_student_sees_only_their_own_row_and_cannot_export() {
    let sc = scene().await;
    sc.app.create_user("ann@uni.test", "ann", false).await;
    let (s, r) = sc
        .student
        .call("attendance/activity", &[("activity_id", &sc.activity)])
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["own_only"], json!(true));
    assert_eq!(r["rows"].as_array().unwrap().len(), 1);
    assert_eq!(r["rows"][0]["name"], json!("sam"));
    let (s, _) = sc
        .student
        .get(&format!("/activities/{}/attendance.csv", sc.activity))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_csv_and_xlsx_exports_hold_the_report() {
    let sc = scene().await;
    let token = open_ok(&sc.student, &sc.activity, 0).await;
    beat_for(&sc, &sc.student, &token, 0, 1, 4).await;
    let (s, csv) = sc
        .teacher
        .get(&format!("/activities/{}/attendance.csv", sc.activity))
        .await;
    assert_eq!(s, 200, "{csv}");
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "Name");
    assert_eq!(&headers[2], "Minutes");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][0], "sam");
    assert_eq!(&rows[0][2], "2");
    let res = sc
        .teacher
        .http
        .get(format!(
            "{}/activities/{}/attendance.xlsx",
            sc.app.base, sc.activity
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );
    assert!(res.bytes().await.unwrap().starts_with(b"PK"));
    let (s, _) = sc
        .teacher
        .get(&format!(
            "/activities/{}/attendance.csv?from=2026-13-01",
            sc.activity
        ))
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a bad date is refused, not ignored"
    );
}
