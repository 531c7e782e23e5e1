//! Accounts: login, logout, sessions, the signed-in user.

pub mod api;
#[cfg(feature = "ssr")]
pub mod guard;
pub mod model;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod view;

pub use api::*;
pub use model::*;
