//! Courses, enrolments (including CSV import) and the dashboard.

pub mod api;
#[cfg(feature = "ssr")]
pub mod calendar;
#[cfg(feature = "ssr")]
pub mod csv_import;
pub mod model;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod view;

pub use api::*;
pub use model::*;
