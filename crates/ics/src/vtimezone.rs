//! The `VTIMEZONE` of a series' zone, derived from jiff's transitions over the span the series
//! covers. Runs of transitions that follow a yearly rule (the EU's last Sunday of March, the US's
//! second Sunday of March…) become one `STANDARD`/`DAYLIGHT` observance with a yearly `RRULE`, the
//! form every calendar client reads: each rule is checked to produce exactly jiff's transitions
//! and ends with `UNTIL` where the zone changed its rules. A transition that fits no rule is
//! written on its own.

use jiff::{
    Timestamp,
    civil::{Date, DateTime, Time, Weekday},
    tz::{Offset, TimeZone},
};

use super::text::Lines;
use super::{WEEKDAY_CODES, ics_local, ics_utc};

/// One change of offset, with the local time at which it happens (in the offset it leaves, as
/// `DTSTART` of an observance must be written).
struct Shift {
    at: i64,
    local: DateTime,
    from: i32,
    to: i32,
    dst: bool,
    name: String,
}

/// Writes the `VTIMEZONE` named `name` whose observances cover `[from, to]` (Unix seconds).
pub(super) fn write(lines: &mut Lines, name: &str, tz: &TimeZone, from: i64, to: i64) {
    let shifts = shifts(tz, from, to);
    lines.raw("BEGIN", "VTIMEZONE");
    lines.raw("TZID", name);
    let mut groups: Vec<Vec<&Shift>> = Vec::new();
    for shift in &shifts {
        let same = |g: &&mut Vec<&Shift>| {
            g.first().is_some_and(|s| {
                (s.dst, s.from, s.to, &s.name) == (shift.dst, shift.from, shift.to, &shift.name)
            })
        };
        match groups.iter_mut().find(same) {
            Some(group) => group.push(shift),
            None => groups.push(vec![shift]),
        }
    }
    for group in &groups {
        let mut rest = &group[..];
        while let Some(first) = rest.first() {
            let (rule, len) = longest_run(rest);
            let (run, later) = rest.split_at(len.clamp(1, rest.len()));
            let rule = rule.zip(run.last()).map(|(r, last)| {
                // Open-ended only if the rule adds nothing more before the span's end.
                let next = r.instant(last.local.year() + 1);
                if later.is_empty() && next.is_none_or(|at| at > to) {
                    r.rrule()
                } else {
                    format!("{};UNTIL={}", r.rrule(), ics_utc(last.at))
                }
            });
            observance(lines, first, rule.as_deref());
            rest = later;
        }
    }
    lines.raw("END", "VTIMEZONE");
}

fn shifts(tz: &TimeZone, from: i64, to: i64) -> Vec<Shift> {
    let Ok(after_start) = Timestamp::from_second(from.saturating_add(1)) else {
        return Vec::new();
    };
    let mut shifts = Vec::new();
    // The transition in force at the start opens the list, so the first occurrence is covered.
    let (mut cursor, mut offset) = match tz.preceding(after_start).next() {
        Some(t) => {
            let before = tz
                .preceding(t.timestamp())
                .next()
                .map_or(t.offset(), |p| p.offset());
            shifts.push(shift(
                t.timestamp(),
                before,
                t.offset(),
                t.dst().is_dst(),
                t.abbreviation(),
            ));
            (t.timestamp(), t.offset())
        }
        None => {
            // A zone without history (UTC, a fixed offset): one observance from 1970.
            let info = tz.to_offset_info(after_start);
            let off = info.offset();
            shifts.push(Shift {
                at: -i64::from(off.seconds()),
                local: jiff::civil::date(1970, 1, 1).at(0, 0, 0, 0),
                from: off.seconds(),
                to: off.seconds(),
                dst: info.dst().is_dst(),
                name: info.abbreviation().to_owned(),
            });
            (after_start, off)
        }
    };
    while let Some(t) = tz.following(cursor).next() {
        if t.timestamp().as_second() > to {
            break;
        }
        shifts.push(shift(
            t.timestamp(),
            offset,
            t.offset(),
            t.dst().is_dst(),
            t.abbreviation(),
        ));
        (cursor, offset) = (t.timestamp(), t.offset());
    }
    shifts
}

