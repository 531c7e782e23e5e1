use app::capabilities::CourseRole;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn an_admin_creates_a_course_and_enrols_a_teacher_and_a_student() {
    let app = spawn_app().await;
    let admin = app.login_as("admin@uni.test", true).await;
    app.create_user("tom@uni.test", "Tom", false).await;
    app.create_user("sam@uni.test", "Sam", false).await;
    let (s, id) = admin
        .call(
            "courses/create",
            &[
                ("name", "Physics 101"),
                ("short_name", "PHY101"),
                ("description", ""),
            ],
        )
        .await;
    assert_eq!(s, 200, "{id}");
    let id = id.to_string();
    let (s, _) = admin
        .call(
            "courses/enrol",
            &[
                ("course_id", &id),
                ("email", "tom@uni.test"),
                ("role", "editingteacher"),
            ],
        )
        .await;
    assert_eq!(s, 200);
    let (s, _) = admin
        .call(
            "courses/enrol",
            &[
                ("course_id", &id),
                ("email", "sam@uni.test"),
                ("role", "student"),
            ],
        )
        .await;
    assert_eq!(s, 200);
    let (_, rows) = admin
        .call("courses/enrolments", &[("course_id", &id)])
        .await;
    let got: Vec<(String, String)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["email"].as_str().unwrap().to_owned(),
                r["role"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("sam@uni.test".into(), "Student".into()),
            ("tom@uni.test".into(), "EditingTeacher".into())
        ]
    );
    let (s, body) = admin
        .call(
            "courses/create",
            &[
                ("name", "Again"),
                ("short_name", "PHY101"),
                ("description", ""),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body,
        json!({"Invalid": [{"field": "short_name", "code": "AlreadyTaken"}]})
    );
}

#[tokio::test]
async fn enrolling_an_unknown_person_says_so_on_the_email_field() {
    let app = spawn_app().await;
    let admin = app.login_as("admin@uni.test", true).await;
    let id = app.course_with("C1", &[]).await.to_string();
    let (s, body) = admin
        .call(
            "courses/enrol",
            &[
                ("course_id", &id),
                ("email", "ghost@uni.test"),
                ("role", "student"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body,
        json!({"Invalid": [{"field": "email", "code": "UnknownUser"}]})
    );
}

#[tokio::test]
async fn the_csv_import_enrols_good_rows_and_reports_each_bad_row() {
    let app = spawn_app().await;
    let teacher = app.login_as("tom@uni.test", false).await;
    app.create_user("ana@uni.test", "Ana", false).await;
    app.create_user("bob@uni.test", "Bob", false).await;
    let id = app
        .course_with("C1", &[("tom@uni.test", CourseRole::EditingTeacher)])
        .await
        .to_string();
    let csv = "email,role\nana@uni.test,student\nnot-an-email,student\nghost@uni.test,student\nbob@uni.test,wizard\nbob@uni.test,teacher\n";
    let (s, report) = teacher
        .call("courses/import", &[("course_id", &id), ("csv", csv)])
        .await;
    assert_eq!(s, 200, "{report}");
    assert_eq!(report["enrolled"], json!(2));
    assert_eq!(
        report["errors"],
        json!([
            {"line": 3, "email": "not-an-email", "code": "InvalidEmail"},
            {"line": 4, "email": "ghost@uni.test", "code": "UnknownUser"},
            {"line": 5, "email": "bob@uni.test", "code": "UnknownRole"},
        ])
    );
}

#[tokio::test]
async fn students_and_non_editing_teachers_cannot_manage_enrolments() {
    let app = spawn_app().await;
    let sam = app.login_as("sam@uni.test", false).await;
    let nina = app.login_as("nina@uni.test", false).await;
    let id = app
        .course_with(
            "C1",
            &[
                ("sam@uni.test", CourseRole::Student),
                ("nina@uni.test", CourseRole::NonEditingTeacher),
            ],
        )
        .await
        .to_string();
    for c in [&sam, &nina] {
        let (s, _) = c
            .call(
                "courses/enrol",
                &[
                    ("course_id", &id),
                    ("email", "sam@uni.test"),
                    ("role", "editingteacher"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = c
            .call(
                "courses/import",
                &[("course_id", &id), ("csv", "sam@uni.test,editingteacher")],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn a_course_calendar_lists_its_sessions_for_members_only() {
    let app = spawn_app().await;
    let tom = app.login_as("tom@uni.test", false).await;
    let outsider = app.login_as("eve@uni.test", false).await;
    let id = app
        .course_with("C1", &[("tom@uni.test", CourseRole::EditingTeacher)])
        .await;
    let (s, body) = crate::activities::create(
        &tom,
        id,
        "Week 1 lecture",
        "2030-01-07T10:00",
        "2030-01-07T11:30",
    )
    .await;
    assert_eq!(s, 200, "{body}");
    let (s, ics) = tom.get(&format!("/courses/{id}/calendar.ics")).await;
    assert_eq!(s, 200);
    assert!(
        ics.contains("BEGIN:VEVENT") && ics.contains("SUMMARY:Week 1 lecture"),
        "{ics}"
    );
    assert!(
        ics.contains("DTSTART:20300107T100000Z"),
        "times are UTC from the viewer's zone: {ics}"
    );
    let (s, _) = outsider.get(&format!("/courses/{id}/calendar.ics")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app
        .client()
        .get(&format!("/courses/{id}/calendar.ics"))
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}
