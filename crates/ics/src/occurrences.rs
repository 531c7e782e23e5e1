//! When a meeting series meets (server only: it needs the time-zone database).
//!
//! The k-th period of a series is computed from the series' first date (first + k·interval days,
//! weeks or months), never from the previous occurrence, so nothing drifts: a series on the 31st
//! skips shorter months and comes back to the 31st, and an nth-weekday series keeps its nth. Each
//! date gets the start's wall-clock time in the series' zone, so 09:00 stays 09:00 across daylight
//! saving (the UTC instant moves); a time that does not exist that day (spring-forward gap) is
//! moved forward by the gap and a repeated one takes its first instant, as RFC 5545 says. These
//! are exactly the dates of the `RRULE` that this crate writes, so calendars show what Aula shows.

use jiff::{
    Span, Timestamp,
    civil::{Date, Time},
    tz::TimeZone,
};

use domain::field::{FieldCode, Invalid};
use domain::recurrence::{COUNT_MAX, CivilDate, End, Frequency, MonthlyBy, Recurrence};

use crate::tz::zone;

/// However a rule came to be (validated or not), no series has more occurrences than this.
const MAX: usize = COUNT_MAX as usize;

/// Occurrence start instants (Unix seconds) of a series whose first occurrence starts at `start`
/// in IANA zone `tz` (unknown zones count as UTC), at most `limit` of them. A single meeting
/// (`rule` None) occurs once, at `start`.
pub fn occurrences(start: i64, tz: &str, rule: Option<&Recurrence>, limit: usize) -> Vec<i64> {
    match rule {
        _ if limit == 0 => Vec::new(),
        None => vec![start],
        Some(rule) => series(start, &zone(tz), rule, limit.min(MAX)),
    }
}

/// The occurrences that overlap `[from, to)`, each lasting `duration_secs`: for calendar feeds and
/// lists of sessions.
pub fn occurrences_between(
    start: i64,
    duration_secs: i64,
    tz: &str,
    rule: Option<&Recurrence>,
    from: i64,
    to: i64,
) -> Vec<i64> {
    occurrences(start, tz, rule, MAX)
        .into_iter()
        .take_while(|&o| o < to)
        .filter(|&o| o.saturating_add(duration_secs) > from)
        .collect()
}

/// The occurrence running at `now`, else the next one; None once the series is over.
pub fn next_occurrence(
    start: i64,
    duration_secs: i64,
    tz: &str,
    rule: Option<&Recurrence>,
    now: i64,
) -> Option<i64> {
    occurrences(start, tz, rule, MAX)
        .into_iter()
        .find(|&o| o.saturating_add(duration_secs) > now)
}

/// The start of the last occurrence.
pub fn last_occurrence(start: i64, tz: &str, rule: Option<&Recurrence>) -> Option<i64> {
    occurrences(start, tz, rule, MAX).last().copied()
}

/// The calendar date `start` falls on in `tz`: what the form's checks and choices depend on.
pub fn start_date(start: i64, tz: &str) -> Option<CivilDate> {
    let date = zone(tz)
        .to_datetime(Timestamp::from_second(start).ok()?)
        .date();
    CivilDate::new(
        i32::from(date.year()),
        u8::try_from(date.month()).ok()?,
        u8::try_from(date.day()).ok()?,
    )
}

/// Every check of a series about to be saved: the rule's own, those against its start date, and
/// at most `COUNT_MAX` occurrences when it ends on a date. `starts_at` is the form's start field.
pub fn validate_series(start: i64, tz: &str, rule: &Recurrence) -> Result<(), Invalid> {
    let Some(first) = start_date(start, tz) else {
        return Err(Invalid::one("starts_at", FieldCode::InvalidDate));
    };
    rule.validate_with_start(first)?;
    let too_many = MAX + 1;
    if matches!(rule.end, End::Until(_))
        && series(start, &zone(tz), rule, too_many).len() == too_many
    {
        return Err(Invalid::one(
            "until",
            FieldCode::TooManyOccurrences(COUNT_MAX),
        ));
    }
    Ok(())
}

