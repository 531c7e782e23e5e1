//! HTTP endpoints that are not server functions: health, calendar files, avatar upload/serving,
//! attendance heartbeats and exports, and Google's OAuth callback.

pub mod attendance;
pub mod avatar;
pub mod calendar;
pub mod health;
pub mod recording;
