//! Jitsi activities: scheduling, the join page, and the browser side of the IFrame API.

pub mod api;
#[cfg(feature = "ssr")]
pub mod bbb;
pub mod dto;
pub mod form_view;
#[cfg(feature = "hydrate")]
pub mod jitsi;
pub mod join_view;
pub mod model;
#[cfg(feature = "ssr")]
pub(crate) mod service;
pub mod share;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use api::*;
