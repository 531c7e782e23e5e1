//! Aula's calendar integration (server only, it needs the time-zone database): time zones
//! (`tz`), when a meeting series meets (`occurrences`), and RFC 5545 calendars of meetings: the
//! `.ics` attached to invitations (a series as one event with an `RRULE`), a course's calendar and
//! the events of a user's calendar feed. No Leptos and no Aula crate but `domain` (the
//! recurrence rule); the writer's test peer is Python's `icalendar`, which reads what it writes.
//!
//! Written by hand rather than with the `icalendar` crate because a series needs a `VTIMEZONE`
//! and exact control of CRLF, folding and escaping. A single event is written in UTC; a series is
//! written in its zone's wall-clock time (`DTSTART;TZID=…`, with the zone's `VTIMEZONE`), because
//! its occurrences keep their local time across daylight saving, and its `RRULE` means exactly
//! the occurrences `occurrences.rs` computes (`UNTIL` in UTC with `Z`: the end of the until-date in
//! the zone). Python's `icalendar`/`dateutil` check this in `server/tests/support/ics_check.py`.

pub mod occurrences;
mod text;
pub mod tz;
mod vtimezone;

use std::collections::BTreeMap;

use jiff::{Timestamp, civil::DateTime, tz::TimeZone};

use domain::recurrence::{COUNT_MAX, End, Frequency, MonthlyBy, Recurrence};

use crate::occurrences::{occurrences, until_instant};
use crate::tz::{is_valid_zone, zone};
use text::{Lines, param_value};

const PRODID: &str = "-//Aula//Meetings//EN";
const WEEKDAY_CODES: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/// One event: a single meeting (`rule` None) or a whole series.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IcsEvent {
    /// Stable per meeting (series), e.g. `meeting-12@aula.example.edu`, so updates replace it.
    pub uid: String,
    pub summary: String,
    /// Plain text. Callers decide what goes in: never an access password unless the owner chose so.
    pub description: String,
    /// The meeting's page; empty for none.
    pub url: String,
    /// First occurrence, Unix seconds.
    pub start: i64,
    pub duration_secs: i64,
    /// IANA zone of the series' wall-clock time (unknown zones count as UTC, as everywhere).
    pub tz: String,
    pub rule: Option<Recurrence>,
    /// (display name, e-mail address).
    pub organizer: Option<(String, String)>,
    /// E-mail addresses; invitations (`Method::Request`) should name the invitees.
    pub attendees: Vec<String>,
    /// When this version of the event was written (Unix seconds).
    pub stamp: i64,
    /// Raised at each change the invitees should see (RFC 5546).
    pub sequence: u32,
    /// A reminder this many minutes before each occurrence.
    pub alarm_minutes: Option<u32>,
}

/// The iTIP method (RFC 5546) of a calendar sent by e-mail. A calendar without one is a
/// published feed or download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Publish,
    Request,
    Cancel,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Publish => "PUBLISH",
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }
}

/// The whole `.ics` text: CRLF line ends, folded at 75 octets.
pub fn calendar(name: &str, method: Option<Method>, events: &[IcsEvent]) -> String {
    let mut lines = Lines::default();
    lines.raw("BEGIN", "VCALENDAR");
    lines.raw("VERSION", "2.0");
    lines.raw("PRODID", PRODID);
    lines.raw("CALSCALE", "GREGORIAN");
    if let Some(method) = method {
        lines.raw("METHOD", method.as_str());
    }
    lines.text("NAME", name);
    lines.text("X-WR-CALNAME", name);
    if method.is_none() {
        // Subscribed feeds: ask clients to refresh hourly (RFC 7986 and the older Apple form).
        lines.raw("REFRESH-INTERVAL;VALUE=DURATION", "PT1H");
        lines.raw("X-PUBLISHED-TTL", "PT1H");
    }
    // One VTIMEZONE per zone, spanning every series written in it.
    let mut spans: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    for event in events {
        if let Some(span) = series_span(event) {
            let entry = spans.entry(event.tz.as_str()).or_insert(span);
            *entry = (entry.0.min(span.0), entry.1.max(span.1));
        }
    }
    for (tz, (from, to)) in &spans {
        vtimezone::write(&mut lines, tz, &zone(tz), *from, *to);
    }
    for event in events {
        write_event(&mut lines, event, method);
    }
    lines.raw("END", "VCALENDAR");
    lines.finish()
}

