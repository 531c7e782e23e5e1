//! Where attendance stops counting: at a logout, a disabled account or a revoked guest link (on
//! every replica, whatever their access caches hold), at the back-fill window of a browser that
//! was offline, and at the number of tabs and sessions one person may open.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::attendance::{S, Scene, scene, scene_with};

const MIN: i64 = 60 * S;

/// A heartbeat sent with an explicit cookie header to `base` (any replica).
async fn beat_as(base: &str, cookie: &str, token: &str, beats: &[(i64, i64)]) -> (u16, Value) {
    let b: Vec<Value> = beats
        .iter()
        .map(|(seq, at)| json!({ "seq": seq, "at": at }))
        .collect();
    let res = reqwest::Client::new()
        .post(format!("{base}/attendance/beat"))
        .header("sec-fetch-site", "same-origin")
        .header("cookie", cookie)
        .body(json!({ "t": token, "b": b }).to_string())
        .send()
        .await
        .expect("beat");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn post_as(base: &str, cookie: &str, endpoint: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let res = reqwest::Client::new()
        .post(format!("{base}/api/{endpoint}"))
        .header("sec-fetch-site", "same-origin")
        .header("cookie", cookie)
        .form(form)
        .send()
        .await
        .expect("request");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn advance(base: &str, ms: i64) {
    let res = reqwest::Client::new()
        .post(format!("{base}/__test/clock"))
        .header("sec-fetch-site", "same-origin")
        .json(&json!({ "ms": ms }))
        .send()
        .await
        .expect("clock");
    assert_eq!(res.status(), 200);
}

async fn minutes_of_sam(sc: &Scene) -> i64 {
    let (s, v) = sc
        .teacher
        .call("attendance/activity", &[("activity_id", &sc.activity)])
        .await;
    assert_eq!(s, 200, "{v}");
    v["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["name"] == "sam")
        .map_or(0, |r| r["minutes"].as_i64().unwrap_or(0))
}

/// Sam signed in with a cookie of his own and an attendance session open on the first server.
async fn sam_session(sc: &Scene) -> (String, String) {
    let cookie = format!(
        "aula_session={}",
        sc.app.session_cookie("sam@uni.test").await
    );
    let (s, opened) = post_as(
        &sc.app.base,
        &cookie,
        "attendance/open",
        &[("activity_id", &sc.activity), ("client_ms", "0")],
    )
    .await;
    assert_eq!(s, 200, "{opened}");
    let token = opened["token"].as_str().expect("token").to_owned();
    (cookie, token)
}

/// Sam signed in with a cookie of his own, a session open, and one beat heard on each replica
/// so both access caches hold him.
async fn sam_beating(sc: &Scene, replica: &str) -> (String, String) {
    let (cookie, token) = sam_session(sc).await;
    for (seq, base) in [(1, sc.app.base.as_str()), (2, replica)] {
        advance(&sc.app.base, 30 * S).await;
        advance(replica, 30 * S).await;
        let (s, v) = beat_as(base, &cookie, &token, &[(seq, seq * 30 * S)]).await;
        assert_eq!(s, 200, "{v}");
    }
    (cookie, token)
}

#[tokio::test]
async fn no_heartbeat_after_a_logout_is_credited_on_any_replica() {
    let sc = scene().await;
    let replica = sc.app.replica().await;
    let (cookie, token) = sam_beating(&sc, &replica.base).await;
    assert_eq!(minutes_of_sam(&sc).await, 1);
    let (s, _) = post_as(&sc.app.base, &cookie, "auth/logout", &[]).await;
    assert_eq!(s, 200);
    for base in [sc.app.base.as_str(), replica.base.as_str()] {
        advance(base, 5 * MIN).await;
    }
    // The other replica still has Sam in its access cache; the beat is refused all the same.
    let held: Vec<(i64, i64)> = (3..13).map(|i| (i, i * 30 * S)).collect();
    let (s, v) = beat_as(&replica.base, &cookie, &token, &held).await;
    assert_eq!(s, 401, "{v}");
    assert_eq!(v["error"], "unauthenticated");
    let (s, _) = beat_as(&sc.app.base, &cookie, &token, &held).await;
    assert_eq!(s, 401);
    assert_eq!(minutes_of_sam(&sc).await, 1, "nothing after the logout");
}

#[tokio::test]
async fn no_heartbeat_after_an_account_is_disabled_is_credited() {
    let sc = scene().await;
    let replica = sc.app.replica().await;
    let admin = sc.app.login_as("root@uni.test", true).await;
    let (cookie, token) = sam_beating(&sc, &replica.base).await;
    let (_, users) = admin.call("admin/users", &[]).await;
    let sam = users
        .as_array()
        .expect("users")
        .iter()
        .find(|u| u["email"] == "sam@uni.test")
        .expect("sam")["id"]
        .to_string();
    let (s, e) = admin
        .call(
            "admin/users/disable",
            &[("user_id", &sam), ("disabled", "true")],
        )
        .await;
    assert_eq!(s, 200, "{e}");
    advance(&replica.base, 30 * S).await;
    let (s, _) = beat_as(&replica.base, &cookie, &token, &[(3, 90 * S)]).await;
    assert_eq!(s, 401);
    assert_eq!(minutes_of_sam(&sc).await, 1);
}

#[tokio::test]
async fn no_guest_heartbeat_after_the_link_is_revoked_is_credited() {
    let sc = scene().await;
    let expires = crate::helpers::local(crate::helpers::now() + 3600);
    sc.teacher
        .call(
            "guests/create",
            &[
                ("activity_id", &sc.activity),
                ("label", "Parents"),
                ("expires_at", &expires),
                ("max_uses", ""),
            ],
        )
        .await;
    let (_, links) = sc
        .teacher
        .call("guests/links", &[("activity_id", &sc.activity)])
        .await;
    let link_id = links[0]["id"].to_string();
    let link = links[0]["url"]
        .as_str()
        .and_then(|u| u.rsplit('/').next())
        .expect("token")
        .to_owned();
    let guest = sc.app.client();
    let (s, _) = guest
        .call("guests/join", &[("token", &link), ("name", "Kim")])
        .await;
    assert_eq!(s, 200);
    let (_, opened) = guest
        .call(
            "attendance/open",
            &[("activity_id", &sc.activity), ("client_ms", "0")],
        )
        .await;
    let t = opened["token"].as_str().expect("token").to_owned();
    let beat = |seq: i64| {
        let guest = &guest;
        let t = t.clone();
        async move {
            guest
                .http
                .post(format!("{}/attendance/beat", guest.base))
                .header("sec-fetch-site", "same-origin")
                .body(json!({ "t": t, "b": [{ "seq": seq, "at": seq * 30 * S }] }).to_string())
                .send()
                .await
                .expect("beat")
                .status()
        }
    };
    sc.advance(30 * S).await;
    assert_eq!(beat(1).await, 200);
    let (s, _) = sc
        .teacher
        .call(
            "guests/revoke",
            &[("activity_id", &sc.activity), ("link_id", &link_id)],
        )
        .await;
    assert_eq!(s, 200);
    sc.advance(30 * S).await;
    assert_eq!(beat(2).await, StatusCode::FORBIDDEN);
    let (_, r) = sc
        .teacher
        .call("attendance/activity", &[("activity_id", &sc.activity)])
        .await;
    let kim = r["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|row| row["name"] == "Kim (guest)")
        .cloned()
        .expect("kim");
    assert_eq!(
        kim["minutes"], 1,
        "30 s before the revocation, rounded: {kim}"
    );
}

#[tokio::test]
async fn a_long_offline_gap_back_fills_five_minutes_at_most_and_the_report_shows_them_apart() {
    let sc = scene().await;
    let token = crate::attendance::open_ok(&sc.student, &sc.activity, 0).await;
    crate::attendance::beat_for(&sc, &sc.student, &token, 0, 1, 2).await;
    // Twenty minutes with the network down; forty beats held back arrive together.
    sc.advance(20 * MIN).await;
    let held: Vec<(i64, i64)> = (3..=42).map(|i| (i, i * 30 * S)).collect();
    let b: Vec<Value> = held
        .iter()
        .map(|(seq, at)| json!({ "seq": seq, "at": at }))
        .collect();
    let res = sc
        .student
        .http
        .post(format!("{}/attendance/beat", sc.app.base))
        .header("sec-fetch-site", "same-origin")
        .body(json!({ "t": token, "b": b }).to_string())
        .send()
        .await
        .expect("beat");
    assert_eq!(res.status(), 200);
    let (_, r) = sc
        .teacher
        .call("attendance/activity", &[("activity_id", &sc.activity)])
        .await;
    let sam = r["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|row| row["name"] == "sam")
        .cloned()
        .expect("sam");
    // One minute heard live, then at most five back-filled (the newest beat, on time, is live).
    let minutes = sam["minutes"].as_i64().expect("minutes");
    assert!((5..=6).contains(&minutes), "{sam}");
    let buffered = sam["buffered_minutes"].as_i64().expect("buffered");
    assert!((4..=5).contains(&buffered), "{sam}");
    assert!(buffered < minutes);
    let (s, page) = sc
        .teacher
        .get(&format!("/activities/{}/attendance", sc.activity))
        .await;
    assert_eq!(s, 200);
    assert!(
        page.contains("Credited from buffered beats"),
        "the report shows it"
    );
    assert!(page.contains("data-testid=\"buffered-minutes\""));
    let (_, csv) = sc
        .teacher
        .get(&format!("/activities/{}/attendance.csv", sc.activity))
        .await;
    assert!(csv.contains("Credited from buffered beats"));
}

#[tokio::test]
async fn one_person_keeps_five_tabs_counting_and_may_open_ten_sessions_a_minute() {
    let sc = scene().await;
    let mut statuses = Vec::new();
    for _ in 0..12 {
        let (s, _) = sc
            .student
            .call(
                "attendance/open",
                &[("activity_id", &sc.activity), ("client_ms", "0")],
            )
            .await;
        statuses.push(s.as_u16());
    }
    assert_eq!(&statuses[..10], &[200; 10]);
    assert_eq!(&statuses[10..], &[429, 429], "{statuses:?}");
    let (_, p) = sc
        .teacher
        .call("attendance/presence", &[("activity_id", &sc.activity)])
        .await;
    assert_eq!(p["people"][0]["tabs"], 5, "{p}");
    sc.advance(61 * S).await;
    let (s, _) = sc
        .student
        .call(
            "attendance/open",
            &[("activity_id", &sc.activity), ("client_ms", "0")],
        )
        .await;
    assert_eq!(s, 200, "a minute later opening works again");
}

/// Holds the database so the attendance writer stalls on its next batch, until the transaction
/// is dropped: a write lock on SQLite, a table lock on PostgreSQL, row locks on MariaDB.
async fn stall_writer(db: &sea_orm::DatabaseConnection) -> sea_orm::DatabaseTransaction {
    use sea_orm::{ConnectionTrait, DbBackend, TransactionTrait};
    let txn = db.begin().await.expect("begin");
    let sql = match db.get_database_backend() {
        DbBackend::Sqlite => "CREATE TABLE writer_stall (x INTEGER)",
        DbBackend::Postgres => "LOCK TABLE attendance_intervals IN EXCLUSIVE MODE",
        _ => "SELECT id FROM attendance_intervals FOR UPDATE",
    };
    txn.execute_unprepared(sql).await.expect("lock");
    txn
}

#[tokio::test]
async fn beats_beyond_the_writer_queue_are_shed_with_retry_after_and_credited_when_sent_again() {
    let sc = scene_with(|c| c.attendance_queue = 1).await;
    let (cookie, token) = sam_session(&sc).await;
    advance(&sc.app.base, 30 * S).await;
    assert_eq!(
        beat_as(&sc.app.base, &cookie, &token, &[(1, 30 * S)])
            .await
            .0,
        200
    );
    advance(&sc.app.base, 90 * S).await;

    let lock = stall_writer(&sc.app.db).await;
    let send = |seq: i64| {
        let (base, cookie, token) = (sc.app.base.clone(), cookie.clone(), token.clone());
        tokio::spawn(async move { beat_as(&base, &cookie, &token, &[(seq, seq * 30 * S)]).await })
    };
    // The writer takes the first and stalls on the lock; the second waits in the queue of one.
    let first = send(2);
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let second = send(3);
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let res = reqwest::Client::new()
        .post(format!("{}/attendance/beat", sc.app.base))
        .header("sec-fetch-site", "same-origin")
        .header("cookie", &cookie)
        .body(json!({ "t": token, "b": [{ "seq": 4, "at": 120 * S }] }).to_string())
        .send()
        .await
        .expect("beat");
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let retry = res
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap_or("").to_owned());
    assert_eq!(retry.as_deref(), Some("2"));
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["error"], "overloaded", "{body}");
    drop(lock);

    assert_eq!(first.await.expect("task").0, 200);
    assert_eq!(second.await.expect("task").0, 200);
    // Like the browser: the shed beat is kept and sent again.
    let (s, v) = beat_as(&sc.app.base, &cookie, &token, &[(4, 120 * S)]).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["accepted"], 1, "{v}");
    assert_eq!(minutes_of_sam(&sc).await, 2, "nothing accepted was lost");
}

#[tokio::test]
async fn beats_with_impossible_clock_readings_are_refused_at_the_door() {
    let sc = scene().await;
    let cookie = format!(
        "aula_session={}",
        sc.app.session_cookie("sam@uni.test").await
    );
    let (s, opened) = post_as(
        &sc.app.base,
        &cookie,
        "attendance/open",
        &[
            ("activity_id", &sc.activity),
            ("client_ms", "-9223372036854775808"),
        ],
    )
    .await;
    assert_eq!(s, 400, "{opened}");
    let (s, opened) = post_as(
        &sc.app.base,
        &cookie,
        "attendance/open",
        &[("activity_id", &sc.activity), ("client_ms", "0")],
    )
    .await;
    assert_eq!(s, 200, "{opened}");
    let token = opened["token"].as_str().expect("token").to_owned();
    for beats in [&[(1, i64::MIN)][..], &[(1, i64::MAX)], &[(-1, 30 * S)]] {
        let (s, v) = beat_as(&sc.app.base, &cookie, &token, beats).await;
        assert_eq!(s, 400, "{beats:?}: {v}");
        assert_eq!(v["error"], "malformed", "{v}");
    }
    advance(&sc.app.base, 30 * S).await;
    let (s, v) = beat_as(&sc.app.base, &cookie, &token, &[(1, 30 * S)]).await;
    assert_eq!(s, 200, "the writer still works: {v}");
}

#[tokio::test]
async fn a_class_opening_attendance_at_the_same_moment_is_answered_without_a_server_error() {
    // Every student's join page opens its session within the same second when a lecture starts.
    // On SQLite a transaction that reads and then writes used to be refused at once while another
    // wrote ("database is locked", a 500); each open must wait its turn instead.
    let sc = scene().await;
    let mut cookies = Vec::new();
    let mut members = Vec::new();
    let emails: Vec<String> = (0..16).map(|i| format!("rush{i}@uni.test")).collect();
    for email in &emails {
        sc.app.create_user(email, email, false).await;
        members.push((email.as_str(), app::capabilities::CourseRole::Student));
    }
    let teacher = sc.app.login_as("rita@uni.test", false).await;
    let course = sc
        .app
        .course_with(
            "RUSH",
            &members
                .iter()
                .copied()
                .chain([(
                    "rita@uni.test",
                    app::capabilities::CourseRole::EditingTeacher,
                )])
                .collect::<Vec<_>>(),
        )
        .await;
    let (s, activity) = teacher
        .create_activity(course, crate::helpers::ActivityForm::open_now("Rush hour"))
        .await;
    assert_eq!(s, 200, "{activity}");
    let activity = activity.to_string();
    for email in &emails {
        cookies.push(format!(
            "aula_session={}",
            sc.app.session_cookie(email).await
        ));
    }
    let mut opens = tokio::task::JoinSet::new();
    for cookie in cookies {
        let (base, activity) = (sc.app.base.clone(), activity.clone());
        opens.spawn(async move {
            post_as(
                &base,
                &cookie,
                "attendance/open",
                &[("activity_id", &activity), ("client_ms", "0")],
            )
            .await
        });
    }
    let mut statuses = Vec::new();
    while let Some(done) = opens.join_next().await {
        let (s, v) = done.expect("task");
        statuses.push((s, v));
    }
    let refused: Vec<_> = statuses.iter().filter(|(s, _)| *s != 200).collect();
    assert!(refused.is_empty(), "{refused:?}");
    let (_, p) = teacher
        .call("attendance/presence", &[("activity_id", &activity)])
        .await;
    assert_eq!(p["people"].as_array().map(Vec::len), Some(16), "{p}");
}
