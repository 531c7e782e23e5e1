//! The BigBlueButton client against the mock BBB server on loopback: every call, every checksum
//! algorithm, the documented error keys, paging and retries, slides sent on create, attendees and
//! protected recordings. The callbacks are in `bbb_callbacks.rs`.

use bbb::fake::{MockBbb, PlaybackFormat, Recording};
use bbb::{
    checksum::ChecksumAlgo,
    client::{BbbClient, BbbServer, CreateMeeting, JoinAs, Slides},
    error::{BbbError, MessageKey},
};
use serde_json::{Value, json};

pub const SECRET: &str = "mock-secret-0123456789";

pub async fn mock(allowed: &[ChecksumAlgo]) -> (MockBbb, String) {
    crate::helpers::spawn_mock_bbb(SECRET, allowed).await
}

pub fn server(api_url: &str, algo: ChecksumAlgo) -> BbbServer {
    BbbServer {
        api_url: api_url.to_owned(),
        secret: SECRET.to_owned(),
        algo,
    }
}

pub fn client() -> BbbClient {
    BbbClient::new(std::time::Duration::from_secs(5))
}

pub fn meeting(id: &str) -> CreateMeeting {
    CreateMeeting {
        meeting_id: id.into(),
        name: "Physics 101 · Week 1".into(),
        record: true,
        allow_start_stop_recording: true,
        meta: vec![(
            "endCallbackUrl".into(),
            "https://aula.test/bbb/end?x=1&y=2".into(),
        )],
        ..CreateMeeting::default()
    }
}

