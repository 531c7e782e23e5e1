//! The course report, and its stored totals: computed once an activity has settled, equal to the
//! interval arithmetic, and dropped as soon as the activity's intervals change again.

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::{
    attendance::{S, Scene, beat_for, open_ok, scene},
    helpers::{PASSWORD, local, now},
};

async fn sam_cell(sc: &Scene) -> Value {
    let course = sc.course.to_string();
    let (s, r) = sc
        .teacher
        .call("attendance/course", &[("course_id", &course)])
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    r["rows"]
        .as_array()
        .and_then(|rows| rows.iter().find(|row| row["name"] == json!("sam")))
        .map(|row| row["cells"][0].clone())
        .expect("sam's row")
}

async fn stored_summaries(sc: &Scene) -> i64 {
    let backend = sc.app.db.get_database_backend();
    let row = sc
        .app
        .db
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT COUNT(*) AS n FROM attendance_summaries",
        ))
        .await
        .expect("count")
        .expect("a row");
    row.try_get::<i64>("", "n").expect("n")
}

#[tokio::test]
async fn a_settled_activity_is_reported_from_stored_totals_until_its_intervals_change() {
    let sc = scene().await;
    let token = open_ok(&sc.student, &sc.activity, 0).await;
    beat_for(&sc, &sc.student, &token, 0, 1, 7).await; // 3.5 minutes
    let open_cell = sam_cell(&sc).await;
    assert_eq!(open_cell, json!({"minutes": 4, "completed": true}));
    assert_eq!(
        stored_summaries(&sc).await,
        0,
        "an open activity is never stored"
    );

    // Past closing (one hour), the grace and the access cache's minute: the activity settles.
    sc.advance(70 * 60 * S).await;
    assert_eq!(
        sam_cell(&sc).await,
        open_cell,
        "stored totals equal the intervals'"
    );
    assert_eq!(stored_summaries(&sc).await, 1);
    assert_eq!(sam_cell(&sc).await, open_cell, "read back from storage");

    // The teacher reopens the activity for three more hours; new attendance drops the totals.
    let id = sc.activity.clone();
    let (s, v) = sc
        .teacher
        .call(
            "activities/update",
            &[
                ("activity_id", &id),
                ("name", "Live lecture"),
                ("description", ""),
                ("opens_at", &local(now() - 60)),
                ("closes_at", &local(now() + 3 * 3600)),
                ("early_entry_minutes", "0"),
                ("completion_minutes", "3"),
                ("server_id", "1"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // Sam comes back on another device (a fresh login, so the heartbeat access cache, which
    // still holds the old closing time for up to a minute, has nothing for it).
    let device = sc.app.client();
    let (s, v) = device
        .call(
            "auth/login",
            &[("email", "sam@uni.test"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let token = open_ok(&device, &sc.activity, 10_000_000).await;
    assert_eq!(stored_summaries(&sc).await, 0, "a new interval drops them");
    beat_for(&sc, &device, &token, 10_000_000, 1, 4).await; // 2 more minutes
    assert_eq!(
        sam_cell(&sc).await,
        json!({"minutes": 6, "completed": true})
    );
}

#[tokio::test]
async fn the_course_report_and_the_course_page_show_minutes_and_completion() {
    let sc = scene().await;
    let token = open_ok(&sc.student, &sc.activity, 0).await;
    beat_for(&sc, &sc.student, &token, 0, 1, 7).await; // 3.5 minutes
    let course = sc.course.to_string();
    let (s, r) = sc
        .teacher
        .call("attendance/course", &[("course_id", &course)])
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["own_only"], json!(false));
    assert_eq!(r["activities"].as_array().unwrap().len(), 1);
    let sam = r["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["name"] == json!("sam"))
        .expect("sam's row");
    assert_eq!(sam["cells"][0]["minutes"], json!(4));
    assert_eq!(sam["cells"][0]["completed"], json!(true));
    assert_eq!(r["totals"][0], json!(4));
    let (_, page) = sc
        .student
        .call("courses/get", &[("course_id", &course)])
        .await;
    assert!(
        page["activities"][0]["completion"]["completed_at_ms"].is_i64(),
        "{page}"
    );
    let (_, dash) = sc.student.call("dashboard", &[]).await;
    assert_eq!(dash["courses"][0]["completed"], json!(1), "{dash}");
    assert_eq!(dash["courses"][0]["completable"], json!(1));
}
