//! RFC 5545 calendars of a course's sessions (server only): the course's `.ics` download and the
//! file attached to a guest's e-mail invitation. Both go through the one `.ics` writer
//! (`meetings::ics`), so every text value gets the same escaping of every line-break form.

use crate::{
    entities::{activity, course},
    meetings::ics::{IcsEvent, Method, calendar},
};

/// One session as an event in UTC, linking to `url`.
fn session(a: &activity::Model, url: &str, host: &str, stamp: i64) -> IcsEvent {
    let mut description = a.description.clone();
    if !description.is_empty() {
        description.push_str("\n\n");
    }
    description.push_str(url);
    IcsEvent {
        uid: format!("activity-{}@{host}", a.id),
        summary: a.name.clone(),
        description,
        url: url.to_owned(),
        start: a.opens_at,
        duration_secs: (a.closes_at - a.opens_at).max(0),
        tz: "UTC".into(),
        stamp,
        ..Default::default()
    }
}

fn host_of(public_url: &str) -> &str {
    public_url
        .split("://")
        .nth(1)
        .unwrap_or("aula")
        .trim_end_matches('/')
}

pub fn course_calendar(
    course: &course::Model,
    activities: &[activity::Model],
    public_url: &str,
) -> String {
    let host = host_of(public_url);
    let events: Vec<IcsEvent> = activities
        .iter()
        .map(|a| {
            let url = format!("{public_url}/activities/{}", a.id);
            session(a, &url, host, a.updated_at.max(0))
        })
        .collect();
    calendar(&course.name, None, &events)
}

/// One session as an e-mail invitation: the event links to `join_url` (a guest link).
pub fn invitation(
    a: &activity::Model,
    course: &course::Model,
    join_url: &str,
    host: &str,
    now: i64,
) -> String {
    calendar(
        &course.name,
        Some(Method::Publish),
        &[session(a, join_url, host, now)],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course() -> course::Model {
        course::Model {
            id: 1,
            name: "Physics, 101".into(),
            short_name: "P".into(),
            description: String::new(),
            created_at: 0,
        }
    }

    fn lecture(name: &str) -> activity::Model {
        activity::Model {
            id: 7,
            course_id: 1,
            name: name.into(),
            description: String::new(),
            opens_at: 1_795_525_200,
            closes_at: 1_795_528_800,
            early_entry_minutes: 0,
            completion_minutes: None,
            server_id: 1,
            room_name: "r".into(),
            created_at: 0,
            updated_at: 0,
            share_code: None,
            room_source_id: None,
        }
    }

    #[test]
    fn each_session_becomes_a_utc_event_with_a_stable_uid_and_link() {
        let ics = course_calendar(
            &course(),
            &[lecture("Lecture; week 1")],
            "https://aula.example.edu",
        );
        assert!(ics.starts_with("BEGIN:VCALENDAR"));
        assert!(ics.contains("UID:activity-7@aula.example.edu"));
        assert!(ics.contains("DTSTART:20261124T130000Z"));
        assert!(ics.contains("DURATION:PT1H"));
        assert!(ics.contains("SUMMARY:Lecture\\; week 1"));
        assert!(ics.contains("URL:https://aula.example.edu/activities/7"));
    }

    #[test]
    fn no_line_break_in_a_name_can_start_a_property_of_its_own() {
        // Lone CRs, lone LFs, CRLFs and the Unicode separators: each is one escaped `\n` or
        // plain text, and no line of the file begins with what followed it.
        for name in [
            "Lecture\rATTENDEE:mailto:evil@x.example",
            "Lecture\nATTENDEE:mailto:evil@x.example",
            "Lecture\r\nATTENDEE:mailto:evil@x.example",
            "Lecture\r\rATTENDEE:mailto:evil@x.example",
            "Lecture\u{2028}ATTENDEE:mailto:evil@x.example",
            "Lecture\u{85}ATTENDEE:mailto:evil@x.example",
        ] {
            let ics = course_calendar(&course(), &[lecture(name)], "https://aula.example.edu");
            assert!(!ics.replace("\r\n", "").contains(['\r', '\n']), "{name:?}");
            let unfolded = ics.replace("\r\n ", "");
            assert!(
                !unfolded.split("\r\n").any(|l| l.starts_with("ATTENDEE")),
                "{name:?} injected a property:\n{ics}"
            );
        }
    }
}
