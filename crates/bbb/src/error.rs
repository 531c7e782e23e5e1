//! BigBlueButton failures, by `messageKey` (the stable part of an error answer).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MessageKey {
    ChecksumError,
    NotFound,
    IdNotUnique,
    MissingParam,
    InvalidMeetingId,
    MismatchCreateTime,
    MeetingForciblyEnded,
    MaxParticipantsReached,
    RecordingNotFound,
    Other,
}

impl MessageKey {
    pub fn parse(key: &str) -> Self {
        match key {
            "checksumError" => Self::ChecksumError,
            "notFound" | "notfound" => Self::NotFound,
            "idNotUnique" => Self::IdNotUnique,
            k if k.starts_with("missingParam") || k == "MissingParam" || k == "paramError" => {
                Self::MissingParam
            }
            "invalidMeetingIdentifier" | "invalidMeetingId" => Self::InvalidMeetingId,
            "mismatchCreateTime" | "mismatchCreateTimeParam" => Self::MismatchCreateTime,
            "meetingForciblyEnded" => Self::MeetingForciblyEnded,
            "maxParticipantsReached" => Self::MaxParticipantsReached,
            "recordingNotFound" => Self::RecordingNotFound,
            _ => Self::Other,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BbbError {
    /// The server answered `FAILED`.
    #[error("BigBlueButton refused ({key:?}): {message}")]
    Failed { key: MessageKey, message: String },
    /// Not BigBlueButton's XML (a proxy error page, a wrong URL…).
    #[error("not a BigBlueButton answer")]
    BadResponse,
    #[error("timed out")]
    Timeout,
    /// Connection refused, DNS, TLS, or a 5xx after the retries.
    #[error("unreachable: {0}")]
    Unreachable(String),
}

impl BbbError {
    /// Worth another try: the network or the server hiccuped, not the request.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Timeout | Self::Unreachable(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_keys_map_to_kinds_and_unknown_ones_to_other() {
        assert_eq!(
            MessageKey::parse("checksumError"),
            MessageKey::ChecksumError
        );
        assert_eq!(
            MessageKey::parse("missingParamMeetingID"),
            MessageKey::MissingParam
        );
        assert_eq!(
            MessageKey::parse("mismatchCreateTimeParam"),
            MessageKey::MismatchCreateTime
        );
        assert_eq!(MessageKey::parse("somethingNew"), MessageKey::Other);
        assert!(BbbError::Timeout.is_transient());
        assert!(!BbbError::BadResponse.is_transient());
    }
}
