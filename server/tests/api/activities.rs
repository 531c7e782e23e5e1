use app::capabilities::CourseRole;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Client, TestApp, local, now, spawn_app};

pub async fn create(
    c: &Client,
    course_id: i32,
    name: &str,
    opens: &str,
    closes: &str,
) -> (StatusCode, Value) {
    let course_id = course_id.to_string();
    c.call(
        "activities/create",
        &[
            ("course_id", &course_id),
            ("name", name),
            ("description", ""),
            ("opens_at", opens),
            ("closes_at", closes),
            ("early_entry_minutes", "10"),
            ("completion_minutes", ""),
            ("server_id", "1"),
        ],
    )
    .await
}

/// A course with a teacher, a student, an open activity, and an outsider in another course.
struct Scene {
    app: TestApp,
    teacher: Client,
    student: Client,
    outsider: Client,
    activity: String,
}

async fn scene() -> Scene {
    let app = spawn_app().await;
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
    let (s, id) = create(
        &teacher,
        course,
        "Live lecture",
        &local(now() - 60),
        &local(now() + 3600),
    )
    .await;
    assert_eq!(s, 200, "{id}");
    Scene {
        app,
        teacher,
        student,
        outsider,
        activity: id.to_string(),
    }
}

#[tokio::test]
async fn an_enrolled_student_joins_an_open_activity_with_a_server_derived_room() {
    let sc = scene().await;
    let (s, ticket) = sc
        .student
        .call("activities/join", &[("activity_id", &sc.activity)])
        .await;
    assert_eq!(s, 200, "{ticket}");
    assert_eq!(ticket["domain"], json!("meet.jit.si"));
    assert_eq!(
        ticket["script_url"],
        json!("https://meet.jit.si/external_api.js")
    );
    assert_eq!(ticket["display_name"], json!("sam"));
    assert_eq!(ticket["moderator"], json!(false));
    let room = ticket["room_name"].as_str().unwrap();
    assert!(room.starts_with("live-lecture-"), "{room}");
    let (_, again) = sc
        .teacher
        .call("activities/join", &[("activity_id", &sc.activity)])
        .await;
    assert_eq!(
        again["room_name"].as_str(),
        Some(room),
        "the room is stable and the same for everyone"
    );
    assert_eq!(again["moderator"], json!(true));
}

#[tokio::test]
async fn a_student_of_another_course_gets_403_from_every_activity_function() {
    let sc = scene().await;
    for endpoint in ["activities/info", "activities/join"] {
        let (s, body) = sc
            .outsider
            .call(endpoint, &[("activity_id", &sc.activity)])
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{endpoint}: {body}");
        assert_eq!(body, json!("Forbidden"));
    }
}

