use super::*;
use crate::tz::parse_input;

fn series(start: &str, tz: &str, rule: Recurrence) -> IcsEvent {
    IcsEvent {
        uid: "meeting-12@aula.example.edu".into(),
        summary: "Physics, week by week; group A".into(),
        description: "Join: https://aula.example.edu/meetings/12".into(),
        url: "https://aula.example.edu/meetings/12".into(),
        start: parse_input(start, tz).unwrap(),
        duration_secs: 5400,
        tz: tz.into(),
        rule: Some(rule),
        stamp: 1_767_225_600,
        ..Default::default()
    }
}

fn rule(
    frequency: Frequency,
    interval: u32,
    weekdays: &[u8],
    by: MonthlyBy,
    end: End,
) -> Recurrence {
    Recurrence {
        frequency,
        interval,
        weekdays: weekdays.to_vec(),
        monthly_by: by,
        end,
    }
}

fn assert_well_formed(ics: &str) {
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert!(
        !ics.replace("\r\n", "").contains(['\r', '\n']),
        "bare CR or LF"
    );
    for line in ics.split_terminator("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
}

#[test]
fn a_series_is_written_in_its_zone_with_a_utc_until() {
    let weekly = rule(
        Frequency::Weekly,
        2,
        &[1, 3],
        MonthlyBy::DayOfMonth,
        End::Until("2026-06-30".into()),
    );
    let ics = calendar(
        "Physics",
        None,
        &[series("2026-01-05T09:00", "Europe/Paris", weekly)],
    );
    assert_well_formed(&ics);
    assert!(
        ics.contains("DTSTART;TZID=Europe/Paris:20260105T090000\r\n"),
        "{ics}"
    );
    assert!(
        ics.contains("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;WKST=MO;UNTIL=20260630T215959Z\r\n"),
        "{ics}"
    );
    assert!(ics.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n"));
    assert!(ics.contains("DURATION:PT1H30M\r\n"));
    assert!(ics.contains("SUMMARY:Physics\\, week by week\\; group A\r\n"));
    assert!(ics.contains("UID:meeting-12@aula.example.edu\r\n"));
    assert!(ics.contains("X-WR-CALNAME:Physics\r\n"));
    assert!(!ics.contains("METHOD"));
}

#[test]
fn monthly_series_say_which_day_of_the_month() {
    let cases = [
        ("2026-01-31T10:00", MonthlyBy::DayOfMonth, "BYMONTHDAY=31"),
        ("2022-10-21T10:00", MonthlyBy::NthWeekday, "BYDAY=3FR"),
        ("2026-01-30T10:00", MonthlyBy::LastWeekday, "BYDAY=-1FR"),
    ];
    for (start, by, expected) in cases {
        let r = rule(Frequency::Monthly, 1, &[], by, End::Count(12));
        let start = parse_input(start, "Europe/Paris").unwrap();
        assert_eq!(
            rrule(&r, start, "Europe/Paris"),
            format!("FREQ=MONTHLY;INTERVAL=1;{expected};COUNT=12")
        );
    }
    let daily = rule(
        Frequency::Daily,
        3,
        &[],
        MonthlyBy::DayOfMonth,
        End::Count(9),
    );
    assert_eq!(rrule(&daily, 0, "UTC"), "FREQ=DAILY;INTERVAL=3;COUNT=9");
}

#[test]
fn the_monthly_day_is_the_local_one() {
    // 00:30 on the 1st in Paris is still the 31st in UTC.
    let start = parse_input("2026-01-01T00:30", "Europe/Paris").unwrap();
    let r = rule(
        Frequency::Monthly,
        1,
        &[],
        MonthlyBy::DayOfMonth,
        End::Count(3),
    );
    assert!(rrule(&r, start, "Europe/Paris").contains("BYMONTHDAY=1;"));
}

#[test]
fn a_single_meeting_is_written_in_utc_without_a_time_zone() {
    let single = IcsEvent {
        rule: None,
        ..series(
            "2026-11-24T14:00",
            "Europe/Madrid",
            rule(
                Frequency::Daily,
                1,
                &[],
                MonthlyBy::DayOfMonth,
                End::Count(1),
            ),
        )
    };
    let ics = calendar("Mine", None, &[single]);
    assert_well_formed(&ics);
    assert!(ics.contains("DTSTART:20261124T130000Z\r\n"), "{ics}");
    assert!(!ics.contains("RRULE"));
    assert!(!ics.contains("VTIMEZONE"));
}

#[test]
fn a_series_in_utc_or_an_unknown_zone_needs_no_vtimezone() {
    for tz in ["UTC", "Mars/Olympus"] {
        let r = rule(
            Frequency::Daily,
            1,
            &[],
            MonthlyBy::DayOfMonth,
            End::Until("2026-01-10".into()),
        );
        let mut event = series("2026-01-05T09:00", "UTC", r);
        event.tz = tz.into();
        let ics = calendar("x", None, &[event]);
        assert!(ics.contains("DTSTART:20260105T090000Z\r\n"), "{ics}");
        assert!(ics.contains("UNTIL=20260110T235959Z\r\n"), "{ics}");
        assert!(!ics.contains("VTIMEZONE"), "{ics}");
    }
}

#[test]
fn series_in_one_zone_share_one_vtimezone() {
    let r = rule(
        Frequency::Weekly,
        1,
        &[1],
        MonthlyBy::DayOfMonth,
        End::Count(4),
    );
    let a = series("2026-01-05T09:00", "Europe/Paris", r.clone());
    let mut b = series("2026-06-01T09:00", "Europe/Paris", r.clone());
    b.uid = "meeting-13@aula.example.edu".into();
    let c = series("2026-01-05T09:00", "America/New_York", r);
    let ics = calendar("Feed", None, &[a, b, c]);
    assert_eq!(ics.matches("BEGIN:VTIMEZONE").count(), 2);
    assert_eq!(ics.matches("TZID:Europe/Paris\r\n").count(), 1);
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 3);
}

#[test]
fn an_invitation_names_organizer_and_invitees_and_reminds_ten_minutes_before() {
    let mut event = series(
        "2026-01-05T09:00",
        "Europe/Paris",
        rule(
            Frequency::Weekly,
            1,
            &[1],
            MonthlyBy::DayOfMonth,
            End::Count(10),
        ),
    );
    event.organizer = Some(("Díaz, Ana".into(), "ana@school.example".into()));
    event.attendees = vec!["bo@school.example".into()];
    event.alarm_minutes = Some(10);
    event.sequence = 2;
    let ics = calendar("Physics", Some(Method::Request), &[event.clone()]);
    assert_well_formed(&ics);
    assert!(ics.contains("METHOD:REQUEST\r\n"));
    assert!(
        ics.contains("ORGANIZER;CN=\"Díaz, Ana\":mailto:ana@school.example\r\n"),
        "{ics}"
    );
    assert!(ics.contains(":mailto:bo@school.example\r\n"), "{ics}");
    assert!(ics.contains("BEGIN:VALARM\r\nACTION:DISPLAY\r\n"));
    assert!(ics.contains("TRIGGER:-PT10M\r\n"));
    assert!(ics.contains("SEQUENCE:2\r\n"));
    assert!(ics.contains("STATUS:CONFIRMED\r\n"));
    assert!(
        !ics.contains("REFRESH-INTERVAL"),
        "only feeds ask to be refreshed"
    );

    let cancel = calendar("Physics", Some(Method::Cancel), &[event]);
    assert!(cancel.contains("METHOD:CANCEL\r\n"));
    assert!(cancel.contains("STATUS:CANCELLED\r\n"));
    assert!(!cancel.contains("VALARM"));
}

#[test]
fn long_descriptions_are_folded_and_unfold_to_the_original() {
    let mut event = series(
        "2026-01-05T09:00",
        "Europe/Paris",
        rule(
            Frequency::Daily,
            1,
            &[],
            MonthlyBy::DayOfMonth,
            End::Count(2),
        ),
    );
    event.description = "Zoë's «séance», line one;\nline two — ".repeat(8);
    let ics = calendar("x", None, &[event.clone()]);
    assert_well_formed(&ics);
    let unfolded = ics.replace("\r\n ", "");
    let expected = text::escape_text(&event.description);
    assert!(unfolded.contains(&format!("DESCRIPTION:{expected}\r\n")));
}

#[test]
fn durations_are_exact() {
    assert_eq!(duration(5400), "PT1H30M");
    assert_eq!(duration(90_000), "PT25H");
    assert_eq!(duration(61), "PT1M1S");
    assert_eq!(duration(0), "PT0S");
    assert_eq!(duration(-5), "PT0S");
}
