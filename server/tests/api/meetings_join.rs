//! Entering meetings outside courses against the mock BBB: owners start and moderate, others
//! wait and then view, access rules, anonymous guests with an access code, the options BBB's
//! create receives, and slides.

use reqwest::StatusCode;
use serde_json::Value;

use crate::{
    helpers::Client,
    meetings::{Scene, scene},
};

fn param(url: &str, name: &str) -> Option<String> {
    let q = url.split_once('?')?.1;
    form_urlencoded::parse(q.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn redirect_of(v: &Value) -> String {
    v["redirect_url"]
        .as_str()
        .unwrap_or_else(|| panic!("no redirect in {v}"))
        .to_owned()
}

async fn join(who: &Client, public_id: &str, extra: &[(&str, &str)]) -> (StatusCode, Value) {
    let mut form = vec![("public_id", public_id)];
    form.extend_from_slice(extra);
    who.call("meetings/join", &form).await
}

/// The mock accepts the signed URL (checksum, createTime) and lets the person in.
async fn mock_admits(url: &str) {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http");
    let res = http.get(url).send().await.expect("join");
    assert_eq!(res.status(), 302, "{:?}", res.text().await);
}

fn create_params(sc: &Scene, meeting_id: &str) -> std::collections::BTreeMap<String, String> {
    sc.mock
        .state
        .lock()
        .expect("mock")
        .meetings
        .get(meeting_id)
        .map(|m| m.params.clone())
        .expect("the meeting was created")
}

#[tokio::test]
async fn a_co_owner_starts_as_moderator_and_the_meeting_id_survives_a_rename() {
    let sc = scene().await;
    let (id, public_id) = sc.meeting(&[]).await;
    sc.make_colin_co_owner(&id).await;
    let (s, page) = sc
        .colin
        .call("meetings/page", &[("public_id", &public_id)])
        .await;
    assert_eq!(s, 200, "{page}");
    assert_eq!(page["is_owner"], true);
    assert_eq!(page["running"], false);

    let (s, r) = join(&sc.colin, &public_id, &[]).await;
    assert_eq!(s, 200, "{r}");
    let url = redirect_of(&r);
    assert!(url.starts_with(&format!("{}/join?", sc.api)), "{url}");
    assert_eq!(param(&url, "role").as_deref(), Some("MODERATOR"));
    assert_eq!(param(&url, "fullName").as_deref(), Some("colin"));
    let meeting_id = param(&url, "meetingID").expect("meetingID");
    assert_eq!(meeting_id.len(), 40);
    assert!(!meeting_id.to_lowercase().contains("thesis"));
    mock_admits(&url).await;

    let (s, e) = sc
        .update(&sc.olive, &id, sc.form("Defence, renamed", &[]))
        .await;
    assert_eq!(s, 200, "{e}");
    let (_, again) = join(&sc.olive, &public_id, &[]).await;
    assert_eq!(param(&redirect_of(&again), "meetingID"), Some(meeting_id));
}

#[tokio::test]
async fn a_signed_in_user_waits_until_an_owner_starts_then_joins_as_viewer() {
    let sc = scene().await;
    let (_, public_id) = sc.meeting(&[]).await;
    let (s, page) = sc
        .uma
        .call("meetings/page", &[("public_id", &public_id)])
        .await;
    assert_eq!(s, 200, "{page}");
    assert_eq!(page["is_owner"], false);
    assert_eq!(page["needs_code"], false);
    assert_eq!(page["owner_name"], "olive");
    let (s, e) = join(&sc.uma, &public_id, &[]).await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert!(e.to_string().contains("NotStarted"), "{e}");
    let (_, status) = sc
        .uma
        .call("meetings/status", &[("public_id", &public_id)])
        .await;
    assert_eq!(status["running"], false);
    assert!(
        !sc.mock
            .state
            .lock()
            .expect("mock")
            .calls
            .iter()
            .any(|c| c.call == "create"),
        "waiting must not create the meeting"
    );

    let (s, r) = join(&sc.olive, &public_id, &[]).await;
    assert_eq!(s, 200, "{r}");
    let (_, status) = sc
        .uma
        .call("meetings/status", &[("public_id", &public_id)])
        .await;
    assert_eq!(status["running"], true);
    let (s, r) = join(&sc.uma, &public_id, &[]).await;
    assert_eq!(s, 200, "{r}");
    let url = redirect_of(&r);
    assert_eq!(param(&url, "role").as_deref(), Some("VIEWER"));
    assert_eq!(param(&url, "guest"), None);
    assert!(param(&url, "createTime").is_some());
    mock_admits(&url).await;
}

#[tokio::test]
async fn a_meeting_for_signed_in_users_refuses_anonymous_callers() {
    let sc = scene().await;
    let (_, public_id) = sc.meeting(&[("access", "users")]).await;
    let anonymous = sc.app.client();
    let (s, _) = anonymous
        .call("meetings/page", &[("public_id", &public_id)])
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = join(&anonymous, &public_id, &[("name", "Kim")]).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = anonymous
        .call("meetings/status", &[("public_id", &public_id)])
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // The page itself sends anonymous visitors to sign in.
    let (s, _) = anonymous.get(&format!("/m/{public_id}")).await;
    assert!(s.is_redirection() || s == StatusCode::UNAUTHORIZED, "{s}");
}

#[tokio::test]
async fn a_course_meeting_admits_members_of_its_courses_and_refuses_other_users() {
    let sc = scene().await;
    let course = sc.course.to_string();
    let (_, public_id) = sc
        .meeting(&[("access", "courses"), ("course_ids[]", &course)])
        .await;
    join(&sc.olive, &public_id, &[]).await;
    let (s, r) = join(&sc.uma, &public_id, &[]).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(param(&redirect_of(&r), "role").as_deref(), Some("VIEWER"));
    let (s, _) = join(&sc.eve, &public_id, &[]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = sc
        .eve
        .call("meetings/page", &[("public_id", &public_id)])
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = join(&sc.app.client(), &public_id, &[("name", "Kim")]).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_anonymous_guest_needs_the_right_code_and_joins_as_a_bbb_guest() {
    let sc = scene().await;
    let (_, public_id) = sc
        .meeting(&[("access_code", "4711"), ("guest_policy", "ASK_MODERATOR")])
        .await;
    let guest = sc.app.client();
    let (s, page) = guest
        .call("meetings/page", &[("public_id", &public_id)])
        .await;
    assert_eq!(s, 200, "{page}");
    assert_eq!(page["needs_code"], true);
    assert_eq!(page["signed_in"], false);
    join(&sc.olive, &public_id, &[]).await;

    let (s, e) = join(&guest, &public_id, &[("name", "Kim"), ("code", "1234")]).await;
    assert_eq!(s, 422, "{e}");
    assert!(e.to_string().contains("access_code"), "{e}");
    let (s, e) = join(&guest, &public_id, &[("name", "Kim")]).await;
    assert_eq!(s, 422, "{e}");
    let (s, e) = join(&guest, &public_id, &[("name", " "), ("code", "4711")]).await;
    assert_eq!(s, 422);
    assert!(e.to_string().contains("\"name\""), "{e}");
    // Signed-in people need the code too; the owners do not.
    let (s, _) = join(&sc.uma, &public_id, &[]).await;
    assert_eq!(s, 422);

    let (s, r) = join(&guest, &public_id, &[("name", "Kim Lee"), ("code", "4711")]).await;
    assert_eq!(s, 200, "{r}");
    let url = redirect_of(&r);
    assert_eq!(param(&url, "guest").as_deref(), Some("true"));
    assert_eq!(param(&url, "role").as_deref(), Some("VIEWER"));
    assert_eq!(param(&url, "fullName").as_deref(), Some("Kim Lee"));
    let user_id = param(&url, "userID").expect("userID");
    assert!(user_id.starts_with("guest:"), "{user_id}");
    mock_admits(&url).await;
    // The same browser comes back as the same guest.
    let (_, r) = join(&guest, &public_id, &[("name", "Kim Lee"), ("code", "4711")]).await;
    assert_eq!(param(&redirect_of(&r), "userID"), Some(user_id));
}

#[tokio::test]
async fn guessing_codes_from_one_address_is_slowed_down() {
    let sc = scene().await;
    let (_, public_id) = sc.meeting(&[("access_code", "4711")]).await;
    let guest = sc.app.client();
    let mut statuses = Vec::new();
    for i in 0..40 {
        let guess = format!("{:04}", 1000 + i);
        let (s, _) = join(&guest, &public_id, &[("name", "Mallory"), ("code", &guess)]).await;
        statuses.push(s);
    }
    assert_eq!(
        statuses.last(),
        Some(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    let (s, _) = join(&guest, &public_id, &[("name", "Mallory"), ("code", "4711")]).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn bbb_receives_the_meetings_options_when_it_starts() {
    let sc = scene().await;
    let (_, public_id) = sc
        .meeting(&[
            ("record", "on"),
            ("auto_start_recording", "on"),
            ("allow_start_stop_recording", "on"),
            ("guest_policy", "ASK_MODERATOR"),
            ("max_duration_minutes", "90"),
            ("welcome", "Hello & welcome"),
        ])
        .await;
    let (_, r) = join(&sc.olive, &public_id, &[]).await;
    let meeting_id = param(&redirect_of(&r), "meetingID").expect("meetingID");
    let p = create_params(&sc, &meeting_id);
    assert_eq!(p["name"], "Thesis defence");
    assert_eq!(p["record"], "true");
    assert_eq!(p["autoStartRecording"], "true");
    assert_eq!(p["allowStartStopRecording"], "true");
    assert_eq!(p["guestPolicy"], "ASK_MODERATOR");
    assert_eq!(p["duration"], "90");
    assert_eq!(p["welcome"], "Hello & welcome");
    assert!(
        p["logoutURL"].ends_with(&format!("/m/{public_id}")),
        "{p:?}"
    );
    assert!(p["meta_endCallbackUrl"].contains(&format!("/bbb/ended/{meeting_id}?sig=")));

    // The other way round: nothing recorded, everyone accepted, no limit.
    let (_, other) = sc.meeting(&[]).await;
    let (_, r) = join(&sc.olive, &other, &[]).await;
    let p = create_params(&sc, &param(&redirect_of(&r), "meetingID").expect("id"));
    assert_eq!(p["record"], "false");
    assert_eq!(p["autoStartRecording"], "false");
    assert_eq!(p["guestPolicy"], "ALWAYS_ACCEPT");
    assert_eq!(p["duration"], "0");
}

async fn upload(sc: &Scene, who: &Client, id: &str, name: &str, bytes: Vec<u8>) -> (u16, String) {
    let form = reqwest::multipart::Form::new().part(
        "slides",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
    );
    let res = who
        .http
        .post(format!("{}/meetings/{id}/slides", sc.app.base))
        .header("sec-fetch-site", "same-origin")
        .multipart(form)
        .send()
        .await
        .expect("upload");
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (res.status().as_u16(), location)
}

#[tokio::test]
async fn uploaded_slides_reach_bbb_when_the_meeting_starts() {
    let sc = scene().await;
    let (id, public_id) = sc.meeting(&[]).await;
    let pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".to_vec();

    let (s, to) = upload(&sc, &sc.olive, &id, "notes.txt", b"just text".to_vec()).await;
    assert_eq!(
        (s, to.as_str()),
        (303, format!("/meetings/{id}/edit?slides=invalid").as_str())
    );
    let (s, _) = upload(&sc, &sc.eve, &id, "week1.pdf", pdf.clone()).await;
    assert_eq!(s, 403);
    let (s, to) = upload(&sc, &sc.olive, &id, "Week 1.PDF", pdf.clone()).await;
    assert_eq!(
        (s, to.as_str()),
        (303, format!("/meetings/{id}/edit?slides=saved").as_str())
    );
    let stored = sc
        .app
        .data_dir
        .path()
        .join("slides")
        .join(format!("{public_id}.pdf"));
    assert_eq!(std::fs::read(&stored).expect("stored"), pdf);
    let (_, form) = sc.olive.call("meetings/form", &[("meeting_id", &id)]).await;
    assert_eq!(form["slides_name"], "Week 1.pdf");

    let (s, r) = join(&sc.olive, &public_id, &[]).await;
    assert_eq!(s, 200, "{r}");
    let meeting_id = param(&redirect_of(&r), "meetingID").expect("meetingID");
    let docs = sc.mock.state.lock().expect("mock").meetings[&meeting_id]
        .presentation
        .clone();
    assert_eq!(docs.len(), 1, "{docs:?}");
    assert_eq!(docs[0].filename, "Week 1.pdf");
    assert_eq!(docs[0].size, pdf.len());

    // Deleting the meeting deletes the file.
    let (s, _) = sc
        .olive
        .call("meetings/delete", &[("meeting_id", &id)])
        .await;
    assert_eq!(s, 200);
    assert!(!stored.exists());
}

#[tokio::test]
async fn removed_slides_are_no_longer_sent() {
    let sc = scene().await;
    let (id, public_id) = sc.meeting(&[]).await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let (s, _) = upload(&sc, &sc.olive, &id, "board.png", png).await;
    assert_eq!(s, 303);
    let (s, _) = sc
        .olive
        .call("meetings/slides/remove", &[("meeting_id", &id)])
        .await;
    assert_eq!(s, 200);
    assert!(
        !sc.app
            .data_dir
            .path()
            .join("slides")
            .join(format!("{public_id}.png"))
            .exists()
    );
    let (_, r) = join(&sc.olive, &public_id, &[]).await;
    let meeting_id = param(&redirect_of(&r), "meetingID").expect("meetingID");
    let docs = sc.mock.state.lock().expect("mock").meetings[&meeting_id]
        .presentation
        .clone();
    assert!(docs.is_empty(), "{docs:?}");
}