fn shift(at: Timestamp, from: Offset, to: Offset, dst: bool, name: &str) -> Shift {
    Shift {
        at: at.as_second(),
        local: from.to_datetime(at),
        from: from.seconds(),
        to: to.seconds(),
        dst,
        name: name.to_owned(),
    }
}

/// "The nth (or last, -1) weekday of a month, at a local time", as the zone's rules say it.
#[derive(Clone, Copy)]
struct YearlyRule {
    month: i8,
    nth: i8,
    weekday: Weekday,
    time: Time,
    from: Offset,
}

impl YearlyRule {
    /// The rules `shift` could be the first of: its nth weekday of the month, and the last one.
    fn candidates(shift: &Shift) -> Vec<YearlyRule> {
        let date = shift.local.date();
        let rule = |nth| YearlyRule {
            month: date.month(),
            nth,
            weekday: date.weekday(),
            time: shift.local.time(),
            from: Offset::from_seconds(shift.from).unwrap_or(Offset::UTC),
        };
        // "Last" comes second so that, on a tie, it wins (`max_by_key` keeps the last maximum):
        // a 4th Sunday that is also the last is, in the zone's rules, "the last".
        let mut rules = Vec::new();
        let nth = (date.day() - 1) / 7 + 1;
        if nth <= 4 {
            rules.push(rule(nth));
        }
        if date.day() + 7 > date.days_in_month() {
            rules.push(rule(-1));
        }
        rules
    }

    /// When the rule's transition happens in `year`.
    fn instant(&self, year: i16) -> Option<i64> {
        let day = Date::new(year, self.month, 1)
            .ok()?
            .nth_weekday_of_month(self.nth, self.weekday)
            .ok()?;
        Some(
            self.from
                .to_timestamp(day.to_datetime(self.time))
                .ok()?
                .as_second(),
        )
    }

    fn rrule(&self) -> String {
        let code = WEEKDAY_CODES[self.weekday.to_monday_zero_offset() as usize];
        format!(
            "FREQ=YEARLY;BYMONTH={};BYDAY={}{code}",
            self.month, self.nth
        )
    }
}

/// The longest prefix of `shifts` (at least one) that one yearly rule gives in consecutive years,
/// with that rule when the prefix has two or more.
fn longest_run(shifts: &[&Shift]) -> (Option<YearlyRule>, usize) {
    let Some(first) = shifts.first() else {
        return (None, 0);
    };
    let run = |rule: &YearlyRule| {
        let year = first.local.year();
        shifts
            .iter()
            .enumerate()
            .take_while(|(k, s)| {
                let expected = i16::try_from(*k).ok().and_then(|k| rule.instant(year + k));
                expected == Some(s.at)
            })
            .count()
    };
    YearlyRule::candidates(first)
        .into_iter()
        .map(|rule| (run(&rule), rule))
        .filter(|(len, _)| *len >= 2)
        .max_by_key(|(len, _)| *len)
        .map_or((None, 1), |(len, rule)| (Some(rule), len))
}

fn observance(lines: &mut Lines, shift: &Shift, rule: Option<&str>) {
    let kind = if shift.dst { "DAYLIGHT" } else { "STANDARD" };
    lines.raw("BEGIN", kind);
    lines.raw("DTSTART", &ics_local(shift.local));
    lines.raw("TZOFFSETFROM", &utc_offset(shift.from));
    lines.raw("TZOFFSETTO", &utc_offset(shift.to));
    if let Some(rule) = rule {
        lines.raw("RRULE", rule);
    }
    lines.text("TZNAME", &shift.name);
    lines.raw("END", kind);
}

