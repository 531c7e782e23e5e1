//! A meeting series' recurrence rule, shared by browser and server: the typed rule, the form draft
//! that becomes one, and every check that needs no time-zone database (so the browser can show
//! field errors at once). Occurrences themselves are computed on the server
//! (`app::meetings::occurrences`, with a time-zone database).
//!
//! Each rule is chosen so that an exact RFC 5545 `RRULE` means the same dates (Aula's ICS writer
//! emits it):
//! a weekly series must include its start's weekday, an nth-weekday series starts on a 1st–4th
//! weekday and a last-weekday series on its month's last one, and a monthly series on the 29th–31st
//! skips months without that day (as `BYMONTHDAY` does), never drifting to an earlier day.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::field::{FieldCode, FieldError, Invalid};

/// "Every N days/weeks/months": 1..=INTERVAL_MAX.
pub const INTERVAL_MAX: u32 = 99;
/// A series has at most this many occurrences, however it ends.
pub const COUNT_MAX: u32 = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Frequency {
    Daily,
    Weekly,
    Monthly,
}

impl Frequency {
    pub const ALL: [Frequency; 3] = [Frequency::Daily, Frequency::Weekly, Frequency::Monthly];

    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
            Frequency::Monthly => "monthly",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == raw)
    }
}

/// Which day of each month a monthly series falls on, derived from its start date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MonthlyBy {
    /// The start's day of the month; months without it (31 in April) are skipped.
    DayOfMonth,
    /// The start's weekday in the same week of the month (3rd Friday); the start's nth is 1..=4.
    NthWeekday,
    /// The start's weekday, last of the month; the start must be its month's last such weekday.
    LastWeekday,
}

impl MonthlyBy {
    pub const ALL: [MonthlyBy; 3] = [
        MonthlyBy::DayOfMonth,
        MonthlyBy::NthWeekday,
        MonthlyBy::LastWeekday,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MonthlyBy::DayOfMonth => "day_of_month",
            MonthlyBy::NthWeekday => "nth_weekday",
            MonthlyBy::LastWeekday => "last_weekday",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == raw)
    }

    /// The choices a form should offer for a series starting on `start`.
    pub fn offered_for(start: CivilDate) -> Vec<MonthlyBy> {
        Self::ALL.into_iter().filter(|m| m.fits(start)).collect()
    }

    fn fits(self, start: CivilDate) -> bool {
        match self {
            MonthlyBy::DayOfMonth => true,
            MonthlyBy::NthWeekday => start.nth_weekday_of_month() <= 4,
            MonthlyBy::LastWeekday => start.is_last_weekday_of_month(),
        }
    }
}

/// How a series ends. `Count` includes the first occurrence; `Until` is a local date
/// (`YYYY-MM-DD`, in the series' zone) and is inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum End {
    Count(u32),
    Until(String),
}

impl End {
    pub fn count(&self) -> Option<u32> {
        match self {
            End::Count(n) => Some(*n),
            End::Until(_) => None,
        }
    }

