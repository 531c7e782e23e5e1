//! Site administration: user accounts.

pub mod api;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod view;

pub use api::*;
