//! HTTP endpoints that are not server functions: health, calendar files, avatar upload/serving,
//! attendance heartbeats and exports, meeting slides, and Google's OAuth callback.

pub mod attendance;
pub mod avatar;
pub mod bbb;
pub mod calendar;
pub mod feed;
pub mod health;
pub mod recording;
pub mod slides;
