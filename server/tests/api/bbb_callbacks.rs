//! The mock BBB's back office fires BBB's callbacks (end, recording ready, analytics) at a small
//! receiver here that checks them with `bbb::callback`: the mock and Aula's verifier agree
//! on the wire format, the algorithms and the secrets.

use std::sync::{Arc, Mutex};

use axum::{
    Form, Router,
    body::Bytes,
    extract::{RawQuery, State},
    http::{HeaderMap, StatusCode, header},
    routing::{get, post},
};
use bbb::{
    callback::{
        AnalyticsReport, CallbackError, RecordingReady, parse_analytics, peek_meeting_id,
        presence_intervals, verify_analytics_bearer, verify_recording_ready,
    },
    checksum::ChecksumAlgo,
    client::CreateMeeting,
};
use serde_json::json;

use super::bbb::{SECRET, backoffice, client, mock, mock_meetings, server};

#[derive(Default)]
struct Seen {
    ends: Vec<String>,
    ready: Vec<RecordingReady>,
    reports: Vec<AnalyticsReport>,
    user_agents: Vec<String>,
}

type Receiver = Arc<Mutex<Seen>>;

async fn end_seen(State(r): State<Receiver>, RawQuery(q): RawQuery) -> StatusCode {
    r.lock().unwrap().ends.push(q.unwrap_or_default());
    StatusCode::OK
}

/// As Aula's route will: find the server by the unverified meeting id, then verify.
async fn ready_seen(
    State(r): State<Receiver>,
    Form(form): Form<std::collections::HashMap<String, String>>,
) -> StatusCode {
    let token = form.get("signed_parameters").cloned().unwrap_or_default();
    if peek_meeting_id(&token).as_deref() == Some("deleted-in-aula") {
        return StatusCode::GONE;
    }
    match verify_recording_ready(&token, SECRET) {
        Ok(ready) => {
            r.lock().unwrap().ready.push(ready);
            StatusCode::OK
        }
        Err(CallbackError::BadSignature | CallbackError::Expired) => StatusCode::UNAUTHORIZED,
        Err(CallbackError::Malformed(_)) => StatusCode::BAD_REQUEST,
    }
}

