//! Shared sessions: an activity in another course meets in this activity's room through its
//! invitation code, until the code is rotated.

use app::capabilities::CourseRole;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{ActivityForm, Client, spawn_app};

async fn activity(teacher: &Client, course: i32, name: &str) -> String {
    let (s, id) = teacher
        .create_activity(course, ActivityForm::open_now(name))
        .await;
    assert_eq!(s, 200, "{id}");
    id.to_string()
}

async fn room(c: &Client, activity: &str) -> String {
    let (s, t) = c
        .call("activities/join", &[("activity_id", activity)])
        .await;
    assert_eq!(s, 200, "{t}");
    t["room_name"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn another_course_meets_in_the_shared_room_until_the_code_is_rotated() {
    let app = spawn_app().await;
    let ana = app.login_as("ana@uni.test", false).await;
    let ben = app.login_as("ben@uni.test", false).await;
    let stu = app.login_as("stu@uni.test", false).await;
    let physics = app
        .course_with("PHY", &[("ana@uni.test", CourseRole::EditingTeacher)])
        .await;
    let maths = app
        .course_with(
            "MAT",
            &[
                ("ben@uni.test", CourseRole::EditingTeacher),
                ("stu@uni.test", CourseRole::Student),
            ],
        )
        .await;
    let source = activity(&ana, physics, "Joint seminar").await;
    let guest = activity(&ben, maths, "Joint seminar (maths)").await;
    let source_room = room(&ana, &source).await;
    assert_ne!(room(&stu, &guest).await, source_room);

    // Only the source's editing teachers see its code.
    let (s, _) = ben
        .call("activities/share", &[("activity_id", &source)])
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, share) = ana
        .call("activities/share", &[("activity_id", &source)])
        .await;
    assert_eq!(s, 200, "{share}");
    let code = share["code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 20);

    // A wrong code, or the activity's own, is refused.
    for bad in ["nope", ""] {
        let (s, body) = ben
            .call(
                "activities/share/link",
                &[("activity_id", &guest), ("code", bad)],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
    let (s, _) = ana
        .call(
            "activities/share/link",
            &[("activity_id", &source), ("code", &code)],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "not with itself");
    // A student may not link their course's activity anywhere.
    let (s, _) = stu
        .call(
            "activities/share/link",
            &[("activity_id", &guest), ("code", &code)],
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    let (s, _) = ben
        .call(
            "activities/share/link",
            &[("activity_id", &guest), ("code", &code)],
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(
        room(&stu, &guest).await,
        source_room,
        "the maths student meets in the physics room"
    );
    let (_, share) = ana
        .call("activities/share", &[("activity_id", &source)])
        .await;
    assert_eq!(
        share["guests"],
        json!(["Joint seminar (maths) — Course MAT"])
    );

    // Rotating the code disconnects the maths activity.
    let (s, _) = ana
        .call("activities/share/rotate", &[("activity_id", &source)])
        .await;
    assert_eq!(s, 200);
    assert_ne!(room(&stu, &guest).await, source_room);
    let (s, _) = ben
        .call(
            "activities/share/link",
            &[("activity_id", &guest), ("code", &code)],
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the old code no longer works"
    );
}
