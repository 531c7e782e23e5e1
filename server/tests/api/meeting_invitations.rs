//! E-mail invitations to meetings, received by a real SMTP server on loopback (aiosmtpd): one mail
//! per address with the series as an `.ics`, bad addresses reported, the access code only when
//! the owner chose so, and only owners, co-owners and admins may invite.
//!
//! With `AULA_ICS_CAPTURE_DIR` set, the invitation received here (and a feed, in
//! `calendar_feed.rs`) is written there with the occurrences Aula computes, for
//! `tests/support/ics_check.sh` to read with Python's `icalendar` and `dateutil`.

mod scene;

use app::entities::{meeting, meeting_invitation};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, sea_query::Expr};
use serde_json::json;

pub use scene::{Scene, capture, expected_meeting, lines_of, next_monday, scene, unfold};

#[tokio::test]
async fn each_address_gets_its_own_invitation_with_the_weekly_series_and_bad_ones_are_reported() {
    let mut sc = scene(true).await;
    let (id, public_id) = sc.seminar(&[]).await;
    let (s, report) = sc
        .invite(
            &sc.olive,
            &id,
            "ana@example.org, not-an-address\nBen Bo <ben@example.org>",
        )
        .await;
    assert_eq!(s, 200, "{report}");
    assert_eq!(report["sent"], 2);
    assert_eq!(
        report["results"],
        json!([
            {"address": "ana@example.org", "status": "Sent", "copy": false},
            {"address": "not-an-address", "status": {"Invalid": "InvalidEmail"}, "copy": false},
            {"address": "ben@example.org", "status": "Sent", "copy": false},
        ])
    );

    let mails = sc.mails(2).await;
    let link = format!("{}/m/{public_id}", sc.app.base);
    for (m, to) in mails.iter().zip(["ana@example.org", "ben@example.org"]) {
        assert_eq!(m["to"], json!([to]));
        assert_eq!(m["subject"], "Invitation: Thesis seminar");
        let body = m["body"].as_str().expect("body");
        assert!(body.starts_with("Olive Owner invites you to the meeting “Thesis seminar”."));
        assert!(
            body.contains(&format!(
                "Next session: {} 09:00 (Europe/Paris), 90 minutes.",
                next_monday()
            )),
            "{body}"
        );
        assert!(
            body.contains("Repeats: Weekly on Monday and Wednesday, until "),
            "{body}"
        );
        assert!(body.contains(&link), "{body}");
        assert!(body.contains("bring the current draft"), "{body}");
        assert!(
            body.contains("the organiser will give it to you separately"),
            "{body}"
        );
        assert!(!body.contains("owl-2231"), "the code stays out: {body}");

        let ics = m["ics"].as_str().expect("ics");
        assert!(!ics.contains("owl-2231"));
        let raw = lines_of(ics);
        assert!(
            raw.iter().any(|l| l.starts_with(' ')),
            "long lines are folded"
        );
        let lines = unfold(ics);
        let has = |want: &str| lines.iter().any(|l| l == want);
        let starts = |want: &str| lines.iter().find(|l| l.starts_with(want)).cloned();
        assert!(has("METHOD:REQUEST"));
        assert_eq!(lines.iter().filter(|l| *l == "BEGIN:VEVENT").count(), 1);
        let rrule = starts("RRULE:").expect("an RRULE");
        assert!(
            rrule.starts_with("RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE"),
            "{rrule}"
        );
        assert!(rrule.contains(";UNTIL=") && rrule.ends_with('Z'), "{rrule}");
        assert!(has(&format!(
            "DTSTART;TZID=Europe/Paris:{}T090000",
            next_monday().format("%Y%m%d")
        )));
        assert!(has("BEGIN:VTIMEZONE"));
        let host = sc.app.base.trim_start_matches("http://");
        assert!(has(&format!("UID:meeting-{public_id}@{host}")));
        assert!(has(&format!("URL:{link}")));
        assert!(has("ORGANIZER;CN=Olive Owner:mailto:olive@uni.test"));
        let attendees: Vec<&String> = lines.iter().filter(|l| l.starts_with("ATTENDEE")).collect();
        assert_eq!(
            attendees.len(),
            1,
            "invitees never see each other: {attendees:?}"
        );
        assert!(attendees[0].ends_with(&format!(":mailto:{to}")));
    }
    let m = sc.row(&id).await;
    let uid = format!(
        "meeting-{public_id}@{}",
        sc.app.base.trim_start_matches("http://")
    );
    capture(
        "captured-invitation",
        Some("Request"),
        mails[0]["ics"].as_str().unwrap_or_default(),
        json!({ uid: expected_meeting(&m) }),
    );

    let stored = meeting_invitation::Entity::find()
        .filter(meeting_invitation::Column::MeetingId.eq(m.id))
        .count(&sc.app.db)
        .await
        .expect("count");
    assert_eq!(stored, 2);
    let (s, list) = sc
        .olive
        .call("meetings/invitations", &[("meeting_id", &id)])
        .await;
    assert_eq!(s, 200, "{list}");
    let emails: Vec<&str> = list["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["email"].as_str())
        .collect();
    assert_eq!(emails.len(), 2);
    assert!(emails.contains(&"ana@example.org") && emails.contains(&"ben@example.org"));
    assert_eq!(list["rows"][0]["sent_by"], "Olive Owner");
    assert_eq!(list["mail_ready"], true);
    assert_eq!(list["code"], "Separate");
}

#[tokio::test]
async fn the_access_code_is_in_the_invitation_only_once_the_owner_chooses_so() {
    let mut sc = scene(true).await;
    let (id, _) = sc
        .seminar(&[
            ("ends", "count"),
            ("count", "10"),
            ("code_in_invitations", "on"),
        ])
        .await;
    let (_, list) = sc
        .olive
        .call("meetings/invitations", &[("meeting_id", &id)])
        .await;
    assert_eq!(list["code"], "Included");
    let (s, report) = sc.invite(&sc.olive, &id, "ana@example.org").await;
    assert_eq!(s, 200, "{report}");
    let mail = &sc.mails(1).await[0];
    let body = mail["body"].as_str().expect("body");
    assert!(body.contains("Access code: owl-2231"), "{body}");
    assert!(
        body.contains("Repeats: Weekly on Monday and Wednesday, 10 sessions."),
        "{body}"
    );
    let lines = unfold(mail["ics"].as_str().expect("ics"));
    let rrule = lines
        .iter()
        .find(|l| l.starts_with("RRULE:"))
        .expect("rrule");
    assert!(rrule.ends_with(";COUNT=10"), "{rrule}");
    let description = lines
        .iter()
        .find(|l| l.starts_with("DESCRIPTION:"))
        .expect("description");
    assert!(
        description.contains("Access code: owl-2231"),
        "{description}"
    );
}

#[tokio::test]
async fn the_senders_copy_adds_the_meeting_to_their_calendar_instead_of_inviting_them() {
    let mut sc = scene(true).await;
    let (id, _) = sc.seminar(&[]).await;
    let (s, report) = sc
        .olive
        .call(
            "meetings/invite",
            &[
                ("meeting_id", &id),
                ("emails", "ana@example.org"),
                ("owner_copy", "on"),
            ],
        )
        .await;
    assert_eq!(s, 200, "{report}");
    assert_eq!(report["sent"], 1, "the copy is not an invitation");
    assert_eq!(
        report["results"][1],
        json!({"address": "olive@uni.test", "status": "Sent", "copy": true})
    );
    let mails = sc.mails(2).await;
    assert_eq!(mails[1]["to"], json!(["olive@uni.test"]));
    // The relay carries text with CRLF line ends.
    let body = mails[1]["body"]
        .as_str()
        .expect("body")
        .replace("\r\n", "\n");
    assert!(
        body.starts_with("Your copy of the invitation sent to: ana@example.org\n\n"),
        "{body}"
    );
    let lines = unfold(mails[1]["ics"].as_str().expect("ics"));
    assert!(lines.iter().any(|l| l == "METHOD:PUBLISH"));
    assert!(!lines.iter().any(|l| l.starts_with("ATTENDEE")));
}

#[tokio::test]
async fn only_owners_co_owners_and_admins_invite_or_see_who_was_invited() {
    let mut sc = scene(true).await;
    let (id, _) = sc.seminar(&[]).await;
    let (s, _) = sc.invite(&sc.eve, &id, "ana@example.org").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = sc
        .eve
        .call("meetings/invitations", &[("meeting_id", &id)])
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = sc
        .app
        .client()
        .call("meetings/invitations", &[("meeting_id", &id)])
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);

    let (s, rows) = sc
        .olive
        .call(
            "meetings/co-owners/add",
            &[("meeting_id", &id), ("email", "colin@uni.test")],
        )
        .await;
    assert_eq!(s, 200, "{rows}");
    let (_, colins) = sc.colin.call("meetings/list", &[]).await;
    let invitation = colins["offers"][0]["invitation_id"].to_string();
    let (s, e) = sc
        .colin
        .call(
            "meetings/co-owners/accept",
            &[("invitation_id", &invitation)],
        )
        .await;
    assert_eq!(s, 200, "{e}");
    let (s, report) = sc.invite(&sc.colin, &id, "ana@example.org").await;
    assert_eq!(s, 200, "{report}");
    let body = sc.mails(1).await[0]["body"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        body.starts_with(
            "colin invites you to the meeting “Thesis seminar”, organised by Olive Owner."
        ),
        "{body}"
    );
    let (s, report) = sc.invite(&sc.admin, &id, "ben@example.org").await;
    assert_eq!(s, 200, "{report}");
    let (_, list) = sc
        .colin
        .call("meetings/invitations", &[("meeting_id", &id)])
        .await;
    assert_eq!(list["rows"].as_array().map(Vec::len), Some(2));
    assert_eq!(list["rows"][0]["sent_by"], "root");
}

