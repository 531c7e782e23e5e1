//! Record and stream: YouTube live streaming from the meeting, recordings published in the
//! activity, their lifecycle and retention.

pub mod admin_view;
pub mod api;
#[cfg(feature = "ssr")]
pub mod google;
pub mod model;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod view;

pub use api::*;
