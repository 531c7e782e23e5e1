//! Aula's domain types that the browser and the server share: pure, no I/O, browser-safe.
//!
//! Enums stored in the database derive sea-orm's `DeriveActiveEnum` when the `sea-orm` feature is
//! on (the `db` crate turns it on), so an entity's column *is* the enum: a row holding a value
//! the code does not know fails to load with an error, instead of being read as some default.

pub mod activities;
pub mod attendance;
pub mod capabilities;
pub mod field;
pub mod form;
pub mod meetings;
pub mod recurrence;
pub mod servers;

pub use capabilities::{Capability, CourseRole};
pub use field::{FieldCode, FieldError, Invalid};
pub use meetings::{Access, GuestPolicy};
pub use servers::{ModerationRule, ServerKind};
