//! What BigBlueButton sends back to Aula, verified and typed (pure: no I/O, no clock).
//!
//! - **Recording ready** (`meta_bbb-recording-ready-url`): a form POST whose one field,
//!   `signed_parameters`, is a JWT signed with the server's shared secret — HS256 from BBB, HS512
//!   from Scalelite when it allows only SHA-512 — carrying `{meeting_id, record_id}` and no `exp`.
//!   Aula may have several BBB servers, each with its own secret, so the route first reads the
//!   *unverified* `meeting_id` ([`peek_meeting_id`]) to find the server, then verifies with that
//!   server's secret ([`verify_recording_ready`]).
//! - **Analytics** (`meta_analytics-callback-url`): a JSON POST built by the `bbbevents` gem, with
//!   `Authorization: Bearer <HS512 JWT {exp: now + 24 h}>` ([`verify_analytics_bearer`]); the
//!   body becomes an [`AnalyticsReport`] ([`parse_analytics`]) whose joins and leaves pair up into
//!   presence intervals ([`presence_intervals`]).
//!
//! `meta_endCallbackUrl` is an unsigned GET: there is nothing to verify, so it has no code here.

mod analytics;
mod signed;
mod stamp;

pub use analytics::{AnalyticsAttendee, AnalyticsReport, parse_analytics, presence_intervals};
pub use signed::{
    RecordingReady, peek_meeting_id, verify_analytics_bearer, verify_recording_ready,
};

/// Why a callback was refused. Messages never carry a secret or a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallbackError {
    /// Not signed with this server's secret, or with an algorithm BBB does not use (`none`, RS*…).
    #[error("the callback's signature does not verify")]
    BadSignature,
    /// A bearer token past its `exp`.
    #[error("the callback's token has expired")]
    Expired,
    /// Not a JWT, no `Bearer` token, a payload or body missing what BBB always sends.
    #[error("malformed callback: {0}")]
    Malformed(String),
}
