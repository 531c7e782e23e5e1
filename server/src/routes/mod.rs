//! HTTP endpoints that are not server functions: health, calendar files, avatar upload/serving.

pub mod avatar;
pub mod calendar;
pub mod health;
