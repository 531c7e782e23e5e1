//! Why a heartbeat was refused: one type for the hub that checks requests and the store that
//! writes them, each telling the browser the same stable code and user-safe message.

use serde::Serialize;

/// Why a heartbeat was refused. The JSON body carries a stable code and a user-safe message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BeatError {
    Malformed(&'static str),
    Unauthenticated,
    Forbidden,
    UnknownSession,
    ActivityClosed,
    SessionClosed,
    Unavailable,
    /// More beats are waiting to be written than the writer keeps up with: the browser keeps
    /// them and sends them again later (503 with `Retry-After`).
    Overloaded,
}

#[derive(Serialize)]
pub struct BeatErrorBody {
    pub error: &'static str,
    pub message: &'static str,
}

impl BeatError {
    pub fn status(&self) -> u16 {
        match self {
            Self::Malformed(_) => 400,
            Self::Unauthenticated => 401,
            Self::Forbidden => 403,
            Self::UnknownSession => 404,
            Self::ActivityClosed | Self::SessionClosed => 409,
            Self::Unavailable | Self::Overloaded => 503,
        }
    }

    pub fn body(&self) -> BeatErrorBody {
        let (error, message) = match self {
            Self::Malformed(m) => ("malformed", *m),
            Self::Unauthenticated => (
                "unauthenticated",
                "Sign in again to keep counting attendance.",
            ),
            Self::Forbidden => ("forbidden", "You may not attend this activity."),
            Self::UnknownSession => ("unknown_session", "This attendance session does not exist."),
            Self::ActivityClosed => (
                "activity_closed",
                "The activity has closed; attendance is no longer recorded.",
            ),
            Self::SessionClosed => ("session_closed", "This attendance session has ended."),
            Self::Unavailable => (
                "unavailable",
                "Attendance could not be saved just now; it will be sent again.",
            ),
            Self::Overloaded => (
                "overloaded",
                "Too many heartbeats at once; this one will be sent again shortly.",
            ),
        };
        BeatErrorBody { error, message }
    }
}
