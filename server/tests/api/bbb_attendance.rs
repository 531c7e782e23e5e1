//! BigBlueButton's analytics callback, end to end: the mock sends the report the way BBB does
//! (bbbevents JSON, HS512 bearer), Aula verifies it, stores the session log and merges each
//! person's presence into attendance, so the activity report, completion, `attendance/mine` and
//! the course report count BBB time.

use app::entities::attendance_summary;
use reqwest::StatusCode;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::{
    bbb_scene::{Scene, param, scene},
    helpers::{Client, local, now},
};

const MIN: i64 = 60_000;

/// Now in Unix ms (the report's instants are real times, as BBB's are).
fn now_ms() -> i64 {
    now() * 1000
}

impl Scene {
    /// Has the mock send the analytics report of the room's current run.
    async fn report(&self, attendees: Value, extra: Value) -> Value {
        let mut body = json!({ "attendees": attendees });
        if let (Some(b), Value::Object(e)) = (body.as_object_mut(), extra) {
            b.extend(e);
        }
        let (s, r) = self
            .backoffice(
                &format!("meetings/{}/send-analytics", self.meeting_id),
                body,
            )
            .await;
        assert_eq!(s, 200, "{r}");
        r["status"].clone()
    }

    async fn mine(&self, who: &Client) -> Value {
        let (s, v) = who
            .call("attendance/mine", &[("activity_id", &self.activity)])
            .await;
        assert_eq!(s, 200, "{v}");
        v
    }

    async fn sessions(&self, who: &Client) -> (StatusCode, Value) {
        who.call(
            "rooms/sessions",
            &[("owner", &format!("activity-{}", self.activity))],
        )
        .await
    }

    async fn row_of(&self, name: &str) -> Value {
        let (s, r) = self
            .teacher
            .call("attendance/activity", &[("activity_id", &self.activity)])
            .await;
        assert_eq!(s, 200, "{r}");
        r["rows"]
            .as_array()
            .and_then(|rows| rows.iter().find(|row| row["name"] == json!(name)))
            .cloned()
            .unwrap_or_else(|| panic!("no row for {name} in {r}"))
    }
}

async fn stored(sc: &Scene) -> u64 {
    attendance_summary::Entity::find()
        .count(&sc.app.db)
        .await
        .expect("count")
}

/// Someone present from `from` to `to` minutes relative to now, with some engagement.
fn stay(ext: &str, name: &str, from: i64, to: i64) -> Value {
    json!({
        "ext_user_id": ext,
        "name": name,
        "joins": [now_ms() + from * MIN],
        "leaves": [now_ms() + to * MIN],
        "engagement": { "chats": 3, "raisehand": 1, "talk_time": 95 },
    })
}