/// `+0100`, `-0430`, or `+053328` when there are seconds.
fn utc_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    let (h, m, sec) = (s / 3600, s % 3600 / 60, s % 60);
    if sec == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{sec:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vtimezone(name: &str, from: &str, to: &str) -> String {
        let ts = |raw: &str| raw.parse::<Timestamp>().unwrap().as_second();
        let mut lines = Lines::default();
        write(&mut lines, name, &crate::tz::zone(name), ts(from), ts(to));
        lines.finish()
    }

    #[test]
    fn paris_is_described_by_the_eu_rules() {
        let out = vtimezone(
            "Europe/Paris",
            "2026-01-05T08:00:00Z",
            "2027-06-28T08:00:00Z",
        );
        let expected = [
            "BEGIN:VTIMEZONE",
            "TZID:Europe/Paris",
            "BEGIN:STANDARD",
            "DTSTART:20251026T030000",
            "TZOFFSETFROM:+0200",
            "TZOFFSETTO:+0100",
            "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
            "TZNAME:CET",
            "END:STANDARD",
            "BEGIN:DAYLIGHT",
            "DTSTART:20260329T020000",
            "TZOFFSETFROM:+0100",
            "TZOFFSETTO:+0200",
            "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
            "TZNAME:CEST",
            "END:DAYLIGHT",
            "END:VTIMEZONE",
        ];
        assert_eq!(out, expected.join("\r\n") + "\r\n");
    }

    #[test]
    fn new_york_uses_the_second_and_first_sundays() {
        let out = vtimezone(
            "America/New_York",
            "2026-01-05T14:00:00Z",
            "2027-06-05T14:00:00Z",
        );
        assert!(
            out.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\n"),
            "{out}"
        );
        assert!(
            out.contains("RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\n"),
            "{out}"
        );
    }

    #[test]
    fn a_change_of_rules_ends_the_old_rule_with_until() {
        // The US moved its DST dates in 2007.
        let out = vtimezone(
            "America/New_York",
            "2005-01-03T14:00:00Z",
            "2010-12-27T14:00:00Z",
        );
        let rules: Vec<&str> = out.lines().filter(|l| l.starts_with("RRULE")).collect();
        assert_eq!(
            rules,
            [
                "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU;UNTIL=20061029T060000Z",
                "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU",
                "RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU;UNTIL=20060402T070000Z",
                "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
            ],
            "{out}"
        );
        for start in [
            "20041031T020000",
            "20071104T020000",
            "20050403T020000",
            "20070311T020000",
        ] {
            assert!(
                out.contains(&format!("DTSTART:{start}\r\n")),
                "{start}: {out}"
            );
        }
    }

    #[test]
    fn a_rule_the_zone_abolished_within_the_span_stops_with_until() {
        // Brazil ended daylight saving in 2019: no change in February 2020.
        let out = vtimezone(
            "America/Sao_Paulo",
            "2017-06-05T12:00:00Z",
            "2020-06-01T12:00:00Z",
        );
        assert!(
            out.contains("RRULE:FREQ=YEARLY;BYMONTH=2;BYDAY=3SU;UNTIL=20190217T020000Z\r\n"),
            "{out}"
        );
    }

    #[test]
    fn a_transition_that_fits_no_rule_is_written_alone() {
        // Moscow kept summer time all year from 2011, then went back to +03 in 2014.
        let out = vtimezone(
            "Europe/Moscow",
            "2013-01-07T06:00:00Z",
            "2015-12-28T06:00:00Z",
        );
        assert!(!out.contains("RRULE"), "{out}");
        assert!(
            out.contains("DTSTART:20110327T020000\r\nTZOFFSETFROM:+0300\r\nTZOFFSETTO:+0400\r\n"),
            "{out}"
        );
        assert!(
            out.contains("DTSTART:20141026T020000\r\nTZOFFSETFROM:+0400\r\nTZOFFSETTO:+0300\r\n"),
            "{out}"
        );
    }

    #[test]
    fn a_zone_without_daylight_saving_has_one_observance() {
        let out = vtimezone("Asia/Tokyo", "2026-01-05T00:00:00Z", "2027-01-05T00:00:00Z");
        assert_eq!(out.matches("BEGIN:STANDARD").count(), 1, "{out}");
        assert!(!out.contains("DAYLIGHT"));
        assert!(out.contains("TZOFFSETTO:+0900\r\n"));
        let utc = vtimezone("UTC", "2026-01-05T00:00:00Z", "2027-01-05T00:00:00Z");
        assert!(
            utc.contains("DTSTART:19700101T000000\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0000\r\n"),
            "{utc}"
        );
    }

    #[test]
    fn offsets_with_seconds_keep_them() {
        assert_eq!(utc_offset(3600), "+0100");
        assert_eq!(utc_offset(-16_200), "-0430");
        assert_eq!(utc_offset(561), "+000921");
    }
}
