//! Guest links: people without an account join one activity through a teacher's link.

pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod view;

pub use api::*;
