//! Site administration: user accounts.

pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod view;

pub use api::*;
pub use model::*;
