//! Lenient readers for the analytics body. The `bbbevents` gem writes instants as ISO 8601 strings
//! in the BBB server's zone (`2018-08-16T11:39:21.000-04:00`); older gem versions wrote Ruby's
//! `Time#to_s` (`2018-08-16 11:39:21 -0400`), and relays or mocks may send epoch numbers. Counts
//! and durations are integers in Ruby but may arrive as floats or strings through relays.

use chrono::{DateTime, NaiveDateTime};
use serde::{Deserialize, Deserializer, de::Error};
use serde_json::Value;

/// Epoch numbers below this are seconds, above it milliseconds: 1e11 s is the year 5138 while
/// 1e11 ms is 1973, so no real meeting falls on the wrong side.
const MS_THRESHOLD: f64 = 1e11;

fn epoch_ms(n: f64) -> Option<i64> {
    if !n.is_finite() {
        return None;
    }
    let ms = if n.abs() < MS_THRESHOLD {
        n * 1000.0
    } else {
        n
    };
    // Within ±1e15 ms (year ~33 000) the cast is exact enough and cannot saturate.
    (ms.abs() < 1e15).then_some(ms.round() as i64)
}

/// An instant as Unix milliseconds, from any of the spellings above; `None` if unrecognised.
pub fn instant_ms(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(n) = s.parse::<f64>() {
        return epoch_ms(n);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp_millis());
    }
    for format in ["%Y-%m-%d %H:%M:%S%.f %z", "%Y-%m-%dT%H:%M:%S%.f%z"] {
        if let Ok(t) = DateTime::parse_from_str(s, format) {
            return Some(t.timestamp_millis());
        }
    }
    // Ruby prints UTC times as `… UTC`; a bare local time has no zone to go by, so UTC it is.
    let naive = s.strip_suffix(" UTC").unwrap_or(s);
    for format in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(naive, format) {
            return Some(t.and_utc().timestamp_millis());
        }
    }
    None
}

fn value_ms(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_f64().and_then(epoch_ms),
        Value::String(s) => instant_ms(s),
        _ => None,
    }
}

/// A required instant.
pub fn de_instant<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let v = Value::deserialize(d)?;
    value_ms(&v).ok_or_else(|| D::Error::custom("an instant that is neither ISO 8601 nor epoch"))
}

/// A list of instants; `null` is an empty list.
pub fn de_instants<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<i64>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items
            .iter()
            .map(|v| {
                value_ms(v).ok_or_else(|| {
                    D::Error::custom("an instant that is neither ISO 8601 nor epoch")
                })
            })
            .collect(),
        _ => Err(D::Error::custom("a list of instants")),
    }
}

fn lenient_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Null => Some(0.0),
        Value::Number(n) => n.as_f64(),
        Value::String(s) if s.trim().is_empty() => Some(0.0),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Seconds (a duration): integer, float or numeric string; `null` is 0.
pub fn de_secs<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let v = Value::deserialize(d)?;
    lenient_f64(&v)
        .filter(|n| n.is_finite() && n.abs() < 1e15)
        .map(|n| n.round() as i64)
        .ok_or_else(|| D::Error::custom("a number of seconds"))
}

/// A count (chats, talks…): like [`de_secs`], never negative.
pub fn de_count<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let n = de_secs(d)?;
    Ok(u32::try_from(n.max(0)).unwrap_or(u32::MAX))
}

/// `true`/`false`, also as strings (XML-born values).
pub fn de_flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    match Value::deserialize(d)? {
        Value::Bool(b) => Ok(b),
        Value::Null => Ok(false),
        Value::String(s) => Ok(s.trim().eq_ignore_ascii_case("true")),
        _ => Err(D::Error::custom("true or false")),
    }
}

/// An identifier that some senders write as a number.
pub fn de_id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match Value::deserialize(d)? {
        Value::String(s) if !s.trim().is_empty() => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(D::Error::custom("a non-empty identifier")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_534_433_961_000; // 2018-08-16T15:39:21Z

    #[test]
    fn bbbevents_iso_times_with_any_offset_read_as_the_same_instant() {
        assert_eq!(instant_ms("2018-08-16T11:39:21.000-04:00"), Some(T));
        assert_eq!(instant_ms("2018-08-16T17:39:21.000+02:00"), Some(T));
        assert_eq!(instant_ms("2018-08-16T15:39:21Z"), Some(T));
        assert_eq!(instant_ms("2018-08-16T15:39:21.250Z"), Some(T + 250));
        assert_eq!(instant_ms("2018-08-16T11:39:21-0400"), Some(T));
    }

    #[test]
    fn ruby_time_to_s_and_bare_times_read_too() {
        assert_eq!(instant_ms("2018-08-16 11:39:21 -0400"), Some(T));
        assert_eq!(instant_ms("2018-08-16 15:39:21 UTC"), Some(T));
        assert_eq!(instant_ms("2018-08-16 15:39:21"), Some(T));
    }

    #[test]
    fn epoch_numbers_are_seconds_or_milliseconds_by_size() {
        assert_eq!(instant_ms("1534433961"), Some(T));
        assert_eq!(instant_ms("1534433961000"), Some(T));
        assert_eq!(instant_ms("1534433961.5"), Some(T + 500));
        assert_eq!(value_ms(&serde_json::json!(1_534_433_961)), Some(T));
        assert_eq!(value_ms(&serde_json::json!(T)), Some(T));
    }

    #[test]
    fn nonsense_is_not_an_instant() {
        for s in ["", "yesterday", "2018-13-45T99:00:00Z", "NaN", "1e300"] {
            assert_eq!(instant_ms(s), None, "{s}");
        }
        assert_eq!(value_ms(&serde_json::json!({"date": "2018-08-16"})), None);
    }
}
