//! Attendance: the join page opens a session when the browser reports the conference joined and
//! sends heartbeats while it stays; the server credits only time it saw pass, stores intervals,
//! and reports minutes, completion, per-day totals, a timeline and live presence.

pub mod api;
pub mod beat;
pub mod dto;
pub mod model;

#[cfg(feature = "hydrate")]
pub mod client;
#[cfg(feature = "ssr")]
pub mod course;
#[cfg(feature = "ssr")]
pub mod error;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod hub;
#[cfg(feature = "ssr")]
pub mod presence;
#[cfg(feature = "ssr")]
pub mod reports;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod token;

pub mod chart;
pub mod view;

pub use api::*;
