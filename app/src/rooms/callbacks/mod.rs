//! What Aula does with BigBlueButton's callbacks (server only). The HTTP side is thin
//! (`server/src/routes/bbb.rs`); these services find the room, verify the call with that room's
//! server secret, and act:
//!
//! - **recording ready** (`signed_parameters`, HS256/HS512 JWT): e-mails the room's owners
//!   (`notify`) and ends the "being processed" notice;
//! - **analytics** (HS512 bearer, bbbevents JSON): stores the session log and merges each person's
//!   presence into the activity's attendance (`analytics`);
//! - **meeting ended** (our own HMAC in the URL, as BBB does not sign it): forgets the
//!   `createTime` and remembers that a recording is being processed when BBB says one was made.
//!
//! A room whose activity or meeting was deleted answers 410 Gone (BBB stops retrying); an unknown
//! meeting 404; a bad signature 401. Neither secrets nor tokens are ever logged.

mod analytics;
mod notify;

pub use analytics::{Stored, analytics};

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};

use super::ssr::{by_meeting_id, end_signature, server_of};
use crate::{clock::now, entities::bbb_room, error::AppError, state::AppState};
use bbb::callback::{CallbackError, peek_meeting_id, verify_recording_ready};

/// Why a callback was not acted on; each maps to the status BBB's scripts understand.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error("malformed callback: {0}")]
    Malformed(String),
    #[error("the signature does not verify")]
    BadSignature,
    #[error("no room has this meeting id")]
    UnknownMeeting,
    #[error("the room's activity or meeting was deleted")]
    Gone,
    #[error("internal error")]
    Internal(#[from] AppError),
}

impl Refused {
    pub fn status(&self) -> u16 {
        match self {
            Refused::Malformed(_) => 400,
            Refused::BadSignature => 401,
            Refused::UnknownMeeting => 404,
            Refused::Gone => 410,
            Refused::Internal(_) => 500,
        }
    }
}

impl From<CallbackError> for Refused {
    fn from(e: CallbackError) -> Self {
        match e {
            CallbackError::BadSignature | CallbackError::Expired => Refused::BadSignature,
            CallbackError::Malformed(why) => Refused::Malformed(why),
        }
    }
}

impl From<sea_orm::DbErr> for Refused {
    fn from(e: sea_orm::DbErr) -> Self {
        Refused::Internal(e.into())
    }
}

/// The live room with this `meetingID`: 404 if none, 410 if it is a tombstone.
async fn live_room(state: &AppState, meeting_id: &str) -> Result<bbb_room::Model, Refused> {
    let room = by_meeting_id(&state.db, meeting_id)
        .await?
        .ok_or(Refused::UnknownMeeting)?;
    if room.deleted_at.is_some() {
        return Err(Refused::Gone);
    }
    Ok(room)
}

/// `POST /bbb/recording-ready`: verifies `signed_parameters` with the room's own server secret
/// (found through the token's unverified meeting id), then tells the owners. Mail failures are
/// logged: BBB cannot fix them, and a non-2xx answer would only make it call again.
pub async fn recording_ready(state: &AppState, signed_parameters: &str) -> Result<(), Refused> {
    let meeting_id = peek_meeting_id(signed_parameters).ok_or_else(|| {
        Refused::Malformed("signed_parameters is not a JWT with a meeting_id".into())
    })?;
    let room = live_room(state, &meeting_id).await?;
    let (_, server) = server_of(state, &room).await?;
    let ready = verify_recording_ready(signed_parameters, &server.secret)?;
    if ready.meeting_id != room.meeting_id {
        return Err(Refused::BadSignature);
    }
    tracing::info!(room = room.id, "BigBlueButton: a recording is ready");
    bbb_room::Entity::update_many()
        .col_expr(
            bbb_room::Column::RecordingPendingAt,
            Expr::value(Option::<i64>::None),
        )
        .filter(bbb_room::Column::Id.eq(room.id))
        .exec(&state.db)
        .await?;
    notify::recording_ready(state, &room, &server, &ready.record_id).await;
    Ok(())
}

/// Compares two strings in time that depends only on their lengths (the signature's is public).
fn same_secret(given: &str, expected: &str) -> bool {
    given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// `GET /bbb/ended/{meeting_id}?sig=…&recordingmarks=…`: the meeting is over, so its
/// `createTime` is forgotten (the next join creates it anew); with recording marks, the
/// recordings list says one is being processed until BBB announces it.
pub async fn ended(
    state: &AppState,
    meeting_id: &str,
    sig: &str,
    recording_marks: bool,
) -> Result<(), Refused> {
    if sig.is_empty() || !same_secret(sig, &end_signature(state, meeting_id)) {
        return Err(Refused::BadSignature);
    }
    let room = live_room(state, meeting_id).await?;
    let mut update = bbb_room::Entity::update_many()
        .col_expr(
            bbb_room::Column::CreateTime,
            Expr::value(Option::<i64>::None),
        )
        .filter(bbb_room::Column::Id.eq(room.id));
    if recording_marks {
        update = update.col_expr(bbb_room::Column::RecordingPendingAt, Expr::value(now()));
    }
    update.exec(&state.db).await?;
    tracing::info!(
        room = room.id,
        recording_marks,
        "BigBlueButton: the meeting ended"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_match_only_when_every_byte_does() {
        assert!(same_secret("abc123", "abc123"));
        assert!(!same_secret("abc124", "abc123"));
        assert!(!same_secret("abc12", "abc123"));
        assert!(!same_secret("", "abc123"));
    }

    #[test]
    fn each_refusal_answers_the_status_bbb_understands() {
        assert_eq!(Refused::Gone.status(), 410);
        assert_eq!(Refused::BadSignature.status(), 401);
        assert_eq!(Refused::UnknownMeeting.status(), 404);
        assert_eq!(Refused::Malformed("x".into()).status(), 400);
        assert_eq!(Refused::from(CallbackError::Expired).status(), 401);
    }
}
