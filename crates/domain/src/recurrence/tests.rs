use super::*;

fn date(raw: &str) -> CivilDate {
    CivilDate::parse(raw).unwrap()
}

fn weekly(days: &[u8], end: End) -> Recurrence {
    Recurrence {
        frequency: Frequency::Weekly,
        interval: 1,
        weekdays: days.to_vec(),
        monthly_by: MonthlyBy::DayOfMonth,
        end,
    }
}

fn draft(frequency: &str) -> RecurrenceDraft {
    RecurrenceDraft {
        frequency: frequency.into(),
        interval: "1".into(),
        ends: "count".into(),
        count: "10".into(),
        ..Default::default()
    }
}

fn codes(err: Invalid) -> Vec<(String, FieldCode)> {
    err.0.into_iter().map(|e| (e.field, e.code)).collect()
}

#[test]
fn dates_know_their_weekday_and_place_in_the_month() {
    assert_eq!(date("1970-01-01").weekday(), 4);
    assert_eq!(date("2022-07-07").weekday(), 4);
    assert_eq!(date("2026-03-29").weekday(), 7);
    assert_eq!(date("2000-02-29").weekday(), 2);
    assert_eq!(date("1600-03-01").weekday(), 3);
    let third_friday = date("2022-10-21");
    assert_eq!(
        (
            third_friday.nth_weekday_of_month(),
            third_friday.is_last_weekday_of_month()
        ),
        (3, false)
    );
    let fifth_friday = date("2022-09-30");
    assert_eq!(fifth_friday.nth_weekday_of_month(), 5);
    assert!(fifth_friday.is_last_weekday_of_month());
    assert!(date("2022-10-28").is_last_weekday_of_month());
    assert_eq!(date("2026-01-05").to_string(), "2026-01-05");
}

#[test]
fn only_real_dates_in_the_input_format_parse() {
    assert_eq!(CivilDate::parse("2024-02-29"), CivilDate::new(2024, 2, 29));
    for bad in [
        "2023-02-29",
        "2026-04-31",
        "2026-13-01",
        "2026-1-05",
        "05/01/2026",
        "2026-01-05T09:00",
        "+202-01-05",
        "",
    ] {
        assert_eq!(CivilDate::parse(bad), None, "{bad}");
    }
}

#[test]
fn a_draft_without_frequency_is_a_single_meeting() {
    assert_eq!(draft("").validate(), Ok(None));
    assert_eq!(draft("none").validate(), Ok(None));
}

#[test]
fn a_weekly_draft_sorts_and_dedupes_its_weekdays() {
    let mut d = draft("weekly");
    d.weekdays = vec![6, 2, 4, 2];
    let rule = d.validate().unwrap().unwrap();
    assert_eq!(rule.weekdays, vec![2, 4, 6]);
    assert_eq!(rule.end, End::Count(10));
}

#[test]
fn a_weekly_draft_needs_at_least_one_real_weekday() {
    assert_eq!(
        codes(draft("weekly").validate().unwrap_err()),
        vec![("weekdays".into(), FieldCode::Required)]
    );
    let mut d = draft("weekly");
    d.weekdays = vec![0, 8];
    assert_eq!(
        codes(d.validate().unwrap_err()),
        vec![("weekdays".into(), FieldCode::InvalidChoice)]
    );
}

#[test]
fn other_frequencies_ignore_weekdays_sent_by_the_form() {
    let mut d = draft("daily");
    d.weekdays = vec![1, 3];
    assert!(d.validate().unwrap().unwrap().weekdays.is_empty());
}

#[test]
fn interval_must_be_between_one_and_ninety_nine() {
    for (raw, ok) in [
        ("", true),
        ("1", true),
        ("99", true),
        ("0", false),
        ("100", false),
        ("x", false),
    ] {
        let mut d = draft("daily");
        d.interval = raw.into();
        assert_eq!(d.validate().is_ok(), ok, "{raw}");
    }
    let mut d = draft("daily");
    d.interval = "100".into();
    assert_eq!(
        codes(d.validate().unwrap_err()),
        vec![("interval".into(), FieldCode::OutOfRange(1, 99))]
    );
}

#[test]
fn a_series_of_more_than_five_hundred_occurrences_is_refused() {
    for (raw, ok) in [
        ("1", true),
        ("500", true),
        ("501", false),
        ("0", false),
        ("", false),
    ] {
        let mut d = draft("daily");
        d.count = raw.into();
        let result = d.validate();
        assert_eq!(result.is_ok(), ok, "{raw}");
        if !ok {
            assert_eq!(
                codes(result.unwrap_err()),
                vec![("count".into(), FieldCode::OutOfRange(1, 500))]
            );
        }
    }
}

#[test]
fn an_until_end_needs_a_real_date() {
    let mut d = draft("daily");
    d.ends = "until".into();
    d.until = "2026-02-30".into();
    assert_eq!(
        codes(d.validate().unwrap_err()),
        vec![("until".into(), FieldCode::InvalidDate)]
    );
    d.until = "2026-02-28".into();
    assert_eq!(
        d.validate().unwrap().unwrap().end,
        End::Until("2026-02-28".into())
    );
}

