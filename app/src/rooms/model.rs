//! Browser-safe types of the admins' live view across BigBlueButton servers.

use serde::{Deserialize, Serialize};

use crate::error::ExternalFailure;

/// One BBB server's running meetings, or why it could not be asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveServer {
    pub id: i32,
    pub name: String,
    pub error: Option<ExternalFailure>,
    pub meetings: Vec<LiveMeeting>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveMeeting {
    pub meeting_id: String,
    pub name: String,
    /// What it is in Aula: an activity or a meeting page (`None`: not created by this Aula).
    pub aula_link: Option<String>,
    pub running: bool,
    pub participants: i64,
    pub moderators: i64,
    /// "2026-12-01 14:03" in the admin's zone.
    pub started: String,
    /// Display names of the people in it.
    pub attendees: Vec<String>,
}

/// Whose BigBlueButton room a page is about: a course activity or a meeting. Travels as
/// `activity-12` / `meeting-5` (form fields and server-function arguments), parsed on arrival.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum RoomRef {
    Activity(i32),
    Meeting(i32),
}

impl std::fmt::Display for RoomRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RoomRef::Activity(id) => write!(f, "activity-{id}"),
            RoomRef::Meeting(id) => write!(f, "meeting-{id}"),
        }
    }
}

impl TryFrom<String> for RoomRef {
    type Error = String;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        raw.parse()
    }
}

impl std::str::FromStr for RoomRef {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let bad = || format!("not a room: {raw:?}");
        let (kind, id) = raw.trim().split_once('-').ok_or_else(bad)?;
        let id: i32 = id.parse().ok().filter(|n| *n > 0).ok_or_else(bad)?;
        match kind {
            "activity" => Ok(RoomRef::Activity(id)),
            "meeting" => Ok(RoomRef::Meeting(id)),
            _ => Err(bad()),
        }
    }
}

impl From<RoomRef> for String {
    fn from(r: RoomRef) -> Self {
        r.to_string()
    }
}

/// The recordings of one room, as the caller may see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BbbRecordingsPage {
    pub owner: RoomRef,
    /// False when the activity has never met on BigBlueButton: the list is not shown at all.
    pub bbb: bool,
    /// The activity's or meeting's name.
    pub title: String,
    /// BBB said a recording was made and has not announced it ready yet.
    pub processing: bool,
    /// Publish/unpublish and protect/unprotect (`hide`, or a meeting's owners).
    pub can_publish: bool,
    pub can_rename: bool,
    pub can_delete: bool,
    /// May read the room's session log (`viewattendance`; a meeting's owners).
    pub can_see_sessions: bool,
    /// Newest first.
    pub recordings: Vec<BbbRecordingRow>,
    /// The BBB server could not be asked: the list is empty for that reason, not for lack of
    /// recordings.
    pub error: Option<ExternalFailure>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BbbRecordingRow {
    pub record_id: String,
    /// The name set in Aula (`meta_name` on BBB), else BBB's own.
    pub name: String,
    /// When it started, in the viewer's zone ("2026-12-01 14:03").
    pub date: String,
    /// The playback length in minutes.
    pub minutes: i64,
    pub published: bool,
    pub protected: bool,
    pub previews: Vec<PreviewImage>,
    /// One per playback format (presentation, video…).
    pub links: Vec<PlaybackLink>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewImage {
    pub url: String,
    /// BBB's alt text (often the slide's text); empty when it gave none.
    pub alt: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaybackLink {
    /// BBB's format type: `presentation`, `video`, `podcast`, `screenshare`, …
    pub kind: String,
    pub url: String,
}

/// The sessions BBB reported (analytics callback) for one room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionLogPage {
    /// False when the activity has never met on BigBlueButton: nothing is shown.
    pub bbb: bool,
    /// Newest first.
    pub sessions: Vec<SessionRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRow {
    /// Start and end in the viewer's zone.
    pub started: String,
    pub finished: String,
    pub minutes: i64,
    pub attendees: Vec<SessionAttendeeRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionAttendeeRow {
    pub name: String,
    pub guest: bool,
    /// Minutes present (several tabs count once).
    pub minutes: i64,
    pub talk_secs: i64,
    pub chats: i32,
    pub raise_hands: i32,
    pub moderator: bool,
}

#[cfg(test)]
mod room_ref_tests {
    use super::RoomRef;

    #[test]
    fn a_room_reference_round_trips_through_its_text_form() {
        for r in [RoomRef::Activity(12), RoomRef::Meeting(5)] {
            assert_eq!(r.to_string().parse::<RoomRef>(), Ok(r));
        }
        assert_eq!("activity-12".parse(), Ok(RoomRef::Activity(12)));
    }

    #[test]
    fn anything_else_is_not_a_room_reference() {
        for bad in [
            "",
            "activity",
            "activity-",
            "activity-x",
            "course-3",
            "meeting--1",
            "meeting-0",
        ] {
            assert!(bad.parse::<RoomRef>().is_err(), "{bad}");
        }
    }
}
