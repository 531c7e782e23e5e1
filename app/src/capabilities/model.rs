//! The capability rules are pure and shared with the browser: they live in `domain`.

pub use domain::capabilities::*;