#[tokio::test]
async fn a_bbb_report_gives_the_student_minutes_completion_and_a_session_log_row() {
    let sc = scene(false, "15").await;
    let sam = sc.user_id("sam@uni.test").await.to_string();
    let tom = sc.user_id("tom@uni.test").await.to_string();
    let mut teacher = stay(&tom, "Tom", -30, 0);
    teacher["moderator"] = json!(true);
    let status = sc
        .report(json!([teacher, stay(&sam, "Sam", -25, -5)]), json!({}))
        .await;
    assert_eq!(status, json!(200));

    let mine = sc.mine(&sc.student).await;
    assert_eq!(mine["minutes"], 20, "{mine}");
    assert!(mine["completed_at_ms"].is_i64(), "{mine}");
    let row = sc.row_of("sam").await;
    assert_eq!(
        (&row["minutes"], &row["completed"]),
        (&json!(20), &json!(true))
    );
    assert_eq!(row["sessions"], 1);

    let (s, log) = sc.sessions(&sc.teacher).await;
    assert_eq!(s, 200, "{log}");
    assert_eq!(log["bbb"], true);
    let people = &log["sessions"][0]["attendees"];
    assert_eq!(
        people[0]["name"], "tom",
        "moderators first, under their Aula name"
    );
    assert_eq!(people[0]["moderator"], true);
    assert_eq!(people[1]["name"], "sam");
    assert_eq!(people[1]["minutes"], 20);
    assert_eq!(
        (&people[1]["chats"], &people[1]["raise_hands"]),
        (&json!(3), &json!(1))
    );
    assert_eq!(people[1]["talk_secs"], 95);

    // Students read their own attendance, not the session log.
    let (s, _) = sc.sessions(&sc.student).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_redelivered_report_adds_nothing() {
    let sc = scene(false, "").await;
    let sam = sc.user_id("sam@uni.test").await.to_string();
    let people = json!([stay(&sam, "Sam", -20, -10)]);
    assert_eq!(sc.report(people.clone(), json!({})).await, json!(200));
    assert_eq!(sc.report(people, json!({})).await, json!(200));
    assert_eq!(sc.mine(&sc.student).await["minutes"], 10);
    let (_, log) = sc.sessions(&sc.teacher).await;
    assert_eq!(log["sessions"].as_array().map(Vec::len), Some(1), "{log}");
}

#[tokio::test]
async fn a_report_with_a_bad_bearer_is_refused_and_stores_nothing() {
    let sc = scene(false, "").await;
    let sam = sc.user_id("sam@uni.test").await.to_string();
    let status = sc
        .report(
            json!([stay(&sam, "Sam", -20, -10)]),
            json!({ "secret": "someone-elses-secret" }),
        )
        .await;
    assert_eq!(status, json!(401));
    assert_eq!(sc.mine(&sc.student).await["minutes"], 0);
    let (_, log) = sc.sessions(&sc.teacher).await;
    assert_eq!(log["sessions"], json!([]));

    // Without any bearer, and with a body that is not a report.
    let http = reqwest::Client::new();
    let res = http
        .post(format!("{}/bbb/analytics", sc.app.base))
        .json(&json!({ "meeting_id": sc.meeting_id, "internal_meeting_id": "x", "data": { "start": 1, "finish": 2, "attendees": [] } }))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = http
        .post(format!("{}/bbb/analytics", sc.app.base))
        .body("not json")
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_guest_is_counted_under_their_guest_identity() {
    let sc = scene(false, "").await;
    let (s, e) = sc
        .teacher
        .call(
            "guests/create",
            &[
                ("activity_id", &sc.activity),
                ("label", "Parents"),
                ("expires_at", &local(now() + 3600)),
                ("max_uses", ""),
            ],
        )
        .await;
    assert_eq!(s, 200, "{e}");
    let (_, links) = sc
        .teacher
        .call("guests/links", &[("activity_id", &sc.activity)])
        .await;
    let token = links[0]["url"]
        .as_str()
        .and_then(|u| u.rsplit('/').next())
        .expect("token")
        .to_owned();
    let (s, ticket) = sc
        .app
        .client()
        .call("guests/join", &[("token", &token), ("name", "Kim Lee")])
        .await;
    assert_eq!(s, 200, "{ticket}");
    let ext = param(ticket["redirect_url"].as_str().expect("redirect"), "userID").expect("userID");
    assert!(ext.starts_with("guest:"), "{ext}");

    let status = sc
        .report(
            json!([
                stay(&ext, "Kim Lee", -12, -4),
                stay("someone-bbb-alone", "Direct", -12, -4)
            ]),
            json!({}),
        )
        .await;
    assert_eq!(status, json!(200));
    let row = sc.row_of("Kim Lee (guest)").await;
    assert_eq!(row["minutes"], 8);
    assert!(row["user_id"].as_i64().is_some_and(|id| id < 0), "{row}");
    let (_, log) = sc.sessions(&sc.teacher).await;
    let people = log["sessions"][0]["attendees"]
        .as_array()
        .expect("people")
        .clone();
    assert_eq!(
        people.len(),
        2,
        "people Aula cannot map stay in the log: {log}"
    );
    assert!(
        people
            .iter()
            .any(|p| p["name"] == "Kim Lee" && p["guest"] == true)
    );
}

#[tokio::test]
async fn a_report_after_the_activity_settled_refreshes_the_stored_course_totals() {
    let sc = scene(false, "").await;
    let sam = sc.user_id("sam@uni.test").await.to_string();
    let course = sc.course.to_string();
    let sam_cell = || async {
        let (s, r) = sc
            .teacher
            .call("attendance/course", &[("course_id", &course)])
            .await;
        assert_eq!(s, 200, "{r}");
        r["rows"]
            .as_array()
            .and_then(|rows| rows.iter().find(|row| row["name"] == json!("sam")))
            .map(|row| row["cells"][0]["minutes"].clone())
            .expect("sam's row")
    };
    // Past the close (an hour from now), the grace and the access cache: totals get stored.
    let res = sc
        .student
        .http
        .post(format!("{}/__test/clock", sc.app.base))
        .header("sec-fetch-site", "same-origin")
        .json(&json!({ "ms": 70 * MIN }))
        .send()
        .await
        .expect("clock");
    assert_eq!(res.status(), 200);
    assert_eq!(sam_cell().await, 0);
    assert_eq!(sam_cell().await, 0, "read back from the stored totals");
    assert_eq!(stored(&sc).await, 1);

    // BBB reports the session late.
    assert_eq!(
        sc.report(json!([stay(&sam, "Sam", 40, 55)]), json!({}))
            .await,
        json!(200)
    );
    assert_eq!(
        sam_cell().await,
        15,
        "stored totals were dropped and recomputed"
    );
}
