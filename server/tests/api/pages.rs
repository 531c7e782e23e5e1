use app::capabilities::CourseRole;
use reqwest::StatusCode;

use crate::helpers::spawn_app;

#[tokio::test]
async fn unknown_routes_render_a_404_page() {
    let app = spawn_app().await;
    let (s, html) = app.client().get("/no/such/page").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(html.contains("Page not found"), "{html}");
}

#[tokio::test]
async fn pages_that_need_an_account_redirect_visitors_to_login() {
    let app = spawn_app().await;
    let res = app
        .client()
        .http
        .get(format!("{}/courses", app.base))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(res.headers()["location"], "/login?next=/courses");
}

#[tokio::test]
async fn the_join_page_renders_on_the_server_with_the_activity_and_countdown() {
    let app = spawn_app().await;
    let tom = app.login_as("tom@uni.test", false).await;
    let sam = app.login_as("sam@uni.test", false).await;
    let course = app
        .course_with(
            "C1",
            &[
                ("tom@uni.test", CourseRole::EditingTeacher),
                ("sam@uni.test", CourseRole::Student),
            ],
        )
        .await;
    let (_, id) = crate::activities::create(
        &tom,
        course,
        "Tomorrow's seminar",
        "2099-01-07T10:00",
        "2099-01-07T11:00",
    )
    .await;
    let (s, html) = sam.get(&format!("/activities/{id}")).await;
    assert_eq!(s, 200);
    assert!(
        html.contains("Tomorrow&#x27;s seminar") || html.contains("Tomorrow's seminar"),
        "{html}"
    );
    assert!(
        html.contains("data-testid=\"countdown\""),
        "countdown rendered server-side"
    );
    assert!(
        html.contains("<html lang=\"en\""),
        "{}",
        &html[..200.min(html.len())]
    );
}

#[tokio::test]
async fn a_student_of_another_course_gets_a_403_page_for_the_activity() {
    let app = spawn_app().await;
    let tom = app.login_as("tom@uni.test", false).await;
    let eve = app.login_as("eve@uni.test", false).await;
    let course = app
        .course_with("C1", &[("tom@uni.test", CourseRole::EditingTeacher)])
        .await;
    app.course_with("C2", &[("eve@uni.test", CourseRole::Student)])
        .await;
    let (_, id) = crate::activities::create(
        &tom,
        course,
        "Private",
        "2099-01-07T10:00",
        "2099-01-07T11:00",
    )
    .await;
    let (s, html) = eve.get(&format!("/activities/{id}")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(!html.contains("Private"), "the activity name must not leak");
    let (s, _) = eve.get(&format!("/courses/{course}")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn pages_follow_the_browser_language() {
    let app = spawn_app().await;
    let res = reqwest::Client::new()
        .get(format!("{}/login", app.base))
        .header("accept-language", "de-DE,de;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap();
    let html = res.text().await.unwrap();
    assert!(
        html.contains("<html lang=\"de\""),
        "{}",
        &html[..300.min(html.len())]
    );
    assert!(html.contains("Bei Aula anmelden"));
}

#[tokio::test]
async fn the_demo_seed_can_run_twice_and_leaves_one_open_session() {
    let app = spawn_app().await;
    server::demo::seed(&app.db).await.expect("first seed");
    let logins = server::demo::seed(&app.db).await.expect("second seed");
    assert_eq!(logins.len(), 5);
    let sam = app.client();
    let (s, _) = sam
        .call(
            "auth/login",
            &[
                ("email", "student1@aula.test"),
                ("password", server::demo::DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(s, 200);
    let (_, dash) = sam.call("dashboard", &[]).await;
    let sessions = dash["next_sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2, "{dash}");
    assert!(sessions[0]["phase"]["Open"].is_object(), "{dash}");
}

#[tokio::test]
async fn a_server_error_renders_a_friendly_500_page_with_a_reference_and_no_internals() {
    use sea_orm::ConnectionTrait;
    let app = spawn_app().await;
    let sam = app.login_as("sam@uni.test", false).await;
    // Break the database under the running server.
    app.db
        .execute_unprepared("DROP TABLE enrolments")
        .await
        .unwrap();
    let (s, html) = sam.get("/courses").await;
    assert_eq!(s, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(html.contains("Something went wrong"), "{html}");
    let reference = regex_lite_reference(&html).expect("a reference id is shown");
    assert_eq!(reference.len(), 12);
    for leak in [
        "enrolments",
        "no such table",
        "doesn't exist",
        "does not exist",
        "sqlx",
    ] {
        assert!(!html.to_lowercase().contains(leak), "leaked {leak:?}");
    }
    let (s, body) = sam.call("courses/list", &[]).await;
    assert_eq!(s, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(body.get("Internal").is_some(), "{body}");
}

/// The 12-hex reference after "reference" in the error text.
fn regex_lite_reference(html: &str) -> Option<String> {
    let i = html.find("administrator: ")? + "administrator: ".len();
    let id: String = html[i..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    (!id.is_empty()).then_some(id)
}

/// Starting another server in the same process (a replica, or the next test) renders the app once
/// to list its routes, and Leptos suppresses resource loading process-wide while it does: a page
/// rendered meanwhile used to wait forever for its data, and its response never ended. The route
/// list is now made once per process (`startup::route_list`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_keep_answering_while_another_server_starts_in_the_same_process() {
    let app = spawn_app().await;
    let tom = app.login_as("tom@uni.test", false).await;
    app.course_with("C1", &[("tom@uni.test", CourseRole::EditingTeacher)])
        .await;
    let config = app.config.clone();
    let starting = tokio::spawn(async move {
        for _ in 0..20 {
            server::startup::Application::build(&config)
                .await
                .expect("another server starts");
        }
    });
    let mut answered = 0;
    while !starting.is_finished() || answered < 20 {
        let res = tom
            .http
            .get(format!("{}/courses", app.base))
            .timeout(std::time::Duration::from_secs(10))
            .send()
            .await
            .unwrap_or_else(|e| panic!("page {answered} never answered: {e}"));
        assert_eq!(res.status(), StatusCode::OK);
        let html = res
            .text()
            .await
            .unwrap_or_else(|e| panic!("page {answered} never ended: {e:?}"));
        assert!(html.contains("C1"), "{html}");
        answered += 1;
    }
    starting.await.expect("starting servers");
}
