//! Meetings outside courses (Esup-Pod-like, on BigBlueButton): each user's personal room, meetings
//! users create with co-owners, access rules, recurrence, invitations and calendar feeds.

pub mod access;
pub mod api;
pub mod form_parts;
pub mod form_view;
pub mod invite_api;
pub mod invite_dto;
pub mod invite_texts;
pub mod invite_view;
pub mod join_view;
pub mod list_view;
pub mod model;
pub mod panels;
pub mod rule;
pub mod texts;

pub use api::*;
pub use invite_api::*;

/// The calendar writer is its own crate; `meetings::ics` keeps the path the meeting code uses.
#[cfg(feature = "ssr")]
pub use ::ics;
#[cfg(feature = "ssr")]
pub mod invite;
#[cfg(feature = "ssr")]
pub use ::ics::occurrences;
#[cfg(feature = "ssr")]
mod service;
#[cfg(feature = "ssr")]
pub mod ssr;