async fn analytics_seen(State(r): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let header_of = |name| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let now = chrono::Utc::now().timestamp();
    if verify_analytics_bearer(&header_of(header::AUTHORIZATION), SECRET, now).is_err() {
        return StatusCode::UNAUTHORIZED;
    }
    if header_of(header::CONTENT_TYPE) != "application/json" {
        return StatusCode::UNSUPPORTED_MEDIA_TYPE;
    }
    match parse_analytics(&body) {
        Ok(report) => {
            let mut seen = r.lock().unwrap();
            seen.reports.push(report);
            seen.user_agents.push(header_of(header::USER_AGENT));
            StatusCode::OK
        }
        Err(_) => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// Aula's side: a receiver on loopback; returns what it saw and its base URL.
async fn receiver() -> (Receiver, String) {
    let seen = Receiver::default();
    let app = Router::new()
        .route("/bbb/end", get(end_seen))
        .route("/bbb/ready", post(ready_seen))
        .route("/bbb/analytics", post(analytics_seen))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (seen, format!("http://{addr}"))
}

fn with_callbacks(id: &str, aula: &str) -> CreateMeeting {
    CreateMeeting {
        meeting_id: id.into(),
        name: "Physics 101".into(),
        record: true,
        allow_start_stop_recording: true,
        meeting_keep_events: true,
        meta: vec![
            (
                "endCallbackUrl".into(),
                format!("{aula}/bbb/end?meeting={id}"),
            ),
            (
                "bbb-recording-ready-url".into(),
                format!("{aula}/bbb/ready"),
            ),
            (
                "analytics-callback-url".into(),
                format!("{aula}/bbb/analytics"),
            ),
            ("bbb-context-name".into(), "Physics 101".into()),
        ],
        ..CreateMeeting::default()
    }
}

#[tokio::test]
async fn ending_through_the_back_office_calls_the_end_callback_with_recording_marks() {
    let (aula_seen, aula) = receiver().await;
    let (_m, url) = mock(&ChecksumAlgo::ALL).await;
    let s = server(&url, ChecksumAlgo::Sha256);
    client()
        .create(&s, &with_callbacks("room-e", &aula))
        .await
        .expect("create");
    let res = backoffice(&url, "meetings/room-e/end", json!({"recordingmarks": true})).await;
    assert_eq!(
        res.json::<serde_json::Value>().await.expect("json"),
        json!({"status": 200})
    );
    assert_eq!(
        aula_seen.lock().unwrap().ends,
        ["meeting=room-e&recordingmarks=true"]
    );
    assert!(
        !client()
            .is_meeting_running(&s, "room-e")
            .await
            .expect("running?")
    );
    assert_eq!(mock_meetings(&url).await[0]["ended"], true);
    let again = backoffice(&url, "meetings/room-e/end", json!({})).await;
    assert_eq!(again.status(), 404, "an ended meeting cannot end twice");
}

#[tokio::test]
async fn a_recording_ready_notice_from_the_mock_verifies_and_names_the_meeting_and_recording() {
    let (aula_seen, aula) = receiver().await;
    let (_m, url) = mock(&ChecksumAlgo::ALL).await;
    let s = server(&url, ChecksumAlgo::Sha256);
    let created = client()
        .create(&s, &with_callbacks("room-r", &aula))
        .await
        .expect("create");
    // Seeded without a record id: the mock uses the meeting's internal id, as BBB does.
    let seeded: serde_json::Value = backoffice(&url, "recordings", json!({"meeting_id": "room-r"}))
        .await
        .json()
        .await
        .expect("seeded");
    let record_id = seeded["record_id"].as_str().expect("record id").to_owned();
    assert_eq!(record_id, created.internal_meeting_id);

    let res = backoffice(
        &url,
        &format!("recordings/{record_id}/notify-ready"),
        json!({}),
    )
    .await;
    assert_eq!(
        res.json::<serde_json::Value>().await.expect("json"),
        json!({"status": 200})
    );
    assert_eq!(
        aula_seen.lock().unwrap().ready,
        [RecordingReady {
            meeting_id: "room-r".into(),
            record_id: record_id.clone()
        }]
    );

    let forged = backoffice(
        &url,
        &format!("recordings/{record_id}/notify-ready"),
        json!({"secret": "not-the-secret"}),
    )
    .await;
    assert_eq!(
        forged.json::<serde_json::Value>().await.expect("json"),
        json!({"status": 401})
    );
    let unknown = backoffice(&url, "recordings/nope/notify-ready", json!({})).await;
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn a_sha512_only_server_signs_hs512_like_scalelite_and_a_deleted_meeting_answers_410() {
    let (aula_seen, aula) = receiver().await;
    let (m, url) = mock(&[ChecksumAlgo::Sha512]).await;
    let s = server(&url, ChecksumAlgo::Sha512);
    client()
        .create(&s, &with_callbacks("room-s", &aula))
        .await
        .expect("create");
    client()
        .create(&s, &with_callbacks("deleted-in-aula", &aula))
        .await
        .expect("create");
    for (meeting, record) in [("room-s", "rec-s"), ("deleted-in-aula", "rec-d")] {
        let r = backoffice(
            &url,
            "recordings",
            json!({"meeting_id": meeting, "record_id": record}),
        )
        .await;
        assert_eq!(r.status(), 201);
    }
    let ok = backoffice(&url, "recordings/rec-s/notify-ready", json!(null)).await;
    assert_eq!(
        ok.json::<serde_json::Value>().await.expect("json")["status"],
        200
    );
    assert_eq!(aula_seen.lock().unwrap().ready[0].record_id, "rec-s");
    let gone = backoffice(&url, "recordings/rec-d/notify-ready", json!({})).await;
    assert_eq!(
        gone.json::<serde_json::Value>().await.expect("json")["status"],
        410
    );
    // The recording carries its meeting's metadata, as in BBB.
    let stored = m.state.lock().unwrap().recordings[0].clone();
    assert_eq!(stored.meta["bbb-context-name"], "Physics 101");
}

#[tokio::test]
async fn analytics_sent_by_the_mock_verify_and_give_each_attendees_presence() {
    let (aula_seen, aula) = receiver().await;
    let (_m, url) = mock(&ChecksumAlgo::ALL).await;
    let s = server(&url, ChecksumAlgo::Sha256);
    let created = client()
        .create(&s, &with_callbacks("room-a", &aula))
        .await
        .expect("create");
    let t0: i64 = 1_780_000_000_000;
    let min = 60_000;
    let res = backoffice(
        &url,
        "meetings/room-a/send-analytics",
        json!({
            "start": t0, "finish": t0 + 60 * min,
            "attendees": [
                {"ext_user_id": "aula-1", "name": "Tomás Teacher", "moderator": true,
                 "joins": [t0], "leaves": [t0 + 60 * min],
                 "engagement": {"chats": 3, "talk_time": 900}},
                {"ext_user_id": "aula-2", "name": "Zoë Student",
                 "joins": [t0 + 5 * min, t0 + 30 * min], "leaves": [t0 + 20 * min]}
            ]
        }),
    )
    .await;
    assert_eq!(
        res.json::<serde_json::Value>().await.expect("json"),
        json!({"status": 200})
    );

    let seen = aula_seen.lock().unwrap();
    assert_eq!(seen.user_agents, ["BigBlueButton Analytics Callback"]);
    let report = &seen.reports[0];
    assert_eq!(report.meeting_id, "room-a");
    assert_eq!(report.internal_meeting_id, created.internal_meeting_id);
    assert_eq!((report.start_ms, report.finish_ms), (t0, t0 + 60 * min));
    assert_eq!(report.duration_secs, 3600);
    let teacher = &report.attendees[0];
    assert!(teacher.moderator);
    assert_eq!((teacher.chats, teacher.talk_time_secs), (3, 900));
    let student = &report.attendees[1];
    assert_eq!(student.name, "Zoë Student");
    assert_eq!(
        presence_intervals(student, report.finish_ms),
        [
            (t0 + 5 * min, t0 + 20 * min),
            (t0 + 30 * min, t0 + 60 * min)
        ],
        "the stay still open at the end closes at the finish"
    );
    assert_eq!(student.duration_secs, 45 * 60);
}

#[tokio::test]
async fn analytics_default_to_the_joins_and_leaves_the_mock_saw_and_a_wrong_secret_gets_401() {
    let (aula_seen, aula) = receiver().await;
    let (_m, url) = mock(&ChecksumAlgo::ALL).await;
    let s = server(&url, ChecksumAlgo::Sha256);
    client()
        .create(&s, &with_callbacks("room-p", &aula))
        .await
        .expect("create");
    let t0: i64 = 1_780_000_000_000;
    let join = |user: &str, at: i64| json!({"user_id": user, "full_name": format!("User {user}"), "role": "VIEWER", "at_ms": at});
    backoffice(&url, "meetings/room-p/join-user", join("u1", t0)).await;
    backoffice(&url, "meetings/room-p/join-user", join("u2", t0 + 1000)).await;
    backoffice(
        &url,
        "meetings/room-p/leave-user",
        json!({"user_id": "u2", "at_ms": t0 + 5000}),
    )
    .await;
    backoffice(&url, "meetings/room-p/end", json!({})).await;

    let forged = backoffice(
        &url,
        "meetings/room-p/send-analytics",
        json!({"secret": "nope"}),
    )
    .await;
    assert_eq!(
        forged.json::<serde_json::Value>().await.expect("json"),
        json!({"status": 401})
    );
    let res = backoffice(&url, "meetings/room-p/send-analytics", json!({})).await;
    assert_eq!(
        res.json::<serde_json::Value>().await.expect("json"),
        json!({"status": 200})
    );

    let seen = aula_seen.lock().unwrap();
    let report = &seen.reports[0];
    let ids: Vec<&str> = report
        .attendees
        .iter()
        .map(|a| a.ext_user_id.as_str())
        .collect();
    assert_eq!(ids, ["u1", "u2"]);
    let u2 = &report.attendees[1];
    assert_eq!(
        presence_intervals(u2, report.finish_ms),
        [(t0 + 1000, t0 + 5000)]
    );
    let u1 = &report.attendees[0];
    assert_eq!(u1.leaves_ms.len(), 1, "ending the meeting made u1 leave");
    assert!(report.finish_ms >= u1.leaves_ms[0]);
}