/// The `RRULE` value of a series whose first occurrence starts at `start` in `tz`.
pub fn rrule(rule: &Recurrence, start: i64, tz: &str) -> String {
    let mut parts = vec![
        format!(
            "FREQ={}",
            match rule.frequency {
                Frequency::Daily => "DAILY",
                Frequency::Weekly => "WEEKLY",
                Frequency::Monthly => "MONTHLY",
            }
        ),
        format!("INTERVAL={}", rule.interval),
    ];
    let first = local(start, tz);
    match rule.frequency {
        Frequency::Daily => {}
        Frequency::Weekly => {
            let mut days: Vec<&str> = rule
                .weekdays
                .iter()
                .filter_map(|d| WEEKDAY_CODES.get(usize::from(*d).checked_sub(1)?).copied())
                .collect();
            if days.is_empty() {
                // As `occurrences` does for a rule saved without days: the start's own weekday.
                days.extend(
                    first.map(|d| WEEKDAY_CODES[d.weekday().to_monday_zero_offset() as usize]),
                );
            }
            parts.push(format!("BYDAY={}", days.join(",")));
            // The default, but it decides which days an every-N-weeks series skips: say it.
            parts.push("WKST=MO".into());
        }
        Frequency::Monthly => {
            let day = first.map_or(1, |d| d.day());
            let code = first.map_or("MO", |d| {
                WEEKDAY_CODES[d.weekday().to_monday_zero_offset() as usize]
            });
            parts.push(match rule.monthly_by {
                MonthlyBy::DayOfMonth => format!("BYMONTHDAY={day}"),
                MonthlyBy::NthWeekday => format!("BYDAY={}{code}", (day - 1) / 7 + 1),
                MonthlyBy::LastWeekday => format!("BYDAY=-1{code}"),
            });
        }
    }
    match &rule.end {
        End::Count(n) => parts.push(format!("COUNT={}", (*n).min(COUNT_MAX))),
        End::Until(_) => {
            // An until-date that cannot be read still bounds the series (to its first session)
            // rather than letting calendars repeat it forever.
            let until = rule.end.until().and_then(|d| until_instant(tz, d));
            parts.push(format!("UNTIL={}", ics_utc(until.unwrap_or(start))));
        }
    }
    parts.join(";")
}

fn write_event(lines: &mut Lines, event: &IcsEvent, method: Option<Method>) {
    lines.raw("BEGIN", "VEVENT");
    lines.text("UID", &event.uid);
    lines.raw("DTSTAMP", &ics_utc(event.stamp));
    lines.raw("SEQUENCE", &event.sequence.to_string());
    match (&event.rule, local_form(&event.tz)) {
        (Some(rule), Some(tz)) => {
            let start = tz.to_datetime(Timestamp::from_second(event.start).unwrap_or_default());
            lines.raw(
                &format!("DTSTART;TZID={}", param_value(&event.tz)),
                &ics_local(start),
            );
            lines.raw("RRULE", &rrule(rule, event.start, &event.tz));
        }
        (Some(rule), None) => {
            lines.raw("DTSTART", &ics_utc(event.start));
            lines.raw("RRULE", &rrule(rule, event.start, &event.tz));
        }
        (None, _) => lines.raw("DTSTART", &ics_utc(event.start)),
    }
    lines.raw("DURATION", &duration(event.duration_secs));
    lines.text("SUMMARY", &event.summary);
    if !event.description.is_empty() {
        lines.text("DESCRIPTION", &event.description);
    }
    if !event.url.is_empty() {
        lines.raw("URL", &event.url);
    }
    if let Some((name, email)) = &event.organizer {
        lines.raw(
            &format!("ORGANIZER;CN={}", param_value(name)),
            &format!("mailto:{email}"),
        );
    }
    for email in &event.attendees {
        lines.raw(
            "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE",
            &format!("mailto:{email}"),
        );
    }
    let cancelled = method == Some(Method::Cancel);
    lines.raw("STATUS", if cancelled { "CANCELLED" } else { "CONFIRMED" });
    if let (Some(minutes), false) = (event.alarm_minutes, cancelled) {
        lines.raw("BEGIN", "VALARM");
        lines.raw("ACTION", "DISPLAY");
        lines.text("DESCRIPTION", &event.summary);
        lines.raw("TRIGGER", &format!("-PT{minutes}M"));
        lines.raw("END", "VALARM");
    }
    lines.raw("END", "VEVENT");
}

/// The zone a series is written in, unless its wall-clock time is simply UTC (an unknown zone,
/// or one that never changes offset from UTC), which needs no `VTIMEZONE`.
fn local_form(name: &str) -> Option<TimeZone> {
    let tz = zone(name);
    let plain_utc = tz.following(Timestamp::MIN).next().is_none()
        && tz.to_offset(Timestamp::UNIX_EPOCH).seconds() == 0;
    (is_valid_zone(name) && !plain_utc).then_some(tz)
}

/// What a series' `VTIMEZONE` must cover: its first start to its last end.
fn series_span(event: &IcsEvent) -> Option<(i64, i64)> {
    let rule = event.rule.as_ref()?;
    local_form(&event.tz)?;
    let all = occurrences(event.start, &event.tz, Some(rule), usize::MAX);
    let first = *all.first()?;
    Some((
        first,
        all.last()?.saturating_add(event.duration_secs.max(0)),
    ))
}

fn local(ts: i64, tz: &str) -> Option<jiff::civil::Date> {
    Some(
        zone(tz)
            .to_datetime(Timestamp::from_second(ts).ok()?)
            .date(),
    )
}

/// `20260105T090000`: a wall-clock DATE-TIME.
fn ics_local(dt: DateTime) -> String {
    dt.strftime("%Y%m%dT%H%M%S").to_string()
}

/// `20260105T080000Z`.
fn ics_utc(ts: i64) -> String {
    Timestamp::from_second(ts)
        .unwrap_or_default()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string()
}

/// An exact DURATION (`PT1H30M`); hours rather than days, since "P1D" is a nominal day.
fn duration(secs: i64) -> String {
    let s = secs.max(0);
    let (h, m, sec) = (s / 3600, s % 3600 / 60, s % 60);
    let mut out = String::from("PT");
    if h > 0 {
        out.push_str(&format!("{h}H"));
    }
    if m > 0 {
        out.push_str(&format!("{m}M"));
    }
    if sec > 0 || s == 0 {
        out.push_str(&format!("{sec}S"));
    }
    out
}

#[cfg(test)]
mod tests;
