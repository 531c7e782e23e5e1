//! Writes sample `.ics` files of meeting series, each with a `.json` of the occurrences Aula
//! computes for it, into the directory given as argument. `server/tests/support/ics_check.sh`
//! parses them with Python's `icalendar` and expands their RRULEs with `dateutil` to prove that
//! calendar clients show the same sessions as Aula:
//! `cargo run -p server --example ics_sample -- <dir>`.

use std::{collections::BTreeMap, path::Path};

use anyhow::{Context, bail};
use app::meetings::{
    ics::{IcsEvent, Method, calendar},
    occurrences::{occurrences, validate_series},
    rule::{End, Frequency, MonthlyBy, Recurrence},
};
use serde_json::json;

fn main() -> anyhow::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .context("usage: ics_sample <output dir>")?;
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir)?;
    for (name, method, events) in samples()? {
        let ics = calendar(name, method, &events);
        let mut expected = BTreeMap::new();
        for e in &events {
            expected.insert(
                e.uid.clone(),
                json!({
                    "occurrences": occurrences(e.start, &e.tz, e.rule.as_ref(), usize::MAX),
                    "duration": e.duration_secs,
                    "summary": e.summary,
                    "description": e.description,
                    "tz": e.tz,
                    "attendees": e.attendees.len(),
                }),
            );
        }
        std::fs::write(dir.join(format!("{name}.ics")), ics)?;
        let json = json!({ "method": method.map(|m| format!("{m:?}")), "events": expected });
        std::fs::write(
            dir.join(format!("{name}.json")),
            serde_json::to_vec_pretty(&json)?,
        )?;
    }
    course_calendar_sample(dir)?;
    println!("sample calendars written to {}", dir.display());
    Ok(())
}

/// A course's calendar (`/courses/{id}/calendar.ics`) whose activity names hold every line-break
/// form, each followed by what would be a property of its own if the break went through: the
/// check reads the names back whole and finds no property Aula did not write.
fn course_calendar_sample(dir: &Path) -> anyhow::Result<()> {
    let course = app::entities::course::Model {
        id: 1,
        name: "Physics\rX-WR-CALNAME:Hijacked".into(),
        short_name: "P".into(),
        description: String::new(),
        created_at: 0,
    };
    let names = [
        "Lone CR\rATTENDEE:mailto:evil@x.example",
        "Two CRs\r\rLOCATION:Evil street",
        "Lone LF\nATTENDEE:mailto:evil@x.example",
        "CRLF\r\nATTENDEE:mailto:evil@x.example",
        "LF CR\n\rX-INJECTED:1",
        "Separators\u{2028}X-INJECTED:2\u{2029}X-INJECTED:3\u{85}X-INJECTED:4",
    ];
    let activities: Vec<_> = names
        .iter()
        .enumerate()
        .map(|(i, name)| app::entities::activity::Model {
            id: i as i32 + 1,
            course_id: 1,
            name: (*name).into(),
            description: format!("Bring notes.\rDTSTART:19700101T000000Z {i}"),
            opens_at: 1_795_525_200 + i as i64 * 86_400,
            closes_at: 1_795_528_800 + i as i64 * 86_400,
            early_entry_minutes: 0,
            completion_minutes: None,
            server_id: 1,
            room_name: format!("r{i}"),
            created_at: 0,
            updated_at: 1_767_225_600,
            share_code: None,
            room_source_id: None,
        })
        .collect();
    let public = "https://aula.example.edu";
    let ics = app::courses::calendar::course_calendar(&course, &activities, public);
    let mut expected = BTreeMap::new();
    for a in &activities {
        expected.insert(
            format!("activity-{}@aula.example.edu", a.id),
            json!({
                "occurrences": [a.opens_at],
                "duration": a.closes_at - a.opens_at,
                "summary": as_read(&a.name),
                "description": as_read(&format!("{}\n\n{public}/activities/{}", a.description, a.id)),
                "tz": "UTC",
                "attendees": 0,
            }),
        );
    }
    std::fs::write(dir.join("course-line-breaks.ics"), ics)?;
    let json =
        json!({ "method": null, "calendar_name": as_read(&course.name), "events": expected });
    std::fs::write(
        dir.join("course-line-breaks.json"),
        serde_json::to_vec_pretty(&json)?,
    )?;
    Ok(())
}

/// A text as a calendar reads it back: each line break (a CRLF counting once) is one `\n`.
fn as_read(text: &str) -> String {
    text.replace("\r\n", "\n").replace(
        ['\r', '\u{0B}', '\u{0C}', '\u{85}', '\u{2028}', '\u{2029}'],
        "\n",
    )
}