#[tokio::test]
async fn a_student_calling_the_activity_edit_functions_gets_403_and_nothing_changes() {
    let sc = scene().await;
    let (s, _) = sc
        .student
        .call(
            "activities/update",
            &[
                ("activity_id", &sc.activity),
                ("name", "Hacked"),
                ("description", ""),
                ("opens_at", "2030-01-01T10:00"),
                ("closes_at", "2030-01-01T11:00"),
                ("early_entry_minutes", "0"),
                ("completion_minutes", ""),
                ("server_id", "1"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    for (endpoint, extra) in [
        ("activities/delete", vec![]),
        (
            "activities/override",
            vec![
                ("role", "student"),
                ("capability", "moderation"),
                ("setting", "allow"),
            ],
        ),
    ] {
        let mut form = vec![("activity_id", sc.activity.as_str())];
        form.extend(extra);
        let (s, _) = sc.student.call(endpoint, &form).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{endpoint}");
    }
    let (_, info) = sc
        .teacher
        .call("activities/info", &[("activity_id", &sc.activity)])
        .await;
    assert_eq!(info["name"], json!("Live lecture"));
}

#[tokio::test]
async fn invalid_activity_input_is_refused_field_by_field() {
    let sc = scene().await;
    let (_, course) = sc
        .teacher
        .call("activities/info", &[("activity_id", &sc.activity)])
        .await;
    let course_id = course["course_id"].as_i64().unwrap() as i32;
    let (s, body) = create(
        &sc.teacher,
        course_id,
        "",
        "2030-01-01T10:00",
        "2030-01-01T09:00",
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body,
        json!({"Invalid": [
            {"field": "name", "code": "Required"},
            {"field": "closes_at", "code": "ClosingNotAfterOpening"}
        ]})
    );
    let (s, body) = create(&sc.teacher, course_id, "x", "tomorrow", "2030-01-01T09:00").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body,
        json!({"Invalid": [{"field": "opens_at", "code": "InvalidDate"}]})
    );
}

#[tokio::test]
async fn students_cannot_join_before_opening_but_moderators_may_enter_early() {
    let sc = scene().await;
    let (_, info) = sc
        .teacher
        .call("activities/info", &[("activity_id", &sc.activity)])
        .await;
    let course_id = info["course_id"].as_i64().unwrap() as i32;
    // Opens in 5 minutes; early entry is 10 minutes.
    let (_, id) = create(
        &sc.teacher,
        course_id,
        "Soon",
        &local(now() + 300),
        &local(now() + 3900),
    )
    .await;
    let id = id.to_string();
    let (s, body) = sc
        .student
        .call("activities/join", &[("activity_id", &id)])
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(body, json!({"Conflict": "NotOpenYet"}));
    let (_, info) = sc
        .student
        .call("activities/info", &[("activity_id", &id)])
        .await;
    let opens_in = info["phase"]["Upcoming"]["opens_in"].as_i64().unwrap();
    assert!((290..=300).contains(&opens_in), "{info}");
    let (s, _) = sc
        .teacher
        .call("activities/join", &[("activity_id", &id)])
        .await;
    assert_eq!(s, 200);
}

#[tokio::test]
async fn an_override_can_make_a_student_a_moderator_for_one_activity() {
    let sc = scene().await;
    let (s, _) = sc
        .teacher
        .call(
            "activities/override",
            &[
                ("activity_id", &sc.activity),
                ("role", "student"),
                ("capability", "moderation"),
                ("setting", "allow"),
            ],
        )
        .await;
    assert_eq!(s, 200);
    let (_, ticket) = sc
        .student
        .call("activities/join", &[("activity_id", &sc.activity)])
        .await;
    assert_eq!(ticket["moderator"], json!(true));
    let (s, _) = sc
        .teacher
        .call(
            "activities/override",
            &[
                ("activity_id", &sc.activity),
                ("role", "student"),
                ("capability", "view"),
                ("setting", "prevent"),
            ],
        )
        .await;
    assert_eq!(s, 200);
    let (s, _) = sc
        .student
        .call("activities/info", &[("activity_id", &sc.activity)])
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn editing_keeps_the_room_and_deleting_removes_the_activity() {
    let sc = scene().await;
    let (_, before) = sc
        .teacher
        .call("activities/join", &[("activity_id", &sc.activity)])
        .await;
    let (s, _) = sc
        .teacher
        .call(
            "activities/update",
            &[
                ("activity_id", &sc.activity),
                ("name", "Renamed lecture"),
                ("description", "now with notes"),
                ("opens_at", &local(now() - 60)),
                ("closes_at", &local(now() + 7200)),
                ("early_entry_minutes", "5"),
                ("completion_minutes", "30"),
                ("server_id", "1"),
            ],
        )
        .await;
    assert_eq!(s, 200);
    let (_, after) = sc
        .teacher
        .call("activities/join", &[("activity_id", &sc.activity)])
        .await;
    assert_eq!(after["room_name"], before["room_name"]);
    assert_eq!(after["subject"], json!("Renamed lecture"));
    let (s, _) = sc
        .teacher
        .call("activities/delete", &[("activity_id", &sc.activity)])
        .await;
    assert_eq!(s, 200);
    let (s, _) = sc
        .teacher
        .call("activities/info", &[("activity_id", &sc.activity)])
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    drop(sc.app);
}