/// The last second (Unix) of `until` in `tz`: an `RRULE`'s UTC `UNTIL` that keeps every occurrence
/// starting on that local date.
pub fn until_instant(tz: &str, until: CivilDate) -> Option<i64> {
    let next_day = to_date(until)?.tomorrow().ok()?;
    let midnight = next_day
        .to_zoned_datetime(zone(tz))
        .ok()?
        .start_of_day()
        .ok()?;
    Some(midnight.timestamp().as_second() - 1)
}

fn series(start: i64, tz: &TimeZone, rule: &Recurrence, limit: usize) -> Vec<i64> {
    let Ok(instant) = Timestamp::from_second(start) else {
        return Vec::new();
    };
    let local = tz.to_datetime(instant);
    let (first, time) = (local.date(), local.time());
    let until = match &rule.end {
        End::Until(_) => match rule.end.until().and_then(to_date) {
            Some(date) => Some(date),
            None => return Vec::new(),
        },
        End::Count(_) => None,
    };
    let count = rule.end.count().map_or(usize::MAX, |n| n as usize);
    let cap = count.min(limit);
    let mut out = Vec::new();
    for k in 0_i64.. {
        // Out of the calendar's range: nothing more can come.
        let Some(dates) = period_dates(first, rule, k) else {
            break;
        };
        for date in dates.into_iter().filter(|d| *d >= first) {
            if until.is_some_and(|u| date > u) || out.len() >= cap {
                return out;
            }
            match at(tz, date, time) {
                Some(ts) => out.push(ts),
                None => return out,
            }
        }
    }
    out
}

/// The dates of the k-th period (day, week or month) counted from the series' first date; empty
/// for a month without the day, None past the end of the calendar.
fn period_dates(first: Date, rule: &Recurrence, k: i64) -> Option<Vec<Date>> {
    let step = k.checked_mul(i64::from(rule.interval.max(1)))?;
    match rule.frequency {
        Frequency::Daily => Some(vec![add_days(first, step)?]),
        Frequency::Weekly => {
            let monday = add_days(first, -i64::from(first.weekday().to_monday_zero_offset()))?;
            let week = add_days(monday, step.checked_mul(7)?)?;
            let own = [first.weekday().to_monday_one_offset() as u8];
            let days = if rule.weekdays.is_empty() {
                &own[..]
            } else {
                &rule.weekdays[..]
            };
            days.iter()
                .map(|&d| add_days(week, i64::from(d) - 1))
                .collect()
        }
        Frequency::Monthly => {
            let index = i64::from(first.year()) * 12 + i64::from(first.month()) - 1 + step;
            let year = i16::try_from(index.div_euclid(12)).ok()?;
            let month = i8::try_from(index.rem_euclid(12) + 1).ok()?;
            let month_start = Date::new(year, month, 1).ok()?;
            let nth = match rule.monthly_by {
                MonthlyBy::DayOfMonth => {
                    return Some(
                        Date::new(year, month, first.day())
                            .ok()
                            .into_iter()
                            .collect(),
                    );
                }
                MonthlyBy::NthWeekday => (first.day() - 1) / 7 + 1,
                MonthlyBy::LastWeekday => -1,
            };
            // A month without that nth weekday is skipped, never spilled into the next month.
            let date = month_start.nth_weekday_of_month(nth, first.weekday());
            Some(date.ok().into_iter().collect())
        }
    }
}

fn add_days(date: Date, days: i64) -> Option<Date> {
    date.checked_add(Span::new().try_days(days).ok()?).ok()
}

/// The instant of a wall-clock time on a date, with jiff's "compatible" disambiguation (RFC 5545's).
fn at(tz: &TimeZone, date: Date, time: Time) -> Option<i64> {
    let ts = tz.to_timestamp(date.to_datetime(time)).ok()?;
    Some(ts.as_second())
}

fn to_date(d: CivilDate) -> Option<Date> {
    Date::new(
        i16::try_from(d.year).ok()?,
        i8::try_from(d.month).ok()?,
        i8::try_from(d.day).ok()?,
    )
    .ok()
}

#[cfg(test)]
mod tests;
