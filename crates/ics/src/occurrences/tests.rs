use super::*;
use crate::tz::{format_local, parse_input};

const PARIS: &str = "Europe/Paris";
const NEW_YORK: &str = "America/New_York";

/// Wall-clock `YYYY-MM-DDTHH:MM` in `tz` as Unix seconds.
fn at_local(raw: &str, tz: &str) -> i64 {
    parse_input(raw, tz).unwrap()
}

fn rule(frequency: Frequency, interval: u32, end: End) -> Recurrence {
    Recurrence {
        frequency,
        interval,
        weekdays: vec![],
        monthly_by: MonthlyBy::DayOfMonth,
        end,
    }
}

fn weekly(interval: u32, weekdays: &[u8], end: End) -> Recurrence {
    Recurrence {
        weekdays: weekdays.to_vec(),
        ..rule(Frequency::Weekly, interval, end)
    }
}

fn monthly(by: MonthlyBy, end: End) -> Recurrence {
    Recurrence {
        monthly_by: by,
        ..rule(Frequency::Monthly, 1, end)
    }
}

fn until(date: &str) -> End {
    End::Until(date.into())
}

/// The local dates of a series starting at 10:00 in Paris on `start`.
fn dates(start: &str, rule: &Recurrence) -> Vec<String> {
    local(&format!("{start}T10:00"), PARIS, rule)
        .into_iter()
        .map(|s| s[..10].to_owned())
        .collect()
}

/// The local "YYYY-MM-DD HH:MM" of every occurrence.
fn local(start: &str, tz: &str, rule: &Recurrence) -> Vec<String> {
    occurrences(at_local(start, tz), tz, Some(rule), usize::MAX)
        .into_iter()
        .map(|ts| format_local(ts, tz))
        .collect()
}

#[test]
fn pods_daily_vector_until_a_date_gives_27_days() {
    let got = dates(
        "2022-07-07",
        &rule(Frequency::Daily, 1, until("2022-08-02")),
    );
    assert_eq!(got.len(), 27);
    assert_eq!(got.first().map(String::as_str), Some("2022-07-07"));
    assert_eq!(got.last().map(String::as_str), Some("2022-08-02"));
}

#[test]
fn pods_every_third_day_vector_gives_9_days_ending_on_the_31st() {
    let got = dates(
        "2022-07-07",
        &rule(Frequency::Daily, 3, until("2022-08-02")),
    );
    assert_eq!(
        got,
        [
            "2022-07-07",
            "2022-07-10",
            "2022-07-13",
            "2022-07-16",
            "2022-07-19",
            "2022-07-22",
            "2022-07-25",
            "2022-07-28",
            "2022-07-31"
        ]
    );
}

#[test]
fn pods_weekly_tuesday_thursday_saturday_vector_gives_12_days() {
    let got = dates("2022-07-07", &weekly(1, &[2, 4, 6], until("2022-08-02")));
    assert_eq!(
        got,
        [
            "2022-07-07",
            "2022-07-09",
            "2022-07-12",
            "2022-07-14",
            "2022-07-16",
            "2022-07-19",
            "2022-07-21",
            "2022-07-23",
            "2022-07-26",
            "2022-07-28",
            "2022-07-30",
            "2022-08-02"
        ]
    );
}

#[test]
fn pods_every_third_week_vector_skips_two_weeks() {
    let got = dates("2022-07-07", &weekly(3, &[2, 4, 6], until("2022-08-02")));
    assert_eq!(
        got,
        [
            "2022-07-07",
            "2022-07-09",
            "2022-07-26",
            "2022-07-28",
            "2022-07-30"
        ]
    );
}

#[test]
fn pods_monthly_third_friday_vector_keeps_the_third_friday_for_a_year() {
    let got = dates(
        "2022-10-21",
        &monthly(MonthlyBy::NthWeekday, End::Count(12)),
    );
    assert_eq!(
        got,
        [
            "2022-10-21",
            "2022-11-18",
            "2022-12-16",
            "2023-01-20",
            "2023-02-17",
            "2023-03-17",
            "2023-04-21",
            "2023-05-19",
            "2023-06-16",
            "2023-07-21",
            "2023-08-18",
            "2023-09-15"
        ]
    );
}

