//! Who may do what: mod_jitsi's web-conference capabilities, their role defaults, and per-activity
//! overrides. `resolve` is the single decision point; every server function calls it through
//! `CapabilityChecker` (ssr) and nothing else decides access.

pub mod model;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use model::*;