#[tokio::test]
async fn a_call_with_no_valid_address_or_more_than_fifty_sends_nothing() {
    let sc = scene(true).await;
    let (id, _) = sc.seminar(&[]).await;
    let (s, e) = sc.invite(&sc.olive, &id, "nobody, x@nodot").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        e,
        json!({"Invalid": [{"field": "emails", "code": "InvalidEmail"}]})
    );
    let (s, e) = sc.invite(&sc.olive, &id, " \n ").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["Invalid"][0]["code"], "Required");
    let many: Vec<String> = (0..51).map(|i| format!("p{i}@example.org")).collect();
    let (s, e) = sc.invite(&sc.olive, &id, &many.join(",")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["Invalid"][0]["code"], json!({"OutOfRange": [1, 50]}));
    let stored = meeting_invitation::Entity::find()
        .count(&sc.app.db)
        .await
        .expect("count");
    assert_eq!(stored, 0);
}

#[tokio::test]
async fn without_an_smtp_relay_inviting_answers_409_not_configured() {
    let sc = scene(false).await;
    let (id, _) = sc.seminar(&[]).await;
    let (s, e) = sc.invite(&sc.olive, &id, "ana@example.org").await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(e, json!({"Conflict": "NotConfigured"}));
    let (_, list) = sc
        .olive
        .call("meetings/invitations", &[("meeting_id", &id)])
        .await;
    assert_eq!(list["mail_ready"], false);
    assert_eq!(list["rows"], json!([]));
}

#[tokio::test]
async fn a_personal_room_or_a_series_that_is_over_takes_no_invitations() {
    let sc = scene(true).await;
    let (s, e) = sc.olive.call("meetings/personal/create", &[]).await;
    assert_eq!(s, 200, "{e}");
    let (_, mine) = sc.olive.call("meetings/list", &[]).await;
    let personal = mine["rows"][0]["id"].to_string();
    assert_eq!(mine["rows"][0]["is_personal"], true);
    let (s, e) = sc.invite(&sc.olive, &personal, "ana@example.org").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (id, _) = sc.seminar(&[("ends", "count"), ("count", "1")]).await;
    // Moved into the past: its only session is over.
    meeting::Entity::update_many()
        .col_expr(meeting::Column::StartsAt, Expr::value(1_600_000_000_i64))
        .filter(meeting::Column::Id.eq(id.parse::<i32>().expect("id")))
        .exec(&sc.app.db)
        .await
        .expect("move");
    let (s, e) = sc.invite(&sc.olive, &id, "ana@example.org").await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(e, json!({"Conflict": "Closed"}));
}