#[test]
fn a_series_on_the_31st_skips_shorter_months_and_never_drifts() {
    let got = dates("2026-01-31", &monthly(MonthlyBy::DayOfMonth, End::Count(6)));
    assert_eq!(
        got,
        [
            "2026-01-31",
            "2026-03-31",
            "2026-05-31",
            "2026-07-31",
            "2026-08-31",
            "2026-10-31"
        ]
    );
}

#[test]
fn the_last_friday_is_found_in_months_with_five_and_with_four_fridays() {
    // January 2026 has five Fridays, February four.
    let got = dates(
        "2026-01-30",
        &monthly(MonthlyBy::LastWeekday, End::Count(4)),
    );
    assert_eq!(
        got,
        ["2026-01-30", "2026-02-27", "2026-03-27", "2026-04-24"]
    );
}

#[test]
fn a_fifth_weekday_start_is_refused_as_nth_weekday_and_never_overflows() {
    let fifth_friday = at_local("2022-09-30T10:00", PARIS);
    let nth = monthly(MonthlyBy::NthWeekday, End::Count(3));
    assert_eq!(
        validate_series(fifth_friday, PARIS, &nth),
        Err(Invalid::one("monthly_by", FieldCode::StartNotInSeries))
    );
    // Even unvalidated, a month without a 5th Friday is skipped, not spilled into the next.
    let got = dates("2022-09-30", &nth);
    assert_eq!(got, ["2022-09-30", "2022-12-30", "2023-03-31"]);
    let last = monthly(MonthlyBy::LastWeekday, End::Count(3));
    assert_eq!(validate_series(fifth_friday, PARIS, &last), Ok(()));
    assert_eq!(
        dates("2022-09-30", &last),
        ["2022-09-30", "2022-10-28", "2022-11-25"]
    );
}

#[test]
fn a_weekly_meeting_keeps_nine_oclock_in_paris_across_both_dst_changes() {
    let spring = local("2026-03-23T09:00", PARIS, &weekly(1, &[1], End::Count(2)));
    assert_eq!(spring, ["2026-03-23 09:00", "2026-03-30 09:00"]);
    let s = occurrences(
        at_local("2026-03-23T09:00", PARIS),
        PARIS,
        Some(&weekly(1, &[1], End::Count(2))),
        9,
    );
    assert_eq!(s[1] - s[0], 7 * 86_400 - 3600);
    let f = occurrences(
        at_local("2026-10-19T09:00", PARIS),
        PARIS,
        Some(&weekly(1, &[1], End::Count(2))),
        9,
    );
    assert_eq!(f[1] - f[0], 7 * 86_400 + 3600);
    assert_eq!(format_local(f[1], PARIS), "2026-10-26 09:00");
    assert_eq!(format_local(f[1], "UTC"), "2026-10-26 08:00");
}

#[test]
fn a_weekly_meeting_keeps_its_time_in_new_york_across_both_dst_changes() {
    let r = weekly(1, &[7], End::Count(2));
    let s = occurrences(
        at_local("2026-03-01T18:00", NEW_YORK),
        NEW_YORK,
        Some(&r),
        9,
    );
    assert_eq!(s[1] - s[0], 7 * 86_400 - 3600);
    assert_eq!(format_local(s[1], NEW_YORK), "2026-03-08 18:00");
    let f = occurrences(
        at_local("2026-10-25T18:00", NEW_YORK),
        NEW_YORK,
        Some(&r),
        9,
    );
    assert_eq!(f[1] - f[0], 7 * 86_400 + 3600);
}

