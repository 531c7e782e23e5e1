//! Attendance arithmetic lives in `domain::attendance` (browser-safe, no I/O); this module keeps
//! the path the attendance code has always used.

pub use domain::attendance::*;
