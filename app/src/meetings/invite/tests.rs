use super::*;
use crate::meetings::ics::{Method, calendar};

fn addresses(raw: &str) -> Vec<Result<String, (String, FieldCode)>> {
    parse_addresses(raw)
        .into_iter()
        .map(|r| r.map(|e| e.as_str().to_owned()))
        .collect()
}

#[test]
fn addresses_split_on_commas_semicolons_spaces_and_new_lines() {
    assert_eq!(
        addresses(
            "ana@example.org, ben@example.org;cy@example.org\nDee@Example.org\t eve@example.org"
        ),
        [
            Ok("ana@example.org".to_owned()),
            Ok("ben@example.org".to_owned()),
            Ok("cy@example.org".to_owned()),
            Ok("dee@example.org".to_owned()),
            Ok("eve@example.org".to_owned()),
        ]
    );
}

#[test]
fn an_address_copied_with_its_name_counts_as_the_address() {
    assert_eq!(
        addresses("Ana Díaz <ana@example.org>, \"Ben, B.\" <ben@example.org>"),
        // The quoted comma splits the second entry; each half still yields only its address.
        [
            Ok("ana@example.org".to_owned()),
            Err(("\"Ben".to_owned(), FieldCode::InvalidEmail)),
            Ok("ben@example.org".to_owned()),
        ]
    );
}

#[test]
fn bad_entries_are_kept_with_their_reason_and_repeats_are_dropped() {
    assert_eq!(
        addresses("not-an-address ana@example.org ANA@example.org not-an-address x@nodot"),
        [
            Err(("not-an-address".to_owned(), FieldCode::InvalidEmail)),
            Ok("ana@example.org".to_owned()),
            Err(("x@nodot".to_owned(), FieldCode::InvalidEmail)),
        ]
    );
    assert!(addresses(" ,;\n ").is_empty());
}

#[test]
fn uids_use_the_public_host_without_scheme_or_path() {
    assert_eq!(uid_host("https://aula.example.edu"), "aula.example.edu");
    assert_eq!(uid_host("http://127.0.0.1:3000/"), "127.0.0.1:3000");
    assert_eq!(uid_host("https://school.example/aula"), "school.example");
}

fn facts<'a>(code: &'a CodeLine, owner: Option<&'a str>) -> MailFacts<'a> {
    MailFacts {
        sender: "Olive Owner",
        owner,
        meeting: "Thesis seminar",
        next: "2026-06-01 09:00",
        zone: "Europe/Paris",
        minutes: 90,
        rule: Some("Weekly on Monday and Wednesday, 10 sessions".into()),
        link: "https://aula.example.edu/m/AbCdEfGhIjKlMnOp",
        welcome: "  Bring your draft.  ",
        code,
    }
}

#[test]
fn the_mail_names_the_owner_the_next_session_the_rule_the_link_and_the_welcome() {
    let en = invite_texts_for(Lang::En);
    let body = mail_body(en, &facts(&CodeLine::None, None));
    assert_eq!(
        body,
        "Olive Owner invites you to the meeting “Thesis seminar”.\n\n\
         Next session: 2026-06-01 09:00 (Europe/Paris), 90 minutes.\n\
         Repeats: Weekly on Monday and Wednesday, 10 sessions.\n\n\
         Join the meeting at this address:\nhttps://aula.example.edu/m/AbCdEfGhIjKlMnOp\n\n\
         Message from the organiser:\nBring your draft.\n\n\
         The attached calendar file adds the meeting to your calendar."
    );
    let by_co_owner = mail_body(en, &facts(&CodeLine::None, Some("Ana Admin")));
    assert!(by_co_owner.starts_with(
        "Olive Owner invites you to the meeting “Thesis seminar”, organised by Ana Admin."
    ));
}