#[test]
fn a_half_past_two_start_moves_forward_on_the_spring_forward_day_only() {
    let got = local(
        "2026-03-07T02:30",
        NEW_YORK,
        &rule(Frequency::Daily, 1, End::Count(3)),
    );
    assert_eq!(
        got,
        ["2026-03-07 02:30", "2026-03-08 03:30", "2026-03-09 02:30"]
    );
    let paris = local(
        "2026-03-28T02:30",
        PARIS,
        &rule(Frequency::Daily, 1, End::Count(3)),
    );
    assert_eq!(
        paris,
        ["2026-03-28 02:30", "2026-03-29 03:30", "2026-03-30 02:30"]
    );
    let utc = occurrences(
        at_local("2026-03-28T02:30", PARIS),
        PARIS,
        Some(&rule(Frequency::Daily, 1, End::Count(2))),
        2,
    );
    assert_eq!(format_local(utc[1], "UTC"), "2026-03-29 01:30");
}

#[test]
fn a_repeated_hour_on_the_fall_back_day_takes_its_first_instant() {
    let got = occurrences(
        at_local("2026-10-31T01:30", NEW_YORK),
        NEW_YORK,
        Some(&rule(Frequency::Daily, 1, End::Count(2))),
        9,
    );
    assert_eq!(format_local(got[1], "UTC"), "2026-11-01 05:30");
}

#[test]
fn every_other_week_on_monday_and_wednesday_counts_each_day() {
    let got = dates("2026-01-05", &weekly(2, &[1, 3], End::Count(6)));
    assert_eq!(
        got,
        [
            "2026-01-05",
            "2026-01-07",
            "2026-01-19",
            "2026-01-21",
            "2026-02-02",
            "2026-02-04"
        ]
    );
}

#[test]
fn days_of_the_first_week_before_the_start_are_not_occurrences() {
    let got = dates("2026-01-07", &weekly(1, &[1, 3], End::Count(3)));
    assert_eq!(got, ["2026-01-07", "2026-01-12", "2026-01-14"]);
}

#[test]
fn the_29th_of_february_comes_back_only_in_leap_years() {
    let every_year = Recurrence {
        interval: 12,
        ..monthly(MonthlyBy::DayOfMonth, End::Count(3))
    };
    assert_eq!(
        dates("2024-02-29", &every_year),
        ["2024-02-29", "2028-02-29", "2032-02-29"]
    );
}

#[test]
fn the_largest_interval_steps_ninety_nine_units() {
    let got = dates("2026-01-01", &rule(Frequency::Daily, 99, End::Count(3)));
    assert_eq!(got, ["2026-01-01", "2026-04-10", "2026-07-18"]);
    let months = Recurrence {
        interval: 99,
        ..monthly(MonthlyBy::DayOfMonth, End::Count(2))
    };
    assert_eq!(dates("2026-01-15", &months), ["2026-01-15", "2034-04-15"]);
}

#[test]
fn until_is_inclusive_of_the_local_date_not_the_utc_one() {
    // 20:00 in Los Angeles is already the next day in UTC.
    let la = "America/Los_Angeles";
    let got = local(
        "2026-01-08T20:00",
        la,
        &rule(Frequency::Daily, 1, until("2026-01-10")),
    );
    assert_eq!(
        got,
        ["2026-01-08 20:00", "2026-01-09 20:00", "2026-01-10 20:00"]
    );
    assert_eq!(
        until_instant(PARIS, CivilDate::parse("2026-06-30").unwrap())
            .map(|t| format_local(t, "UTC")),
        Some("2026-06-30 21:59".into())
    );
    assert_eq!(
        until_instant(PARIS, CivilDate::parse("2026-06-30").unwrap()),
        Some(at_local("2026-07-01T00:00", PARIS) - 1)
    );
}

#[test]
fn a_count_of_five_hundred_is_allowed_and_more_is_never_computed() {
    let start = at_local("2026-01-01T10:00", PARIS);
    let max = rule(Frequency::Daily, 1, End::Count(500));
    assert_eq!(validate_series(start, PARIS, &max), Ok(()));
    assert_eq!(occurrences(start, PARIS, Some(&max), usize::MAX).len(), 500);
    let unchecked = rule(Frequency::Daily, 1, End::Count(100_000));
    assert_eq!(
        occurrences(start, PARIS, Some(&unchecked), usize::MAX).len(),
        500
    );
}