#[tokio::test]
async fn every_checksum_algorithm_passes_the_mock_and_a_wrong_secret_does_not() {
    let (m, url) = mock(&ChecksumAlgo::ALL).await;
    for algo in ChecksumAlgo::ALL {
        let created = client()
            .create(
                &server(&url, algo),
                &meeting(&format!("m-{}", algo.as_str())),
            )
            .await
            .expect("create");
        assert!(created.create_time > 0);
    }
    assert!(m.state.lock().unwrap().calls.iter().all(|c| c.checksum_ok));
    let mut wrong = server(&url, ChecksumAlgo::Sha256);
    wrong.secret = "not-the-secret".into();
    match client().create(&wrong, &meeting("m-x")).await {
        Err(BbbError::Failed { key, .. }) => assert_eq!(key, MessageKey::ChecksumError),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_server_that_allows_only_sha512_refuses_sha1_checksums() {
    let (_m, url) = mock(&[ChecksumAlgo::Sha512]).await;
    assert!(
        client()
            .meetings(&server(&url, ChecksumAlgo::Sha512))
            .await
            .is_ok()
    );
    match client().meetings(&server(&url, ChecksumAlgo::Sha1)).await {
        Err(BbbError::Failed { key, .. }) => assert_eq!(key, MessageKey::ChecksumError),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn create_is_idempotent_and_join_needs_the_create_time() {
    let (m, url) = mock(&ChecksumAlgo::ALL).await;
    let s = server(&url, ChecksumAlgo::Sha256);
    let c = client();
    let first = c.create(&s, &meeting("room-1")).await.expect("create");
    let again = c
        .create(&s, &meeting("room-1"))
        .await
        .expect("create again");
    assert_eq!(first.create_time, again.create_time);
    assert!(!c.is_meeting_running(&s, "room-1").await.expect("running?"));
    // The meta parameter reached the server intact (it holds & and =).
    let calls = m.state.lock().unwrap().calls.clone();
    assert_eq!(
        calls[0].params["meta_endCallbackUrl"],
        "https://aula.test/bbb/end?x=1&y=2"
    );

    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http");
    let mut join = JoinAs {
        meeting_id: "room-1".into(),
        full_name: "Tomás Teacher".into(),
        moderator: true,
        user_id: "aula-3".into(),
        avatar_url: None,
        create_time: first.create_time,
        guest: false,
    };
    let res = http
        .get(BbbClient::join_url(&s, &join))
        .send()
        .await
        .expect("join");
    assert_eq!(res.status(), 302);
    let to = res.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    assert!(to.contains("role=MODERATOR"), "{to}");
    assert!(c.is_meeting_running(&s, "room-1").await.expect("running?"));
    let info = c.meeting_info(&s, "room-1").await.expect("info");
    assert_eq!(info.attendees.attendee[0].user_id, "aula-3");
    assert_eq!(
        info.metadata["endcallbackurl"],
        "https://aula.test/bbb/end?x=1&y=2"
    );

    // A join link from an earlier run of the meeting is refused.
    join.create_time -= 1;
    let body = http
        .get(BbbClient::join_url(&s, &join))
        .send()
        .await
        .expect("join")
        .text()
        .await
        .expect("body");
    assert!(body.contains("mismatchCreateTimeParam"), "{body}");
}

#[tokio::test]
async fn ending_an_unknown_meeting_is_a_not_found_error_and_ending_a_known_one_stops_it() {
    let (_m, url) = mock(&ChecksumAlgo::ALL).await;
    let s = server(&url, ChecksumAlgo::Sha1);
    let c = client();
    match c.end(&s, "nope").await {
        Err(BbbError::Failed { key, .. }) => assert_eq!(key, MessageKey::NotFound),
        other => panic!("{other:?}"),
    }
    c.create(&s, &meeting("room-2")).await.expect("create");
    c.end(&s, "room-2").await.expect("end");
    assert!(c.meetings(&s).await.expect("meetings").is_empty());
    assert_eq!(c.version(&s).await.expect("version"), "2.0");
}

#[tokio::test]
async fn recordings_are_paged_published_renamed_and_deleted() {
    let (m, url) = mock(&ChecksumAlgo::ALL).await;
    let s = server(&url, ChecksumAlgo::Sha384);
    for i in 0..130 {
        m.state.lock().unwrap().recordings.push(Recording {
            record_id: format!("rec-{i}"),
            meeting_id: if i % 2 == 0 { "a" } else { "b" }.into(),
            name: format!("Recording {i}"),
            published: true,
            ..Recording::default()
        });
    }
    let c = client();
    let all = c
        .recordings(&s, &["a".into(), "b".into()])
        .await
        .expect("recordings");
    assert_eq!(all.len(), 130, "two pages of 100 and 30");
    assert_eq!(c.recordings(&s, &["a".into()]).await.expect("a").len(), 65);
    assert!(
        c.recordings(&s, &["none".into()])
            .await
            .expect("none")
            .is_empty()
    );

    // BBB answers `<published>true</published>` when the change was made, either way.
    assert!(c.publish(&s, "rec-0", false).await.expect("unpublish"));
    let meta = vec![("name".to_owned(), "Week 1 <intro>".to_owned())];
    assert!(c.update_meta(&s, "rec-0", &meta).await.expect("rename"));
    let r0 = &c.recordings(&s, &["a".into()]).await.expect("a")[0];
    assert!(!r0.published);
    assert_eq!(r0.metadata["name"], "Week 1 <intro>");
    assert!(c.delete(&s, "rec-0").await.expect("delete"));
    match c.delete(&s, "rec-0").await {
        Err(BbbError::Failed { key, .. }) => assert_eq!(key, MessageKey::NotFound),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn transient_failures_are_retried_and_a_dead_server_is_reported_unreachable() {
    let (m, url) = mock(&ChecksumAlgo::ALL).await;
    let s = server(&url, ChecksumAlgo::Sha256);
    m.state.lock().unwrap().fail_next = 2;
    assert!(
        client().meetings(&s).await.is_ok(),
        "two 503s, then success"
    );
    m.state.lock().unwrap().fail_next = 3;
    assert!(matches!(
        client().meetings(&s).await,
        Err(BbbError::Unreachable(_))
    ));
    let dead = server("http://127.0.0.1:9/bigbluebutton/api", ChecksumAlgo::Sha256);
    assert!(matches!(
        client().meetings(&dead).await,
        Err(BbbError::Unreachable(_))
    ));
}

/// The mock's back office, reached over HTTP as the browser tests reach it.
pub async fn backoffice(api_url: &str, path: &str, body: Value) -> reqwest::Response {
    let base = api_url.trim_end_matches("/bigbluebutton/api");
    reqwest::Client::new()
        .post(format!("{base}/__mock/{path}"))
        .json(&body)
        .send()
        .await
        .expect("back office")
}

pub async fn mock_meetings(api_url: &str) -> Vec<Value> {
    let base = api_url.trim_end_matches("/bigbluebutton/api");
    reqwest::get(format!("{base}/__mock/meetings"))
        .await
        .expect("meetings")
        .json()
        .await
        .expect("json")
}

#[tokio::test]
async fn create_with_slides_is_a_post_and_the_mock_received_the_file() {
    let (m, url) = mock(&ChecksumAlgo::ALL).await;
    let s = server(&url, ChecksumAlgo::Sha512);
    let pdf: Vec<u8> = (0..3000u32).map(|i| (i % 251) as u8).collect();
    let with_slides = CreateMeeting {
        max_participants: 25,
        meeting_keep_events: true,
        moderator_only_message: Some("Guest link: https://aula.test/g/abc".into()),
        slides: Some(Slides {
            filename: "Week 1 & intro.pdf".into(),
            bytes: pdf,
        }),
        ..meeting("room-slides")
    };
    let first = client().create(&s, &with_slides).await.expect("create");
    let again = client().create(&s, &with_slides).await.expect("again");
    assert_eq!(first.create_time, again.create_time, "still idempotent");

    let calls = m.state.lock().unwrap().calls.clone();
    assert_eq!(calls[0].method, "POST");
    assert!(calls[0].checksum_ok, "the checksum covers the query only");
    let meetings = mock_meetings(&url).await;
    let room = &meetings[0];
    assert_eq!(room["id"], "room-slides");
    assert_eq!(
        room["presentation"],
        json!([{"filename": "Week 1 & intro.pdf", "size": 3000, "url": null}])
    );
    assert_eq!(room["params"]["maxParticipants"], "25");
    assert_eq!(room["params"]["meetingKeepEvents"], "true");
    assert_eq!(
        room["params"]["moderatorOnlyMessage"],
        "Guest link: https://aula.test/g/abc"
    );
    assert_eq!(
        room["params"]["meta_endCallbackUrl"],
        "https://aula.test/bbb/end?x=1&y=2"
    );
}

#[tokio::test]
async fn get_meetings_lists_the_people_who_joined_through_the_back_office() {
    let (_m, url) = mock(&ChecksumAlgo::ALL).await;
    let s = server(&url, ChecksumAlgo::Sha256);
    let c = client();
    c.create(&s, &meeting("room-3")).await.expect("create");
    for (user, name, role) in [
        ("aula-1", "Tomás Teacher", "MODERATOR"),
        ("aula-2", "Zoë Student", "VIEWER"),
    ] {
        let res = backoffice(
            &url,
            "meetings/room-3/join-user",
            json!({"user_id": user, "full_name": name, "role": role}),
        )
        .await;
        assert_eq!(res.status(), 204);
    }
    let listed = c.meetings(&s).await.expect("meetings");
    assert_eq!(listed.len(), 1);
    assert!(listed[0].running);
    assert_eq!(listed[0].participant_count, 2);
    assert_eq!(listed[0].moderator_count, 1);
    assert_eq!(listed[0].attendees.attendee[1].full_name, "Zoë Student");

    let left = backoffice(
        &url,
        "meetings/room-3/leave-user",
        json!({"user_id": "aula-2"}),
    )
    .await;
    assert_eq!(left.status(), 204);
    let info = c.meeting_info(&s, "room-3").await.expect("info");
    assert_eq!(info.attendees.attendee.len(), 1);
    let nobody = backoffice(
        &url,
        "meetings/nope/join-user",
        json!({"user_id": "u", "full_name": "U"}),
    )
    .await;
    assert_eq!(nobody.status(), 404);
}

#[tokio::test]
async fn a_recording_is_protected_and_unprotected_and_shows_its_formats_and_previews() {
    let (m, url) = mock(&ChecksumAlgo::ALL).await;
    let s = server(&url, ChecksumAlgo::Sha1);
    let seeded = backoffice(
        &url,
        "recordings",
        json!({
            "record_id": "rec-9", "meeting_id": "room-9", "name": "Week 9",
            "start_time": 1_780_000_000_000i64, "end_time": 1_780_003_000_000i64, "participants": 14,
            "playback": [
                {"type": "presentation", "url": "https://bbb.test/p/rec-9", "length_minutes": 50,
                 "previews": ["https://bbb.test/p/rec-9/1.png", "https://bbb.test/p/rec-9/2.png"]},
                {"type": "video", "url": "https://bbb.test/v/rec-9.mp4", "length_minutes": 50}
            ]
        }),
    )
    .await;
    assert_eq!(seeded.status(), 201);
    m.state.lock().unwrap().recordings.push(Recording {
        record_id: "rec-10".into(),
        meeting_id: "room-9".into(),
        state: "processing".into(),
        ..Recording::default()
    });
    let c = client();
    assert!(c.set_protected(&s, "rec-9", true).await.expect("protect"));
    let listed = c.recordings(&s, &["room-9".into()]).await.expect("list");
    assert_eq!(
        listed.len(),
        1,
        "a recording still processing is not listed by default"
    );
    let r = &listed[0];
    assert!(r.protected);
    assert_eq!((r.start_time, r.participants), (1_780_000_000_000, 14));
    let kinds: Vec<&str> = r.playback.format.iter().map(|f| f.kind.as_str()).collect();
    assert_eq!(kinds, ["presentation", "video"]);
    assert_eq!(r.playback.format[0].length, 50);
    assert_eq!(r.playback.format[0].preview.images.image.len(), 2);
    assert!(r.playback.format[1].preview.images.image.is_empty());

    assert!(
        c.set_protected(&s, "rec-9", false)
            .await
            .expect("unprotect")
    );
    assert!(!c.recordings(&s, &["room-9".into()]).await.expect("list")[0].protected);
    match c.set_protected(&s, "rec-404", true).await {
        Err(BbbError::Failed { key, .. }) => assert_eq!(key, MessageKey::NotFound),
        other => panic!("{other:?}"),
    }
    let stored = m.state.lock().unwrap().recordings[0].clone();
    assert_eq!(
        stored.playback[1],
        PlaybackFormat {
            kind: "video".into(),
            url: "https://bbb.test/v/rec-9.mp4".into(),
            length_minutes: 50,
            previews: vec![],
        }
    );
}
