//! A meeting series' recurrence rule lives in `domain::recurrence` (browser-safe, no I/O); this
//! module keeps the path the meeting code has always used.

pub use domain::recurrence::*;