#[test]
fn an_until_date_that_allows_more_than_five_hundred_occurrences_is_refused() {
    let start = at_local("2026-01-01T10:00", PARIS);
    let long = rule(Frequency::Daily, 1, until("2027-05-16"));
    assert_eq!(
        last_occurrence(start, PARIS, Some(&long)).map(|t| format_local(t, PARIS)),
        Some("2027-05-15 10:00".into()),
        "never more than 500 are computed"
    );
    assert_eq!(
        validate_series(start, PARIS, &long),
        Err(Invalid::one("until", FieldCode::TooManyOccurrences(500)))
    );
    let fits = rule(Frequency::Daily, 1, until("2027-05-15"));
    assert_eq!(
        occurrences(start, PARIS, Some(&fits), usize::MAX).len(),
        500
    );
    assert_eq!(validate_series(start, PARIS, &fits), Ok(()));
}

#[test]
fn validating_a_series_checks_the_start_in_its_own_zone() {
    // Monday 2026-01-05 00:30 in Paris is still Sunday in UTC.
    let start = at_local("2026-01-05T00:30", PARIS);
    let mondays = weekly(1, &[1], End::Count(3));
    assert_eq!(validate_series(start, PARIS, &mondays), Ok(()));
    assert!(validate_series(start, "UTC", &mondays).is_err());
    assert_eq!(start_date(start, PARIS), CivilDate::parse("2026-01-05"));
}

#[test]
fn a_single_meeting_occurs_once_at_its_start() {
    assert_eq!(occurrences(1_000, PARIS, None, 5), [1_000]);
    assert!(occurrences(1_000, PARIS, None, 0).is_empty());
    assert_eq!(last_occurrence(1_000, PARIS, None), Some(1_000));
}

#[test]
fn occurrences_between_include_one_still_running_at_the_window_start() {
    let r = weekly(1, &[1], End::Count(4));
    let start = at_local("2026-01-05T09:00", PARIS);
    let all = occurrences(start, PARIS, Some(&r), 9);
    let hour = 3600;
    assert_eq!(
        occurrences_between(start, hour, PARIS, Some(&r), all[1] + 1800, all[3]),
        [all[1], all[2]]
    );
    assert_eq!(
        occurrences_between(start, hour, PARIS, Some(&r), all[1] + hour, all[3] + 1),
        [all[2], all[3]]
    );
    assert!(occurrences_between(start, hour, PARIS, Some(&r), all[3] + hour, i64::MAX).is_empty());
}

#[test]
fn the_next_occurrence_is_the_running_one_then_the_following_then_none() {
    let r = rule(Frequency::Daily, 2, End::Count(3));
    let start = at_local("2026-01-05T09:00", PARIS);
    let all = occurrences(start, PARIS, Some(&r), 9);
    assert_eq!(
        next_occurrence(start, 3600, PARIS, Some(&r), start - 86_400),
        Some(all[0])
    );
    assert_eq!(
        next_occurrence(start, 3600, PARIS, Some(&r), all[1] + 3599),
        Some(all[1])
    );
    assert_eq!(
        next_occurrence(start, 3600, PARIS, Some(&r), all[1] + 3600),
        Some(all[2])
    );
    assert_eq!(
        next_occurrence(start, 3600, PARIS, Some(&r), all[2] + 3600),
        None
    );
    assert_eq!(
        next_occurrence(start, 3600, PARIS, None, start + 10),
        Some(start)
    );
    assert_eq!(last_occurrence(start, PARIS, Some(&r)), Some(all[2]));
}

#[test]
fn an_unknown_zone_counts_as_utc() {
    let r = rule(Frequency::Daily, 1, End::Count(2));
    let got = occurrences(1_767_600_000, "Mars/Olympus", Some(&r), 9);
    assert_eq!(got, [1_767_600_000, 1_767_686_400]);
}
