//! BigBlueButton rooms: the BBB meetings Aula runs for course activities and for meetings outside
//! courses. One row per owner with a random, immutable `meetingID` (never derived from a name, so
//! renaming cannot orphan recordings), started on demand with Aula's callback URLs, and kept as a
//! tombstone when its owner is deleted so a late callback can be answered `410 Gone`. Admins see
//! the meetings running on every BBB server (`live`) and can end one.
//!
//! BBB's callbacks (`callbacks`) tell owners a recording is ready and feed the session log and
//! attendance; the recordings (`recordings*`, live from BBB) and the session log (`log_*`) are
//! shown in an activity's recordings tab and attendance report, and on a meeting's page.

pub mod api;
pub mod live_view;
pub mod log_api;
pub mod log_view;
pub mod model;
pub mod recordings_api;
pub mod recordings_view;
pub mod texts;

#[cfg(feature = "ssr")]
pub mod callbacks;
#[cfg(feature = "ssr")]
pub mod live;
#[cfg(feature = "ssr")]
pub mod playback;
#[cfg(feature = "ssr")]
pub mod powers;
#[cfg(feature = "ssr")]
pub mod recordings;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use api::*;
pub use log_api::*;
pub use recordings_api::*;
