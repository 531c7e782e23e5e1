//! Time-zone conversion on the server (jiff, system tz database). The browser never needs a tz
//! database: it receives formatted strings and second counts.

use jiff::{
    Timestamp,
    civil::{Date, DateTime},
    tz::TimeZone,
};

/// A known IANA zone, or UTC.
pub fn zone(name: &str) -> TimeZone {
    TimeZone::get(name).unwrap_or(TimeZone::UTC)
}

pub fn is_valid_zone(name: &str) -> bool {
    name.len() <= 64 && TimeZone::get(name).is_ok()
}

/// "2026-11-24 14:00" in the viewer's zone.
pub fn format_local(ts: i64, tz: &str) -> String {
    match Timestamp::from_second(ts) {
        Ok(t) => t
            .to_zoned_datetime(zone(tz))
            .strftime("%Y-%m-%d %H:%M")
            .to_string(),
        Err(_) => String::new(),
    }
}

/// The value of an `<input type="datetime-local">` for this instant.
pub fn to_input(ts: i64, tz: &str) -> String {
    match Timestamp::from_second(ts) {
        Ok(t) => t
            .to_zoned_datetime(zone(tz))
            .strftime("%Y-%m-%dT%H:%M")
            .to_string(),
        Err(_) => String::new(),
    }
}

/// Parses `YYYY-MM-DDTHH:MM[:SS]` as a wall-clock time in `tz`. In a DST gap or overlap jiff's
/// "compatible" rule picks the instant a person would expect (as RFC 5545 does).
pub fn parse_input(raw: &str, tz: &str) -> Option<i64> {
    let dt: DateTime = raw.trim().parse().ok()?;
    let zoned = dt.to_zoned_datetime(zone(tz)).ok()?;
    Some(zoned.timestamp().as_second())
}

/// The calendar day this instant (Unix ms) falls on in `tz`.
pub fn local_date(ms: i64, tz: &str) -> Option<Date> {
    Some(
        Timestamp::from_millisecond(ms)
            .ok()?
            .to_zoned_datetime(zone(tz))
            .date(),
    )
}

/// Parses an `<input type="date">` value (`YYYY-MM-DD`).
pub fn parse_date(raw: &str) -> Option<Date> {
    raw.trim().parse().ok()
}

/// The first instant (Unix ms) of `date` in `tz` (midnight, or the first valid time on a DST day).
pub fn day_start_ms(date: Date, tz: &str) -> Option<i64> {
    Some(
        date.to_zoned_datetime(zone(tz))
            .ok()?
            .start_of_day()
            .ok()?
            .timestamp()
            .as_millisecond(),
    )
}

/// "2026-11-24 14:05" for a Unix-ms instant in the viewer's zone.
pub fn format_local_ms(ms: i64, tz: &str) -> String {
    format_ms(ms, tz, "%Y-%m-%d %H:%M")
}

/// `strftime` of a Unix-ms instant in `tz`; empty for instants out of range.
pub fn format_ms(ms: i64, tz: &str, pattern: &str) -> String {
    match Timestamp::from_millisecond(ms) {
        Ok(t) => t.to_zoned_datetime(zone(tz)).strftime(pattern).to_string(),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_input_round_trips_through_a_zone() {
        let ts = parse_input("2026-11-24T14:00", "Europe/Madrid").unwrap();
        assert_eq!(ts, 1_795_525_200);
        assert_eq!(to_input(ts, "Europe/Madrid"), "2026-11-24T14:00");
        assert_eq!(format_local(ts, "UTC"), "2026-11-24 13:00");
    }

    #[test]
    fn seconds_are_accepted_and_nonsense_is_not() {
        assert_eq!(
            parse_input("2026-11-24T14:00:30", "UTC"),
            Some(1_795_528_830)
        );
        assert_eq!(parse_input("24/11/2026", "UTC"), None);
        assert_eq!(parse_input("", "UTC"), None);
    }

    #[test]
    fn days_start_at_local_midnight() {
        let d = parse_date("2026-11-24").unwrap();
        assert_eq!(day_start_ms(d, "UTC"), Some(1_795_478_400_000));
        assert_eq!(
            day_start_ms(d, "Europe/Madrid"),
            Some(1_795_478_400_000 - 3_600_000)
        );
        assert_eq!(
            local_date(1_795_478_400_000 - 1, "UTC"),
            parse_date("2026-11-23")
        );
        assert_eq!(parse_date("24.11.2026"), None);
    }

    #[test]
    fn unknown_zones_fall_back_to_utc_and_are_reported_invalid() {
        assert!(!is_valid_zone("Mars/Olympus"));
        assert!(is_valid_zone("America/New_York"));
        assert_eq!(format_local(0, "Mars/Olympus"), "1970-01-01 00:00");
    }
}
