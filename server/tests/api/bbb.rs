//! The BigBlueButton client against the mock BBB server on loopback: every call, every checksum
//! algorithm, the documented error keys, paging and retries.

use app::bbb::{
    checksum::ChecksumAlgo,
    client::{BbbClient, BbbServer, CreateMeeting, JoinAs},
    error::{BbbError, MessageKey},
};
use server::test_support::mock_bbb::{MockBbb, Recording};

const SECRET: &str = "mock-secret-0123456789";

async fn mock(allowed: &[ChecksumAlgo]) -> (MockBbb, String) {
    let m = MockBbb::new(SECRET, allowed);
    let addr = m
        .clone()
        .spawn("127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("mock");
    (m, format!("http://{addr}/bigbluebutton/api"))
}

fn server(api_url: &str, algo: ChecksumAlgo) -> BbbServer {
    BbbServer {
        api_url: api_url.to_owned(),
        secret: SECRET.to_owned(),
        algo,
    }
}

fn client() -> BbbClient {
    BbbClient::new(std::time::Duration::from_secs(5))
}

fn meeting(id: &str) -> CreateMeeting {
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