    pub fn until(&self) -> Option<CivilDate> {
        match self {
            End::Count(_) => None,
            End::Until(raw) => CivilDate::parse(raw),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Recurrence {
    pub frequency: Frequency,
    /// 1..=INTERVAL_MAX.
    pub interval: u32,
    /// ISO weekdays (1 = Monday … 7 = Sunday), sorted and without repeats; weekly only.
    pub weekdays: Vec<u8>,
    /// Meaningful for monthly series only (`DayOfMonth` otherwise).
    pub monthly_by: MonthlyBy,
    pub end: End,
}

impl Recurrence {
    /// The checks that need no start date: ranges, and a weekly series names its days.
    pub fn check(&self) -> Result<(), Invalid> {
        Invalid::check(self.problems())
    }

    /// Every check, given the series' first date in its own zone.
    pub fn validate_with_start(&self, start: CivilDate) -> Result<(), Invalid> {
        let mut errors = self.problems();
        match self.frequency {
            // RFC 5545 counts DTSTART as an occurrence even on a day not chosen; requiring it
            // keeps calendars and Aula on the same dates.
            Frequency::Weekly
                if !self.weekdays.is_empty() && !self.weekdays.contains(&start.weekday()) =>
            {
                errors.push(FieldError::new("weekdays", FieldCode::StartDayNotChosen));
            }
            Frequency::Monthly if !self.monthly_by.fits(start) => {
                errors.push(FieldError::new("monthly_by", FieldCode::StartNotInSeries));
            }
            _ => {}
        }
        if let Some(until) = self.end.until()
            && until < start
        {
            errors.push(FieldError::new("until", FieldCode::ClosingNotAfterOpening));
        }
        Invalid::check(errors)
    }

    fn problems(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if !(1..=INTERVAL_MAX).contains(&self.interval) {
            errors.push(FieldError::new(
                "interval",
                FieldCode::OutOfRange(1, i64::from(INTERVAL_MAX)),
            ));
        }
        if self.frequency == Frequency::Weekly {
            let sorted = self.weekdays.windows(2).all(|w| w[0] < w[1]);
            if self.weekdays.is_empty() {
                errors.push(FieldError::new("weekdays", FieldCode::Required));
            } else if !sorted || self.weekdays.iter().any(|d| !(1..=7).contains(d)) {
                errors.push(FieldError::new("weekdays", FieldCode::InvalidChoice));
            }
        } else if !self.weekdays.is_empty() {
            errors.push(FieldError::new("weekdays", FieldCode::InvalidChoice));
        }
        match &self.end {
            End::Count(n) if !(1..=COUNT_MAX).contains(n) => errors.push(FieldError::new(
                "count",
                FieldCode::OutOfRange(1, i64::from(COUNT_MAX)),
            )),
            End::Until(raw) if CivilDate::parse(raw).is_none() => {
                errors.push(FieldError::new("until", FieldCode::InvalidDate));
            }
            _ => {}
        }
        errors
    }

    /// One short line for a database column, e.g. `weekly;2;1,3;day_of_month;count=10` or
    /// `monthly;1;;last_weekday;until=2026-12-31`. `decode` reads it back.
    pub fn encode(&self) -> String {
        let days: Vec<String> = self.weekdays.iter().map(u8::to_string).collect();
        let end = match &self.end {
            End::Count(n) => format!("count={n}"),
            End::Until(d) => format!("until={d}"),
        };
        format!(
            "{};{};{};{};{end}",
            self.frequency.as_str(),
            self.interval,
            days.join(","),
            self.monthly_by.as_str()
        )
    }

    /// The rule `encode` wrote, if it is well formed and passes `check`.
    pub fn decode(raw: &str) -> Option<Recurrence> {
        let mut parts = raw.split(';');
        let frequency = Frequency::parse(parts.next()?)?;
        let interval = parts.next()?.parse().ok()?;
        let days = parts.next()?;
        let weekdays = if days.is_empty() {
            Vec::new()
        } else {
            days.split(',')
                .map(|d| d.parse().ok())
                .collect::<Option<Vec<u8>>>()?
        };
        let monthly_by = MonthlyBy::parse(parts.next()?)?;
        let end = match parts.next()?.split_once('=')? {
            ("count", n) => End::Count(n.parse().ok()?),
            ("until", d) => End::Until(d.to_owned()),
            _ => return None,
        };
        if parts.next().is_some() {
            return None;
        }
        let rule = Recurrence {
            frequency,
            interval,
            weekdays,
            monthly_by,
            end,
        };
        rule.check().ok().map(|()| rule)
    }
}

/// The meeting form's repetition fields as typed: what the form shows, and what it sends back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecurrenceDraft {
    /// `""` or `"none"` for a single meeting, else a `Frequency::as_str`.
    pub frequency: String,
    /// Empty means 1.
    pub interval: String,
    /// ISO weekdays; any order, repeats ignored. Weekly only.
    pub weekdays: Vec<u8>,
    /// A `MonthlyBy::as_str`; monthly only.
    pub monthly_by: String,
    /// `"count"` or `"until"`.
    pub ends: String,
    pub count: String,
    /// `YYYY-MM-DD`.
    pub until: String,
}

impl RecurrenceDraft {
    /// The rule, `None` for a single meeting, or every field error at once. Checks against the
    /// start date come after, with `Recurrence::validate_with_start`.
    pub fn validate(&self) -> Result<Option<Recurrence>, Invalid> {
        let frequency = match self.frequency.trim() {
            "" | "none" => return Ok(None),
            raw => Frequency::parse(raw),
        };
        let mut errors = Vec::new();
        if frequency.is_none() {
            errors.push(FieldError::new("frequency", FieldCode::InvalidChoice));
        }
        let interval = match self.interval.trim() {
            "" => Some(1),
            raw => raw.parse::<u32>().ok(),
        };
        let interval = interval.filter(|n| (1..=INTERVAL_MAX).contains(n));
        if interval.is_none() {
            errors.push(FieldError::new(
                "interval",
                FieldCode::OutOfRange(1, i64::from(INTERVAL_MAX)),
            ));
        }
        let weekly = frequency == Some(Frequency::Weekly);
        let mut weekdays = if weekly {
            self.weekdays.clone()
        } else {
            Vec::new()
        };
        weekdays.sort_unstable();
        weekdays.dedup();
        let monthly_by = if frequency == Some(Frequency::Monthly) {
            let parsed = MonthlyBy::parse(self.monthly_by.trim());
            if parsed.is_none() {
                errors.push(FieldError::new("monthly_by", FieldCode::InvalidChoice));
            }
            parsed
        } else {
            Some(MonthlyBy::DayOfMonth)
        };
        let end = match self.ends.trim() {
            "count" => Some(End::Count(self.count.trim().parse().unwrap_or(0))),
            "until" => Some(End::Until(self.until.trim().to_owned())),
            _ => {
                errors.push(FieldError::new("ends", FieldCode::InvalidChoice));
                None
            }
        };
        let (Some(frequency), Some(interval), Some(monthly_by), Some(end)) =
            (frequency, interval, monthly_by, end)
        else {
            return Err(Invalid(errors));
        };
        let rule = Recurrence {
            frequency,
            interval,
            weekdays,
            monthly_by,
            end,
        };
        errors.extend(rule.problems());
        Invalid::check(errors).map(|()| Some(rule))
    }
}

/// A calendar date without a zone, enough for the checks above and for forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CivilDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl CivilDate {
    /// A real date in years 1..=9999.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        let real = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        real.then_some(CivilDate { year, month, day })
    }

    /// Strictly `YYYY-MM-DD`, as `<input type="date">` sends it.
    pub fn parse(raw: &str) -> Option<Self> {
        let b = raw.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) {
            return None;
        }
        if !digits(5..7) || !digits(8..10) {
            return None;
        }
        CivilDate::new(
            raw[0..4].parse().ok()?,
            raw[5..7].parse().ok()?,
            raw[8..10].parse().ok()?,
        )
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    pub fn weekday(self) -> u8 {
        // 1970-01-01 was a Thursday (ISO 4).
        let days = days_from_civil(self.year, self.month, self.day);
        (days + 3).rem_euclid(7) as u8 + 1
    }

    /// 1 for the month's first such weekday … 5 for a fifth one.
    pub fn nth_weekday_of_month(self) -> u8 {
        (self.day - 1) / 7 + 1
    }

    /// No later day of the month has the same weekday.
    pub fn is_last_weekday_of_month(self) -> bool {
        self.day + 7 > days_in_month(self.year, self.month)
    }
}

impl fmt::Display for CivilDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests;
