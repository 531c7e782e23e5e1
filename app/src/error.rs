//! `AppError`: the one error type that crosses the server-function boundary. Every variant carries
//! only user-safe data; internals are logged on the server with a reference id, never sent.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

// Field errors are domain types: domain rules (recurrence, form numbers) return them without
// knowing about the network; `AppError::Invalid` carries them to the browser.
pub use domain::field::{FieldCode, FieldError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// 401: the caller must log in first.
    #[error("not logged in")]
    Unauthenticated,
    /// 403: logged in, but the capability is missing.
    #[error("forbidden")]
    Forbidden,
    /// 404
    #[error("not found")]
    NotFound,
    /// 422: the input was refused; one entry per field.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// 401 on login: wrong e-mail or password (deliberately not saying which).
    #[error("wrong credentials")]
    BadCredentials,
    /// 403 on login: the account exists but an admin disabled it.
    #[error("account disabled")]
    AccountDisabled,
    /// 409: the action does not fit the current state (e.g. the activity is not open).
    #[error("conflict")]
    Conflict(ConflictReason),
    /// 429
    #[error("too many attempts")]
    RateLimited,
    /// 409: someone else is recording this activity (their display name).
    #[error("recording busy")]
    RecordingBusy(String),
    /// 502: an outside service (YouTube, a meeting server) failed; the reason is user-safe.
    #[error("outside service failed")]
    External(ExternalFailure),
    /// 400: the request could not be decoded (a wrong type, a missing or repeated field, a body
    /// that is not the form it should be). The text says what, for API clients.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// 413: the body is larger than a server function takes (2 MB).
    #[error("request too large")]
    TooLarge,
    /// 500: the id lets an admin find the logged cause.
    #[error("internal error {0}")]
    Internal(String),
}

/// What went wrong outside Aula, in terms a teacher or admin can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExternalFailure {
    /// No streaming account is connected, or none is usable.
    NoStreamingAccount,
    /// Google refused the account's authorization: an admin must re-authorise it.
    AccountNeedsReauthorisation,
    /// The channel's daily YouTube quota is used up.
    YoutubeQuota,
    /// The channel is not enabled for live streaming.
    ChannelCannotStream,
    /// YouTube answered with a server error or could not be reached.
    YoutubeUnavailable,
    /// YouTube did not answer in time.
    YoutubeTimeout,
    /// YouTube refused the request for another reason.
    YoutubeRefused,
    /// The meeting could not start or keep the stream (reported by the meeting itself).
    MeetingRefused,
    /// The BigBlueButton server could not be reached or answered with a server error.
    BbbUnavailable,
    /// The BigBlueButton server did not answer in time.
    BbbTimeout,
    /// BigBlueButton refused Aula's checksum: the server's secret or algorithm is set wrong.
    BbbChecksum,
    /// The meeting has as many participants as it allows.
    BbbFull,
    /// BigBlueButton refused the request for another reason.
    BbbRefused,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConflictReason {
    NotOpenYet,
    Closed,
    LastAdmin,
    /// Still used (e.g. a meeting server that activities or the site default rely on).
    InUse,
    /// A feature the site has not configured (e.g. no SMTP relay for invitations).
    NotConfigured,
    /// The meeting has not been started by an owner yet: wait on the join page.
    NotStarted,
}

impl AppError {
    pub fn invalid(field: &str, code: FieldCode) -> Self {
        Self::Invalid(vec![FieldError::new(field, code)])
    }

    pub fn status(&self) -> u16 {
        match self {
            Self::Unauthenticated | Self::BadCredentials => 401,
            Self::Forbidden | Self::AccountDisabled => 403,
            Self::NotFound => 404,
            Self::Invalid(_) => 422,
            Self::BadRequest(_) => 400,
            Self::TooLarge => 413,
            Self::Conflict(_) | Self::RecordingBusy(_) => 409,
            Self::External(_) => 502,
            Self::RateLimited => 429,
            Self::Internal(_) => 500,
        }
    }

    /// The first error code for a field, for field-level messages in forms.
    pub fn field(&self, name: &str) -> Option<FieldCode> {
        match self {
            Self::Invalid(errors) => errors.iter().find(|e| e.field == name).map(|e| e.code),
            _ => None,
        }
    }
}