#[test]
fn every_broken_field_is_reported_at_once() {
    let d = RecurrenceDraft {
        frequency: "monthly".into(),
        interval: "0".into(),
        monthly_by: "fortnightly".into(),
        ends: "never".into(),
        ..Default::default()
    };
    assert_eq!(
        codes(d.validate().unwrap_err()),
        vec![
            ("interval".into(), FieldCode::OutOfRange(1, 99)),
            ("monthly_by".into(), FieldCode::InvalidChoice),
            ("ends".into(), FieldCode::InvalidChoice),
        ]
    );
    assert_eq!(
        codes(draft("yearly").validate().unwrap_err()),
        vec![("frequency".into(), FieldCode::InvalidChoice)]
    );
}

#[test]
fn a_weekly_series_must_include_its_start_weekday() {
    let rule = weekly(&[2, 4, 6], End::Count(5));
    assert_eq!(rule.validate_with_start(date("2022-07-07")), Ok(()));
    assert_eq!(
        codes(rule.validate_with_start(date("2022-07-08")).unwrap_err()),
        vec![("weekdays".into(), FieldCode::StartDayNotChosen)]
    );
}

#[test]
fn a_fifth_weekday_start_is_offered_only_as_the_last_weekday() {
    let fifth_friday = date("2022-09-30");
    assert_eq!(
        MonthlyBy::offered_for(fifth_friday),
        vec![MonthlyBy::DayOfMonth, MonthlyBy::LastWeekday]
    );
    let rule = |by| Recurrence {
        frequency: Frequency::Monthly,
        interval: 1,
        weekdays: vec![],
        monthly_by: by,
        end: End::Count(12),
    };
    assert_eq!(
        codes(
            rule(MonthlyBy::NthWeekday)
                .validate_with_start(fifth_friday)
                .unwrap_err()
        ),
        vec![("monthly_by".into(), FieldCode::StartNotInSeries)]
    );
    assert_eq!(
        rule(MonthlyBy::LastWeekday).validate_with_start(fifth_friday),
        Ok(())
    );
    let third_friday = date("2022-10-21");
    assert_eq!(
        MonthlyBy::offered_for(third_friday),
        vec![MonthlyBy::DayOfMonth, MonthlyBy::NthWeekday]
    );
    assert!(
        rule(MonthlyBy::LastWeekday)
            .validate_with_start(third_friday)
            .is_err()
    );
    // The 4th Friday of October 2022 is also its last: both are offered.
    assert_eq!(
        MonthlyBy::offered_for(date("2022-10-28")),
        MonthlyBy::ALL.to_vec()
    );
}

#[test]
fn until_may_not_precede_the_start_date() {
    let rule = weekly(&[4], End::Until("2022-07-06".into()));
    assert_eq!(
        codes(rule.validate_with_start(date("2022-07-07")).unwrap_err()),
        vec![("until".into(), FieldCode::ClosingNotAfterOpening)]
    );
    let same_day = weekly(&[4], End::Until("2022-07-07".into()));
    assert_eq!(same_day.validate_with_start(date("2022-07-07")), Ok(()));
}

#[test]
fn a_typed_rule_from_the_network_is_checked_like_a_draft() {
    let mut rule = weekly(&[3, 1], End::Count(3));
    assert!(rule.check().is_err(), "unsorted weekdays");
    rule.weekdays = vec![1, 3];
    assert_eq!(rule.check(), Ok(()));
    rule.interval = 0;
    assert!(rule.check().is_err());
    let mut daily = weekly(&[1], End::Count(3));
    daily.frequency = Frequency::Daily;
    assert!(daily.check().is_err(), "weekdays on a daily rule");
}

#[test]
fn rules_round_trip_through_their_database_form() {
    let rules = [
        weekly(&[1, 3], End::Count(10)),
        Recurrence {
            frequency: Frequency::Monthly,
            interval: 2,
            weekdays: vec![],
            monthly_by: MonthlyBy::LastWeekday,
            end: End::Until("2026-12-31".into()),
        },
        Recurrence {
            frequency: Frequency::Daily,
            interval: 99,
            weekdays: vec![],
            monthly_by: MonthlyBy::DayOfMonth,
            end: End::Count(500),
        },
    ];
    assert_eq!(rules[0].encode(), "weekly;1;1,3;day_of_month;count=10");
    assert_eq!(
        rules[1].encode(),
        "monthly;2;;last_weekday;until=2026-12-31"
    );
    for rule in rules {
        assert_eq!(Recurrence::decode(&rule.encode()), Some(rule));
    }
    for bad in [
        "",
        "weekly;1;;day_of_month;count=10",
        "daily;0;;day_of_month;count=10",
        "daily;1;;day_of_month;count=501",
        "daily;1;;day_of_month;until=2026-02-30",
        "daily;1;;day_of_month;count=3;extra",
        "yearly;1;;day_of_month;count=3",
    ] {
        assert_eq!(Recurrence::decode(bad), None, "{bad}");
    }
}

#[test]
fn enums_round_trip_through_their_short_names() {
    for f in Frequency::ALL {
        assert_eq!(Frequency::parse(f.as_str()), Some(f));
    }
    for m in MonthlyBy::ALL {
        assert_eq!(MonthlyBy::parse(m.as_str()), Some(m));
    }
    assert_eq!(Frequency::parse("Weekly"), None);
}
