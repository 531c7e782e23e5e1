//! The signed-in user's own profile: name, e-mail, avatar, language, time zone, password, and the
//! secret calendar feed of their sessions.

pub mod api;
pub mod email;
pub mod feed;
#[cfg(feature = "ssr")]
pub mod feed_calendar;
pub mod feed_view;
pub mod model;
pub mod view;

pub use api::*;
pub use email::*;
pub use model::*;