#[test]
fn the_access_code_is_in_the_mail_only_when_the_owner_chose_so() {
    let es = invite_texts_for(Lang::Es);
    let included = mail_body(es, &facts(&CodeLine::Included("s3cret-42".into()), None));
    assert!(
        included.contains("Código de acceso: s3cret-42"),
        "{included}"
    );
    let separate = mail_body(es, &facts(&CodeLine::Separate, None));
    assert!(!separate.contains("s3cret-42"));
    assert!(
        separate.contains("el organizador se lo comunicará aparte"),
        "{separate}"
    );
    let none = mail_body(es, &facts(&CodeLine::None, None));
    assert!(!none.contains("código de acceso"), "{none}");
}

fn seminar() -> meeting::Model {
    meeting::Model {
        id: 4,
        public_id: "AbCdEfGhIjKlMnOp".into(),
        owner_id: 1,
        name: "Thesis seminar".into(),
        welcome: "Bring your draft.".into(),
        is_personal: false,
        server_id: 1,
        // Monday 2026-06-01 09:00 in Paris (07:00 UTC).
        starts_at: 1_780_297_200,
        duration_minutes: 90,
        time_zone: "Europe/Paris".into(),
        recurrence: Some("weekly;1;1,3;day_of_month;until=2026-12-16".into()),
        access: Access::Link,
        access_code_enc: Some("sealed".into()),
        code_in_invitations: false,
        guest_policy: crate::meetings::model::GuestPolicy::AlwaysAccept,
        max_duration_minutes: 0,
        record: false,
        auto_start_recording: false,
        allow_start_stop_recording: true,
        slides_name: None,
        slides_path: None,
        created_at: 1_780_000_000,
        updated_at: 1_780_000_120,
    }
}

#[test]
fn a_series_becomes_one_event_with_its_rule_a_stable_uid_and_the_owner_as_organizer() {
    let owner = user::Model {
        id: 1,
        email: "olive@uni.test".into(),
        display_name: "Olive Owner".into(),
        password_hash: None,
        is_admin: false,
        disabled: false,
        avatar: None,
        language: "en".into(),
        time_zone: None,
        created_at: 0,
    };
    let m = seminar();
    let mut e = meeting_event(&m, Some(&owner), "https://aula.example.edu", "Hi".into());
    assert_eq!(e.uid, "meeting-AbCdEfGhIjKlMnOp@aula.example.edu");
    assert_eq!(e.url, "https://aula.example.edu/m/AbCdEfGhIjKlMnOp");
    assert_eq!(e.duration_secs, 5400);
    assert_eq!(e.sequence, 120);
    e.attendees = vec!["ana@example.org".into()];
    let ics = calendar(&m.name, Some(Method::Request), &[e]);
    let unfolded = ics.replace("\r\n ", "");
    assert!(unfolded.contains("METHOD:REQUEST\r\n"));
    assert!(unfolded.contains("DTSTART;TZID=Europe/Paris:20260601T090000\r\n"));
    assert!(
        unfolded
            .contains("RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE;WKST=MO;UNTIL=20261216T225959Z"),
        "{unfolded}"
    );
    assert!(unfolded.contains("ORGANIZER;CN=Olive Owner:mailto:olive@uni.test\r\n"));
    assert!(unfolded.contains(":mailto:ana@example.org\r\n"));
}

#[test]
fn the_panel_says_whether_the_code_travels_with_invitations() {
    let mut m = seminar();
    assert_eq!(code_note(&m), CodeNote::Separate);
    m.code_in_invitations = true;
    assert_eq!(code_note(&m), CodeNote::Included);
    // A code left over from when the meeting was open to anyone with the link guards nothing.
    m.access = Access::Users;
    assert_eq!(code_note(&m), CodeNote::NoCode);
    m.access = Access::Link;
    m.access_code_enc = None;
    assert_eq!(code_note(&m), CodeNote::NoCode);
}

#[test]
fn a_meeting_is_described_by_its_welcome_and_link() {
    assert_eq!(describe_meeting("  ", "https://x/m/1"), "https://x/m/1");
    assert_eq!(
        describe_meeting("Hello\n", "https://x/m/1"),
        "Hello\n\nhttps://x/m/1"
    );
}
