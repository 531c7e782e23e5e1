//! The signed-in user's own profile: name, e-mail, avatar, language, time zone, password.

pub mod api;
pub mod view;

pub use api::*;
