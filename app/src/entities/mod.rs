//! sea-orm entities (server only). Hand-written to match `migrations/`; instants are Unix seconds.

pub mod activity;
pub mod attendance_interval;
pub mod attendance_session;
pub mod attendance_summary;
pub mod audit_log;
pub mod capability_override;
pub mod course;
pub mod enrolment;
pub mod guest_link;
pub mod guest_use;
pub mod jitsi_server;
pub mod job_lease;
pub mod moderation_log;
pub mod oauth_flow;
pub mod recording;
pub mod recording_lock;
pub mod session;
pub mod setting;
pub mod user;
pub mod youtube_account;
