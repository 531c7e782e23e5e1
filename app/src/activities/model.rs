//! An activity's window, phases, form checks and room names live in `domain::activities`
//! (browser-safe, no I/O); this module keeps the path the activity code has always used.

pub use domain::activities::*;
