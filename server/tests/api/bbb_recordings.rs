//! BigBlueButton's callbacks into Aula and the recordings they announce, against the mock BBB:
//! the recording-ready callback (verified with the room's server secret, e-mailed to the owners
//! through a real SMTP server), the end callback, and the recordings list with its actions, for
//! activities and meetings.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::bbb_scene::{SECRET, param, scene};

fn names(list: &Value) -> Vec<String> {
    list["recordings"]
        .as_array()
        .expect("recordings")
        .iter()
        .map(|r| r["name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn a_ready_recording_is_listed_and_emailed_to_the_teacher_by_name() {
    let mut sc = scene(true, "").await;
    let record = sc
        .seed(&sc.meeting_id.clone(), json!({ "name": "Lenses, week 1" }))
        .await;
    assert_eq!(sc.notify(&record, json!({})).await, json!(200));

    let mail = sc
        .next_mail(Duration::from_secs(10))
        .await
        .expect("the teacher is told");
    assert_eq!(mail["to"], json!(["tom@uni.test"]));
    assert!(
        mail["subject"]
            .as_str()
            .unwrap_or_default()
            .contains("Lenses, week 1"),
        "{mail}"
    );
    let body = mail["body"].as_str().unwrap_or_default();
    assert!(
        body.contains(&format!(
            "{}/activities/{}/recordings",
            sc.app.base, sc.activity
        )),
        "{body}"
    );
    assert!(!body.contains(SECRET));
    // Only the course's editing teachers are told, not its students.
    assert_eq!(sc.next_mail(Duration::from_millis(500)).await, None);

    let (s, list) = sc.list(&sc.teacher, &sc.activity_owner()).await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(list["bbb"], true);
    let row = &list["recordings"][0];
    assert_eq!(row["name"], "Lenses, week 1");
    assert_eq!(row["links"][0]["kind"], "presentation");
    assert!(
        row["links"][0]["url"]
            .as_str()
            .unwrap_or_default()
            .contains(&record)
    );
    assert_eq!(row["minutes"], 60);
    assert_eq!(row["previews"][0]["alt"], "slide");
}

#[tokio::test]
async fn a_ready_callback_signed_with_another_secret_is_refused_and_mails_nobody() {
    let mut sc = scene(true, "").await;
    let record = sc.seed(&sc.meeting_id.clone(), json!({})).await;
    let status = sc
        .notify(&record, json!({ "secret": "not-the-servers-secret" }))
        .await;
    assert_eq!(status, json!(401));
    assert_eq!(sc.next_mail(Duration::from_secs(1)).await, None);
    // HS512 with the right secret is BBB's other way of signing it.
    let status = sc.notify(&record, json!({ "algorithm": "HS512" })).await;
    assert_eq!(status, json!(200));
}

#[tokio::test]
async fn callbacks_for_a_deleted_activity_answer_gone_and_unknown_meetings_not_found() {
    let sc = scene(false, "").await;
    let record = sc.seed(&sc.meeting_id.clone(), json!({})).await;
    let (s, e) = sc
        .teacher
        .call("activities/delete", &[("activity_id", &sc.activity)])
        .await;
    assert_eq!(s, 200, "{e}");
    assert_eq!(sc.notify(&record, json!({})).await, json!(410));
    let (s, r) = sc
        .backoffice(
            &format!("meetings/{}/send-analytics", sc.meeting_id),
            json!({}),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["status"], 410);

    let token = jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &json!({ "meeting_id": "not-a-room-of-this-aula", "record_id": "r-1" }),
        &jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()),
    )
    .expect("sign");
    let res = reqwest::Client::new()
        .post(format!("{}/bbb/recording-ready", sc.app.base))
        .form(&[("signed_parameters", token)])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = reqwest::Client::new()
        .post(format!("{}/bbb/recording-ready", sc.app.base))
        .form(&[("signed_parameters", "not a token")])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_end_callback_needs_aulas_signature_and_announces_a_recording_in_processing() {
    let sc = scene(false, "").await;
    let res = reqwest::Client::new()
        .get(format!(
            "{}/bbb/ended/{}?sig=0000&recordingmarks=true",
            sc.app.base, sc.meeting_id
        ))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let (_, list) = sc.list(&sc.teacher, &sc.activity_owner()).await;
    assert_eq!(list["processing"], false);

    // The mock ends the meeting and calls the URL Aula gave it, signature included.
    let (s, r) = sc
        .backoffice(
            &format!("meetings/{}/end", sc.meeting_id),
            json!({ "recordingmarks": true }),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["status"], 200);
    let (_, list) = sc.list(&sc.teacher, &sc.activity_owner()).await;
    assert_eq!(list["processing"], true, "{list}");
    assert_eq!(list["recordings"], json!([]));

    let record = sc.seed(&sc.meeting_id.clone(), json!({})).await;
    assert_eq!(sc.notify(&record, json!({})).await, json!(200));
    let (_, list) = sc.list(&sc.teacher, &sc.activity_owner()).await;
    assert_eq!(list["processing"], false, "{list}");
    assert_eq!(names(&list), ["Optics Lab"]);
}

#[tokio::test]
async fn a_student_sees_only_published_recordings_and_may_not_change_them() {
    let sc = scene(false, "").await;
    let shown = sc
        .seed(&sc.meeting_id.clone(), json!({ "name": "Published" }))
        .await;
    sc.seed(
        &sc.meeting_id.clone(),
        json!({ "record_id": "unpublished-1", "name": "Draft", "published": false }),
    )
    .await;
    let owner = sc.activity_owner();
    let (s, list) = sc.list(&sc.student, &owner).await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(names(&list), ["Published"]);
    assert_eq!(
        (
            &list["can_publish"],
            &list["can_rename"],
            &list["can_delete"]
        ),
        (&json!(false), &json!(false), &json!(false))
    );
    let (_, list) = sc.list(&sc.teacher, &owner).await;
    assert_eq!(list["recordings"].as_array().map(Vec::len), Some(2));

    for (endpoint, extra) in [
        ("rooms/recordings/rename", Some(("name", "Mine now"))),
        ("rooms/recordings/publish", Some(("publish", "false"))),
        ("rooms/recordings/protect", Some(("protect", "true"))),
        ("rooms/recordings/delete", None),
    ] {
        let mut form = vec![("owner", owner.as_str()), ("record_id", shown.as_str())];
        form.extend(extra);
        let (s, e) = sc.student.call(endpoint, &form).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{endpoint}: {e}");
    }
    assert!(sc.mock_recording(&shown).published);
    assert!(!sc.mock_recording(&shown).deleted);
}

#[tokio::test]
async fn a_teacher_renames_unpublishes_protects_and_deletes_a_recording_on_bbb() {
    let sc = scene(false, "").await;
    let record = sc.seed(&sc.meeting_id.clone(), json!({})).await;
    let owner = sc.activity_owner();
    let act = |endpoint: &'static str, extra: Vec<(&'static str, &'static str)>| {
        let (owner, record) = (owner.clone(), record.clone());
        let teacher = &sc.teacher;
        async move {
            let mut form = vec![("owner", owner.as_str()), ("record_id", record.as_str())];
            form.extend(extra);
            let (s, e) = teacher.call(endpoint, &form).await;
            assert_eq!(s, 200, "{endpoint}: {e}");
        }
    };
    let (s, e) = sc
        .teacher
        .call(
            "rooms/recordings/rename",
            &[("owner", &owner), ("record_id", &record), ("name", "  ")],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");

    act("rooms/recordings/rename", vec![("name", "Lenses, week 1")]).await;
    assert_eq!(
        sc.mock_recording(&record)
            .meta
            .get("name")
            .map(String::as_str),
        Some("Lenses, week 1")
    );
    act("rooms/recordings/publish", vec![("publish", "false")]).await;
    assert!(!sc.mock_recording(&record).published);
    act("rooms/recordings/protect", vec![("protect", "true")]).await;
    assert!(sc.mock_recording(&record).protected);

    let (_, list) = sc.list(&sc.teacher, &owner).await;
    let row = &list["recordings"][0];
    assert_eq!(row["name"], "Lenses, week 1");
    assert_eq!(
        (&row["published"], &row["protected"]),
        (&json!(false), &json!(true))
    );
    let (_, list) = sc.list(&sc.student, &owner).await;
    assert_eq!(
        list["recordings"],
        json!([]),
        "unpublished: not for students"
    );

    act("rooms/recordings/delete", vec![]).await;
    assert!(sc.mock_recording(&record).deleted);
    let (_, list) = sc.list(&sc.teacher, &owner).await;
    assert_eq!(list["recordings"], json!([]));
}

#[tokio::test]
async fn a_recording_of_another_room_cannot_be_touched_through_this_one() {
    let sc = scene(false, "").await;
    let other = sc.activity_on_bbb("Acoustics", "").await;
    let other_meeting = sc.start(&other).await;
    let foreign = sc.seed(&other_meeting, json!({})).await;
    let (s, e) = sc
        .teacher
        .call(
            "rooms/recordings/delete",
            &[("owner", &sc.activity_owner()), ("record_id", &foreign)],
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{e}");
    assert!(!sc.mock_recording(&foreign).deleted);
    let (_, list) = sc.list(&sc.teacher, &sc.activity_owner()).await;
    assert_eq!(list["recordings"], json!([]));
    // An outsider of the course gets nothing at all.
    let eve = sc.app.login_as("eve@uni.test", false).await;
    let (s, _) = sc.list(&eve, &sc.activity_owner()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn meeting_owners_manage_recordings_and_admitted_users_see_published_unprotected_ones() {
    let sc = crate::meetings::scene().await;
    let (id, public_id) = sc.meeting(&[("access", "users")]).await;
    let (s, r) = sc
        .olive
        .call("meetings/join", &[("public_id", &public_id)])
        .await;
    assert_eq!(s, 200, "{r}");
    let meeting_id =
        param(r["redirect_url"].as_str().expect("redirect"), "meetingID").expect("meetingID");
    let seed = |body: Value| {
        let r: bbb::fake::Recording = serde_json::from_value(body).expect("recording");
        sc.mock.state.lock().expect("mock").recordings.push(r);
    };
    seed(json!({ "record_id": "open-1", "meeting_id": meeting_id, "name": "Open" }));
    seed(
        json!({ "record_id": "prot-1", "meeting_id": meeting_id, "name": "Protected", "protected": true }),
    );
    seed(
        json!({ "record_id": "draft-1", "meeting_id": meeting_id, "name": "Draft", "published": false }),
    );
    let owner = format!("meeting-{id}");

    let (s, list) = sc
        .olive
        .call("rooms/recordings", &[("owner", &owner)])
        .await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(list["title"], "Thesis defence");
    assert_eq!(list["recordings"].as_array().map(Vec::len), Some(3));
    assert_eq!(list["can_delete"], true);
    assert_eq!(list["can_see_sessions"], true);
    let (s, list) = sc.eve.call("rooms/recordings", &[("owner", &owner)]).await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(names(&list), ["Open"]);
    assert_eq!(list["can_see_sessions"], false);
    let (s, _) = sc
        .eve
        .call(
            "rooms/recordings/delete",
            &[("owner", &owner), ("record_id", "open-1")],
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = sc.eve.call("rooms/sessions", &[("owner", &owner)]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // The owner's page, rendered on the server.
    let (s, html) = sc.olive.get(&format!("/meetings/{id}/recordings")).await;
    assert_eq!(s, 200);
    assert!(
        html.contains("Recordings and sessions") && html.contains("Draft"),
        "{html}"
    );

    // A link meeting's recordings stay with its owners.
    let (link_id, _) = sc.meeting(&[]).await;
    let (s, _) = sc
        .eve
        .call(
            "rooms/recordings",
            &[("owner", &format!("meeting-{link_id}"))],
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}
