//! What the attendance server functions send to the browser: already formatted for the viewer
//! (their time zone, whole minutes), so the browser needs no time-zone database.

use serde::{Deserialize, Serialize};

use super::{beat::Beat, model::Bar};

/// Issued when a tab joins the conference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenedSession {
    pub token: String,
    /// How often to send a heartbeat.
    pub heartbeat_ms: i64,
}

/// The body of `POST /attendance/beat` (JSON). `b` holds every beat not yet acknowledged, oldest
/// first; `close` ends the session after applying them (the page sends it with `sendBeacon`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BeatRequest {
    pub t: String,
    #[serde(default)]
    pub b: Vec<Beat>,
    #[serde(default)]
    pub close: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BeatReply {
    pub accepted: u32,
    pub ignored: u32,
    /// False once the session is closed: the page stops beating.
    pub open: bool,
}

/// One person in an activity report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParticipantRow {
    pub user_id: i32,
    pub name: String,
    pub email: String,
    pub minutes: i64,
    /// Of `minutes`, those credited from heartbeats the browser held back while offline.
    pub buffered_minutes: i64,
    pub completed: bool,
    pub completed_at: Option<String>,
    pub first_join: Option<String>,
    pub last_leave: Option<String>,
    pub sessions: u32,
    /// Where this person's time falls on the report's timeline.
    pub bars: Vec<Bar>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayRow {
    /// `YYYY-MM-DD` in the viewer's zone.
    pub day: String,
    pub people: u32,
    pub minutes: i64,
}

/// A labelled tick on the timeline, at a fraction of its width.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tick {
    pub x: f32,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityReport {
    pub activity_id: i32,
    pub activity_name: String,
    pub course_id: i32,
    pub course_name: String,
    pub completion_minutes: Option<i64>,
    /// The filter in force, as `YYYY-MM-DD` (filled with the defaults when none was given).
    pub from: String,
    pub to: String,
    pub time_zone: String,
    /// True when the caller may only see their own attendance.
    pub own_only: bool,
    pub can_see_presence: bool,
    pub rows: Vec<ParticipantRow>,
    pub days: Vec<DayRow>,
    pub ticks: Vec<Tick>,
    pub total_minutes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntervalRow {
    pub session: i32,
    pub start: String,
    pub end: String,
    pub minutes: i64,
    /// Still being extended by heartbeats.
    pub live: bool,
    /// Credited from heartbeats held back while offline.
    pub buffered: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonReport {
    pub activity_id: i32,
    pub activity_name: String,
    pub course_id: i32,
    pub user_id: i32,
    pub name: String,
    pub minutes: i64,
    pub completion_minutes: Option<i64>,
    pub completed_at: Option<String>,
    pub time_zone: String,
    pub intervals: Vec<IntervalRow>,
    pub days: Vec<DayRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseActivity {
    pub id: i32,
    pub name: String,
    pub opens: String,
    pub completion_minutes: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    pub minutes: i64,
    pub completed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseRow {
    pub user_id: i32,
    pub name: String,
    /// One per activity, in `CourseReport::activities` order.
    pub cells: Vec<Cell>,
    pub total_minutes: i64,
    pub completed: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseReport {
    pub course_id: i32,
    pub course_name: String,
    pub own_only: bool,
    pub activities: Vec<CourseActivity>,
    pub rows: Vec<CourseRow>,
    /// Minutes per activity over everyone shown.
    pub totals: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresentPerson {
    pub user_id: i32,
    pub name: String,
    /// Local time the current stretch began.
    pub since: String,
    /// Open tabs or devices.
    pub tabs: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Presence {
    pub people: Vec<PresentPerson>,
    /// Local time of this reading.
    pub as_of: String,
}

/// One person's standing in one activity: what the course page, the dashboard and other features
/// (grades, certificates) read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Completion {
    pub activity_id: i32,
    pub minutes: i64,
    pub threshold_minutes: Option<i64>,
    /// Unix milliseconds the threshold was reached.
    pub completed_at_ms: Option<i64>,
}

impl Completion {
    pub fn completed(&self) -> bool {
        self.completed_at_ms.is_some()
    }
}

/// What the join page shows about this tab's attendance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TrackerStatus {
    Starting,
    /// Counting; `acked` is the last heartbeat the server confirmed.
    Counting {
        acked: i64,
    },
    /// Heartbeats are waiting for the network.
    Offline {
        pending: usize,
    },
    /// The server will not count this session any more (closed activity, signed out...).
    Stopped,
    /// The session could not be opened; the meeting still works.
    Failed,
}
