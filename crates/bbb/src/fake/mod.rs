//! A mock BigBlueButton server on loopback. It checks every call the way bbb-web does: the
//! checksum over the raw query (the `checksum` parameter cut out of the bytes, never re-encoded),
//! with the algorithm read from the checksum's length and limited to the allowed ones; it requires
//! the documented parameters and answers with the documented XML shapes and `messageKey`s (`api`,
//! `recordings`). `create` also takes BBB's POST with a presentation module (`slides`). `join`
//! redirects to a tiny client page that shows who joined as what.
//!
//! A back office under `/__mock/` (`backoffice`) lets tests look inside (meetings, calls), make
//! people join and leave, seed recordings, and fire the callbacks the way BBB does (`callbacks`):
//! the end callback, the signed recording-ready POST and the analytics POST with its bearer.

mod api;
mod backoffice;
mod callbacks;
mod recordings;
mod reply;
mod slides;

use std::{
    collections::BTreeMap,
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use crate::checksum::ChecksumAlgo;
use axum::{Router, extract::DefaultBodyLimit, routing::get};
use serde::{Deserialize, Serialize};

/// A person in the meeting (one entry per join: two tabs are two entries, as in BBB).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    pub user_id: String,
    pub full_name: String,
    /// `MODERATOR` or `VIEWER`.
    pub role: String,
}

/// One join or leave, in the order they happened: the analytics callback is built from them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Presence {
    pub user_id: String,
    pub full_name: String,
    pub moderator: bool,
    pub joined: bool,
    pub at_ms: i64,
}

/// A document of the presentation module sent with `create`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    pub filename: String,
    /// Decoded bytes of an inline document; 0 for one given by URL.
    pub size: usize,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Meeting {
    pub id: String,
    pub name: String,
    pub internal_id: String,
    pub create_time: i64,
    pub running: bool,
    pub ended: bool,
    pub ended_at: Option<i64>,
    /// Deprecated by BBB but still answered (older clients join and end with them).
    pub attendee_pw: String,
    pub moderator_pw: String,
    /// Every parameter of `create` (so `meta_*` too), decoded.
    pub params: BTreeMap<String, String>,
    pub attendees: Vec<Attendee>,
    pub presentation: Vec<Document>,
    pub presence: Vec<Presence>,
}

impl Meeting {
    pub fn join(&mut self, attendee: Attendee, at_ms: i64) {
        self.running = true;
        self.presence.push(Presence {
            user_id: attendee.user_id.clone(),
            full_name: attendee.full_name.clone(),
            moderator: attendee.role == "MODERATOR",
            joined: true,
            at_ms,
        });
        self.attendees.push(attendee);
    }

    /// Takes one of the user's entries out; false if they were not in.
    pub fn leave(&mut self, user_id: &str, at_ms: i64) -> bool {
        let Some(i) = self.attendees.iter().position(|a| a.user_id == user_id) else {
            return false;
        };
        let a = self.attendees.remove(i);
        self.presence.push(Presence {
            user_id: a.user_id,
            full_name: a.full_name,
            moderator: a.role == "MODERATOR",
            joined: false,
            at_ms,
        });
        true
    }

    /// What `end` does: everyone leaves and the meeting is over (a later `create` starts anew).
    pub fn end(&mut self, at_ms: i64) {
        let ids: Vec<String> = self.attendees.iter().map(|a| a.user_id.clone()).collect();
        for id in ids {
            self.leave(&id, at_ms);
        }
        self.running = false;
        self.ended = true;
        self.ended_at = Some(at_ms);
    }

    pub fn meta(&self, key: &str) -> Option<&str> {
        self.params
            .get(&format!("meta_{key}"))
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

/// A playback format of a recording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaybackFormat {
    /// `presentation`, `video`, `podcast`…
    #[serde(rename = "type")]
    pub kind: String,
    pub url: String,
    #[serde(default)]
    pub length_minutes: u32,
    /// Thumbnail image URLs.
    #[serde(default)]
    pub previews: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Recording {
    /// Empty when seeding: the meeting's internal id is used, as BBB does.
    pub record_id: String,
    pub meeting_id: String,
    /// Empty when seeding: the meeting's name.
    pub name: String,
    pub published: bool,
    pub deleted: bool,
    pub meta: BTreeMap<String, String>,
    /// `processing` or `processed` (no playback yet); otherwise it follows `published`.
    pub state: String,
    pub start_time: i64,
    pub end_time: i64,
    pub participants: u32,
    /// Empty for a published recording: one `presentation` format is answered.
    pub playback: Vec<PlaybackFormat>,
    /// Scalelite's `protect`.
    pub protected: bool,
}

impl Default for Recording {
    fn default() -> Self {
        Self {
            record_id: String::new(),
            meeting_id: String::new(),
            name: String::new(),
            published: true,
            deleted: false,
            meta: BTreeMap::new(),
            state: String::new(),
            start_time: 1_700_000_000_000,
            end_time: 1_700_003_600_000,
            participants: 2,
            playback: Vec::new(),
            protected: false,
        }
    }
}

impl Recording {
    /// The state getRecordings reports and filters on.
    pub fn state(&self) -> &str {
        match self.state.as_str() {
            _ if self.deleted => "deleted",
            s @ ("processing" | "processed") => s,
            _ if self.published => "published",
            _ => "unpublished",
        }
    }
}

/// One call as the mock saw it: name, decoded parameters, and whether the checksum held.
#[derive(Debug, Clone, Serialize)]
pub struct Call {
    pub call: String,
    pub method: String,
    pub params: BTreeMap<String, String>,
    pub checksum_ok: bool,
}

#[derive(Default)]
pub struct MockState {
    pub meetings: BTreeMap<String, Meeting>,
    pub recordings: Vec<Recording>,
    pub calls: Vec<Call>,
    /// The next N calls answer HTTP 503 (to test retries).
    pub fail_next: u32,
    counter: i64,
}

#[derive(Clone)]
pub struct MockBbb {
    pub secret: String,
    pub allowed: Vec<ChecksumAlgo>,
    pub state: Arc<Mutex<MockState>>,
    http: reqwest::Client,
}

/// BBB's own limit (`maxFileSizeUpload`) is 30 MB; base64 adds a third.
const MAX_BODY: usize = 48 * 1024 * 1024;

impl MockBbb {
    pub fn new(secret: &str, allowed: &[ChecksumAlgo]) -> Self {
        Self {
            secret: secret.to_owned(),
            allowed: allowed.to_vec(),
            state: Arc::default(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap_or_default(),
        }
    }

    pub fn router(self) -> Router {
        Router::new()
            .route("/bigbluebutton/api", get(api::version))
            .route("/bigbluebutton/api/", get(api::version))
            .route("/bigbluebutton/api/{call}", get(api::api).post(api::api))
            .route("/bigbluebutton/client", get(api::client_page))
            .merge(backoffice::routes())
            .layer(DefaultBodyLimit::max(MAX_BODY))
            .with_state(self)
    }

    /// Serves on `addr` (port 0 for any) and returns the bound address.
    pub async fn spawn(self, addr: SocketAddr) -> std::io::Result<SocketAddr> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let bound = listener.local_addr()?;
        let router = self.router();
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Ok(bound)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, MockState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Now, in Unix milliseconds.
fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
