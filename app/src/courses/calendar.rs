//! RFC 5545 calendar of a course's sessions (server only).

use icalendar::{Calendar, Component, Event, EventLike};

use crate::entities::{activity, course};

pub fn course_calendar(
    course: &course::Model,
    activities: &[activity::Model],
    public_url: &str,
) -> String {
    let host = public_url
        .split("://")
        .nth(1)
        .unwrap_or("aula")
        .trim_end_matches('/');
    let mut cal = Calendar::new();
    cal.name(&course.name);
    for a in activities {
        let (Some(start), Some(end)) = (
            chrono::DateTime::<chrono::Utc>::from_timestamp(a.opens_at, 0),
            chrono::DateTime::<chrono::Utc>::from_timestamp(a.closes_at, 0),
        ) else {
            continue;
        };
        let stamp =
            chrono::DateTime::<chrono::Utc>::from_timestamp(a.updated_at, 0).unwrap_or(start);
        let url = format!("{public_url}/activities/{}", a.id);
        let mut description = a.description.clone();
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str(&url);
        cal.push(
            Event::new()
                .uid(&format!("activity-{}@{host}", a.id))
                .timestamp(stamp)
                .summary(&a.name)
                .description(&description)
                .url(&url)
                .starts(start)
                .ends(end)
                .done(),
        );
    }
    cal.done().to_string()
}

/// One session as an e-mail invitation: the event links to `join_url` (a guest link).
pub fn invitation(
    a: &activity::Model,
    course: &course::Model,
    join_url: &str,
    host: &str,
) -> String {
    let mut cal = Calendar::new();
    cal.name(&course.name);
    if let (Some(start), Some(end)) = (
        chrono::DateTime::<chrono::Utc>::from_timestamp(a.opens_at, 0),
        chrono::DateTime::<chrono::Utc>::from_timestamp(a.closes_at, 0),
    ) {
        let mut description = a.description.clone();
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str(join_url);
        cal.push(
            Event::new()
                .uid(&format!("activity-{}@{host}", a.id))
                .timestamp(chrono::Utc::now())
                .summary(&a.name)
                .description(&description)
                .url(join_url)
                .starts(start)
                .ends(end)
                .done(),
        );
    }
    cal.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_session_becomes_a_utc_event_with_a_stable_uid_and_link() {
        let course = course::Model {
            id: 1,
            name: "Physics, 101".into(),
            short_name: "P".into(),
            description: String::new(),
            created_at: 0,
        };
        let a = activity::Model {
            id: 7,
            course_id: 1,
            name: "Lecture; week 1".into(),
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
        };
        let ics = course_calendar(&course, &[a], "https://aula.example.edu");
        assert!(ics.starts_with("BEGIN:VCALENDAR"));
        assert!(ics.contains("UID:activity-7@aula.example.edu"));
        assert!(ics.contains("DTSTART:20261124T130000Z"));
        assert!(ics.contains("DTEND:20261124T140000Z"));
        assert!(ics.contains("SUMMARY:Lecture\\; week 1"));
        assert!(ics.contains("URL:https://aula.example.edu/activities/7"));
    }
}
