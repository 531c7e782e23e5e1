//! The teacher's moderator dashboard beside the meeting, and its audit log.

pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
mod service;
pub mod view;

pub use api::*;
