use super::*;
use crate::meetings::rule::{End, Frequency, MonthlyBy};

/// A valid single meeting: Thursday 2026-12-03, one hour, anyone with the link.
fn draft() -> MeetingDraft {
    MeetingDraft {
        name: "Thesis defence".into(),
        welcome: "Welcome!".into(),
        starts_at: Some(1_796_288_400),
        start_date: CivilDate::new(2026, 12, 3),
        duration_minutes: "60".into(),
        recurrence: RecurrenceDraft::default(),
        access: "link".into(),
        access_code: String::new(),
        code_in_invitations: false,
        course_ids: Vec::new(),
        guest_policy: String::new(),
        max_duration_minutes: String::new(),
        record: false,
        auto_start_recording: false,
        allow_start_stop_recording: true,
    }
}

fn fields(r: Result<ValidMeeting, AppError>) -> Vec<(String, FieldCode)> {
    match r {
        Err(AppError::Invalid(v)) => v.into_iter().map(|e| (e.field, e.code)).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

fn has(r: Result<ValidMeeting, AppError>, field: &str, code: FieldCode) {
    let f = fields(r);
    assert!(
        f.iter().any(|(n, c)| n == field && *c == code),
        "{field}: {code:?} not in {f:?}"
    );
}

#[test]
fn a_plain_meeting_passes_with_defaults_filled_in() {
    let v = draft().validate().expect("valid");
    assert_eq!(v.name, "Thesis defence");
    assert_eq!(v.duration_minutes, 60);
    assert_eq!(v.max_duration_minutes, 0);
    assert_eq!(v.access, Access::Link);
    assert_eq!(v.access_code, None);
    assert_eq!(v.guest_policy, GuestPolicy::AlwaysAccept);
    assert_eq!(v.recurrence, None);
}

#[test]
fn names_are_tidied_and_must_have_two_to_a_hundred_characters() {
    let mut d = draft();
    d.name = "  Lab   meeting ".into();
    assert_eq!(d.validate().expect("valid").name, "Lab meeting");
    d.name = "  ".into();
    has(d.validate(), "name", FieldCode::Required);
    d.name = "A".into();
    has(d.validate(), "name", FieldCode::TooShort(2));
    d.name = "é".repeat(101);
    has(d.validate(), "name", FieldCode::TooLong(100));
    d.name = "é".repeat(100);
    assert!(d.validate().is_ok());
}

#[test]
fn a_welcome_message_is_at_most_two_thousand_characters() {
    let mut d = draft();
    d.welcome = "x".repeat(2001);
    has(d.validate(), "welcome", FieldCode::TooLong(2000));
}

#[test]
fn the_start_must_be_a_date_and_the_duration_five_minutes_to_twelve_hours() {
    let mut d = draft();
    d.starts_at = None;
    has(d.validate(), "starts_at", FieldCode::InvalidDate);
    for bad in ["4", "721", "", "an hour"] {
        let mut d = draft();
        d.duration_minutes = bad.into();
        has(
            d.validate(),
            "duration_minutes",
            FieldCode::OutOfRange(5, 720),
        );
    }
    for good in ["5", "720"] {
        let mut d = draft();
        d.duration_minutes = good.into();
        assert!(d.validate().is_ok(), "{good}");
    }
}

#[test]
fn the_maximum_duration_is_zero_for_no_limit_up_to_a_day() {
    let mut d = draft();
    d.max_duration_minutes = "1440".into();
    assert_eq!(d.validate().expect("valid").max_duration_minutes, 1440);
    d.max_duration_minutes = "1441".into();
    has(
        d.validate(),
        "max_duration_minutes",
        FieldCode::OutOfRange(0, 1440),
    );
    d.max_duration_minutes = "-1".into();
    has(
        d.validate(),
        "max_duration_minutes",
        FieldCode::OutOfRange(0, 1440),
    );
}

#[test]
fn access_must_be_one_of_the_three_choices() {
    for a in Access::ALL {
        assert_eq!(Access::parse(a.as_str()), Some(a));
    }
    let mut d = draft();
    d.access = "everyone".into();
    has(d.validate(), "access", FieldCode::InvalidChoice);
}

#[test]
fn an_access_code_guards_link_meetings_only_and_has_four_to_thirty_two_characters() {
    let mut d = draft();
    d.access_code = " 4711 ".into();
    assert_eq!(
        d.validate().expect("valid").access_code.as_deref(),
        Some("4711")
    );
    d.access_code = "123".into();
    has(d.validate(), "access_code", FieldCode::TooShort(4));
    d.access_code = "x".repeat(33);
    has(d.validate(), "access_code", FieldCode::TooLong(32));
    d.access_code = "two words".into();
    has(d.validate(), "access_code", FieldCode::InvalidChoice);
    // Left over in the hidden field after switching to signed-in users: dropped, not refused.
    d.access = "users".into();
    d.access_code = "1".into();
    d.code_in_invitations = true;
    let v = d.validate().expect("valid");
    assert_eq!(v.access_code, None);
    assert!(!v.code_in_invitations);
}

#[test]
fn a_course_meeting_needs_at_least_one_course_and_others_keep_none() {
    let mut d = draft();
    d.access = "courses".into();
    has(d.validate(), "course_ids", FieldCode::Required);
    d.course_ids = vec![7, 3, 7];
    assert_eq!(d.validate().expect("valid").course_ids, vec![3, 7]);
    d.access = "link".into();
    assert!(d.validate().expect("valid").course_ids.is_empty());
}

#[test]
fn the_guest_policy_is_accept_or_ask_a_moderator() {
    let mut d = draft();
    d.guest_policy = "ASK_MODERATOR".into();
    assert_eq!(
        d.validate().expect("valid").guest_policy,
        GuestPolicy::AskModerator
    );
    d.guest_policy = "ALWAYS_DENY".into();
    has(d.validate(), "guest_policy", FieldCode::InvalidChoice);
}

#[test]
fn starting_the_recording_automatically_needs_recording_on() {
    let mut d = draft();
    d.auto_start_recording = true;
    has(
        d.validate(),
        "auto_start_recording",
        FieldCode::InvalidChoice,
    );
    d.record = true;
    assert!(d.validate().is_ok());
}

#[test]
fn a_recorded_meeting_must_start_recording_somehow() {
    let mut d = draft();
    d.record = true;
    d.allow_start_stop_recording = false;
    has(
        d.validate(),
        "allow_start_stop_recording",
        FieldCode::Required,
    );
    d.auto_start_recording = true;
    assert!(d.validate().is_ok());
}

#[test]
fn a_weekly_series_is_checked_against_its_start_day() {
    let mut d = draft();
    d.recurrence = RecurrenceDraft {
        frequency: "weekly".into(),
        interval: "1".into(),
        weekdays: vec![1, 4],
        ends: "count".into(),
        count: "10".into(),
        ..RecurrenceDraft::default()
    };
    let rule = d.validate().expect("valid").recurrence.expect("a series");
    assert_eq!(rule.frequency, Frequency::Weekly);
    assert_eq!(rule.weekdays, vec![1, 4]);
    assert_eq!(rule.end, End::Count(10));
    // 2026-12-03 is a Thursday (4): a Monday-only series would not include its own start.
    d.recurrence.weekdays = vec![1];
    has(d.validate(), "weekdays", FieldCode::StartDayNotChosen);
}

#[test]
fn recurrence_errors_come_with_the_other_field_errors() {
    let mut d = draft();
    d.name = String::new();
    d.recurrence = RecurrenceDraft {
        frequency: "monthly".into(),
        interval: "0".into(),
        monthly_by: MonthlyBy::LastWeekday.as_str().into(),
        ends: "until".into(),
        until: "2026-11-01".into(),
        ..RecurrenceDraft::default()
    };
    let f = fields(d.validate());
    let names: Vec<&str> = f.iter().map(|(n, _)| n.as_str()).collect();
    assert!(names.contains(&"name"), "{names:?}");
    assert!(names.contains(&"interval"), "{names:?}");
}

#[test]
fn a_monthly_series_by_last_weekday_needs_a_start_in_the_last_week() {
    let mut d = draft();
    d.recurrence = RecurrenceDraft {
        frequency: "monthly".into(),
        monthly_by: "last_weekday".into(),
        ends: "count".into(),
        count: "3".into(),
        ..RecurrenceDraft::default()
    };
    has(d.validate(), "monthly_by", FieldCode::StartNotInSeries);
    d.start_date = CivilDate::new(2026, 12, 31);
    assert!(d.validate().is_ok());
}

#[test]
fn ticked_reads_checkboxes_as_browsers_post_them() {
    assert!(ticked(&Some("on".into())));
    assert!(ticked(&Some("true".into())));
    assert!(!ticked(&None));
    assert!(!ticked(&Some("false".into())));
    assert!(!ticked(&Some(String::new())));
}