type Sample = (&'static str, Option<Method>, Vec<IcsEvent>);

fn samples() -> anyhow::Result<Vec<Sample>> {
    let paris = "Europe/Paris";
    let ny = "America/New_York";
    let mut invitation = event(
        "weekly-1",
        "2026-01-05T09:00",
        paris,
        Some(weekly(2, &[1, 3], until("2026-12-16"))),
    )?;
    invitation.organizer = Some(("Díaz, Ana".into(), "ana@school.example".into()));
    invitation.attendees = vec!["bo@school.example".into(), "zoe@school.example".into()];
    invitation.alarm_minutes = Some(10);
    invitation.description =
        "Zoë's «séance»; bring notes, slides and questions.\nJoin: https://aula.example.edu/meetings/1\n"
            .repeat(3);
    let mut cancelled = invitation.clone();
    cancelled.sequence = 1;
    Ok(vec![
        ("invitation-paris", Some(Method::Request), vec![invitation]),
        ("cancel-paris", Some(Method::Cancel), vec![cancelled]),
        (
            "pod-vectors",
            None,
            vec![
                event(
                    "pod-daily",
                    "2022-07-07T10:00",
                    paris,
                    Some(daily(1, until("2022-08-02"))),
                )?,
                event(
                    "pod-daily-3",
                    "2022-07-07T10:00",
                    paris,
                    Some(daily(3, until("2022-08-02"))),
                )?,
                event(
                    "pod-weekly",
                    "2022-07-07T10:00",
                    paris,
                    Some(weekly(1, &[2, 4, 6], until("2022-08-02"))),
                )?,
                event(
                    "pod-weekly-3",
                    "2022-07-07T10:00",
                    paris,
                    Some(weekly(3, &[2, 4, 6], until("2022-08-02"))),
                )?,
                event(
                    "pod-monthly-nth",
                    "2022-10-21T10:00",
                    paris,
                    Some(monthly(1, MonthlyBy::NthWeekday, End::Count(12))),
                )?,
            ],
        ),
        (
            "monthly",
            None,
            vec![
                event(
                    "on-the-31st",
                    "2026-01-31T18:00",
                    paris,
                    Some(monthly(1, MonthlyBy::DayOfMonth, End::Count(12))),
                )?,
                event(
                    "third-friday",
                    "2026-01-16T18:00",
                    paris,
                    Some(monthly(1, MonthlyBy::NthWeekday, until("2027-12-31"))),
                )?,
                event(
                    "last-friday",
                    "2026-01-30T18:00",
                    paris,
                    Some(monthly(2, MonthlyBy::LastWeekday, End::Count(10))),
                )?,
                event(
                    "leap-day",
                    "2024-02-29T12:00",
                    paris,
                    Some(monthly(12, MonthlyBy::DayOfMonth, End::Count(3))),
                )?,
            ],
        ),
        (
            "daylight-saving",
            None,
            vec![
                event(
                    "ny-gap",
                    "2026-03-06T02:30",
                    ny,
                    Some(daily(1, End::Count(5))),
                )?,
                event(
                    "ny-fold",
                    "2026-10-30T01:30",
                    ny,
                    Some(daily(1, End::Count(4))),
                )?,
                event(
                    "paris-gap",
                    "2026-03-27T02:30",
                    paris,
                    Some(daily(1, until("2026-03-31"))),
                )?,
                event(
                    "la-evening",
                    "2026-01-08T20:00",
                    "America/Los_Angeles",
                    Some(daily(1, until("2026-01-10"))),
                )?,
                event(
                    "sydney",
                    "2026-03-30T09:00",
                    "Australia/Sydney",
                    Some(weekly(1, &[1], End::Count(30))),
                )?,
                event(
                    "ny-rule-change",
                    "2006-01-02T09:00",
                    ny,
                    Some(weekly(1, &[1], End::Count(160))),
                )?,
                event(
                    "sao-paulo-abolished",
                    "2017-06-05T09:00",
                    "America/Sao_Paulo",
                    Some(weekly(1, &[1], End::Count(150))),
                )?,
            ],
        ),
        (
            "fixed-zones",
            None,
            vec![
                event(
                    "tokyo",
                    "2026-01-05T09:00",
                    "Asia/Tokyo",
                    Some(weekly(1, &[1, 5], End::Count(20))),
                )?,
                event(
                    "kolkata",
                    "2026-01-05T09:00",
                    "Asia/Kolkata",
                    Some(daily(7, End::Count(10))),
                )?,
                event(
                    "utc",
                    "2026-01-05T09:00",
                    "UTC",
                    Some(daily(1, until("2026-01-20"))),
                )?,
                event(
                    "unknown-zone",
                    "2026-01-05T09:00",
                    "Mars/Olympus",
                    Some(daily(2, End::Count(5))),
                )?,
            ],
        ),
        (
            "feed",
            None,
            vec![
                event("single-1", "2026-11-24T14:00", "Europe/Madrid", None)?,
                event("single-2", "2026-03-29T02:30", paris, None)?,
                event(
                    "series-in-feed",
                    "2026-01-05T09:00",
                    paris,
                    Some(weekly(1, &[1], End::Count(52))),
                )?,
            ],
        ),
    ])
}

fn event(uid: &str, start: &str, tz: &str, rule: Option<Recurrence>) -> anyhow::Result<IcsEvent> {
    let start = app::tz::parse_input(start, tz).context("start")?;
    if let Some(rule) = &rule
        && let Err(e) = validate_series(start, tz, rule)
    {
        bail!("sample {uid} is not a valid series: {e:?}");
    }
    Ok(IcsEvent {
        uid: format!("{uid}@aula.example.edu"),
        summary: format!("Meeting {uid}, with a comma; and a semicolon"),
        description: format!("Join: https://aula.example.edu/meetings/{uid}"),
        url: format!("https://aula.example.edu/meetings/{uid}"),
        start,
        duration_secs: 5400,
        tz: tz.into(),
        rule,
        stamp: 1_767_225_600,
        ..Default::default()
    })
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

fn daily(interval: u32, end: End) -> Recurrence {
    rule(Frequency::Daily, interval, &[], MonthlyBy::DayOfMonth, end)
}

fn weekly(interval: u32, days: &[u8], end: End) -> Recurrence {
    rule(
        Frequency::Weekly,
        interval,
        days,
        MonthlyBy::DayOfMonth,
        end,
    )
}

fn monthly(interval: u32, by: MonthlyBy, end: End) -> Recurrence {
    rule(Frequency::Monthly, interval, &[], by, end)
}

fn until(date: &str) -> End {
    End::Until(date.into())
}