impl From<domain::field::Invalid> for AppError {
    fn from(e: domain::field::Invalid) -> Self {
        Self::Invalid(e.0)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Bad arguments from the browser are the caller's fault, not ours.
            ServerFnErrorErr::Args(why) | ServerFnErrorErr::Deserialization(why) => {
                Self::BadRequest(decoding_error(&why))
            }
            other => Self::Internal(format!("client:{}", short_kind(&other))),
        }
    }
}

/// What the decoder said, shortened and without control characters: it names the field and the
/// expected type, which is what an API client needs, and holds no server internals.
fn decoding_error(why: &str) -> String {
    let clean: String = why
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(200)
        .collect();
    if clean.trim().is_empty() {
        "the request body is not a valid form".to_owned()
    } else {
        clean
    }
}

fn short_kind(e: &ServerFnErrorErr) -> &'static str {
    match e {
        ServerFnErrorErr::Request(_) => "network",
        ServerFnErrorErr::Response(_) => "response",
        _ => "other",
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::AppError;

    impl AppError {
        /// Logs the real cause and returns the user-safe error. Its reference id is the request's
        /// id (the `x-request-id` header and the request's log span), or a fresh one outside
        /// requests, so the id a user reports leads to every log line of that request.
        pub fn internal(cause: impl std::fmt::Display) -> Self {
            let id = crate::request_id::current().unwrap_or_default().to_string();
            tracing::error!(reference = %id, "internal error: {cause}");
            Self::Internal(id)
        }

        /// Sets the HTTP status of the current response to match this error.
        pub fn set_response_status(&self) {
            if let Some(opts) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
                && let Ok(status) = axum::http::StatusCode::from_u16(self.status())
            {
                opts.set_status(status);
            }
        }
    }

    impl From<sea_orm::DbErr> for AppError {
        fn from(e: sea_orm::DbErr) -> Self {
            Self::internal(e)
        }
    }

    impl From<db::DbError> for AppError {
        fn from(e: db::DbError) -> Self {
            match e {
                db::DbError::NotFound => Self::NotFound,
                e => Self::internal(e),
            }
        }
    }

    /// For writes guarded by a unique index: a refusal is `field` "already taken" (422), anything
    /// else a 500. Services insert and catch this instead of checking first, because two requests
    /// that both checked can both find the value free.
    pub fn taken_on(field: &'static str) -> impl FnOnce(sea_orm::DbErr) -> AppError {
        move |e| {
            if db::DbError::is_unique_violation(&e) {
                AppError::invalid(field, super::FieldCode::AlreadyTaken)
            } else {
                e.into()
            }
        }
    }
}

#[cfg(feature = "ssr")]
pub use ssr::taken_on;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_that_do_not_decode_are_the_callers_fault_with_a_short_reason() {
        let e = AppError::from_server_fn_error(ServerFnErrorErr::Args(
            "invalid digit found in string\nat field `activity_id`".into(),
        ));
        assert_eq!(
            e,
            AppError::BadRequest("invalid digit found in string at field `activity_id`".into())
        );
        assert_eq!(e.status(), 400);
        let long =
            AppError::from_server_fn_error(ServerFnErrorErr::Deserialization("x".repeat(999)));
        assert!(matches!(long, AppError::BadRequest(m) if m.len() == 200));
    }

    #[test]
    fn each_error_maps_to_the_http_status_a_client_expects() {
        assert_eq!(AppError::Forbidden.status(), 403);
        assert_eq!(AppError::NotFound.status(), 404);
        assert_eq!(AppError::invalid("name", FieldCode::Required).status(), 422);
        assert_eq!(AppError::RateLimited.status(), 429);
        assert_eq!(AppError::BadRequest("x".into()).status(), 400);
        assert_eq!(AppError::TooLarge.status(), 413);
        assert_eq!(AppError::Internal("x".into()).status(), 500);
    }

    #[test]
    fn field_returns_the_code_of_the_named_field_only() {
        let e = AppError::Invalid(vec![
            FieldError::new("name", FieldCode::Required),
            FieldError::new("closes_at", FieldCode::ClosingNotAfterOpening),
        ]);
        assert_eq!(
            e.field("closes_at"),
            Some(FieldCode::ClosingNotAfterOpening)
        );
        assert_eq!(e.field("opens_at"), None);
    }
}
