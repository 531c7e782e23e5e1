//! Server functions of a room's BigBlueButton recordings. Each finds the caller, decides from the
//! database what they may do (`powers`), and acts on BBB only for a recording listed under the
//! room's own `meetingID`.

use leptos::prelude::*;

use super::model::{BbbRecordingsPage, RoomRef};
use crate::error::AppError;

/// The recordings of an activity's room (`viewrecords`) or a meeting's.
#[server(endpoint = "rooms/recordings")]
pub async fn bbb_recordings(owner: RoomRef) -> Result<BbbRecordingsPage, AppError> {
    use crate::request::{Respond, request_lang, require_user};
    async {
        let c = require_user().await?;
        let lang = request_lang(&c.headers);
        super::recordings::list(&c.state, &c.user, owner, &c.tz(), lang).await
    }
    .await
    .respond()
}

#[cfg(feature = "ssr")]
async fn apply(
    owner: RoomRef,
    record_id: String,
    change: super::recordings::Change,
) -> Result<(), AppError> {
    use crate::request::{Respond, require_user};
    async {
        let c = require_user().await?;
        super::recordings::change(&c.state, &c.user, owner, &record_id, change).await
    }
    .await
    .respond()
}

/// Publishes or unpublishes (`hide`; a meeting's owners).
#[server(endpoint = "rooms/recordings/publish")]
pub async fn publish_bbb_recording(
    owner: RoomRef,
    record_id: String,
    publish: bool,
) -> Result<(), AppError> {
    apply(
        owner,
        record_id,
        super::recordings::Change::Publish(publish),
    )
    .await
}

/// Protects a recording (one-time playback links on Scalelite) or lifts it (`hide`).
#[server(endpoint = "rooms/recordings/protect")]
pub async fn protect_bbb_recording(
    owner: RoomRef,
    record_id: String,
    protect: bool,
) -> Result<(), AppError> {
    apply(
        owner,
        record_id,
        super::recordings::Change::Protect(protect),
    )
    .await
}

/// Renames it: the name is stored on BBB as `meta_name` (`editrecordname`).
#[server(endpoint = "rooms/recordings/rename")]
pub async fn rename_bbb_recording(
    owner: RoomRef,
    record_id: String,
    name: String,
) -> Result<(), AppError> {
    apply(owner, record_id, super::recordings::Change::Rename(name)).await
}

/// Deletes it from the BBB server (`deleterecord`).
#[server(endpoint = "rooms/recordings/delete")]
pub async fn delete_bbb_recording(owner: RoomRef, record_id: String) -> Result<(), AppError> {
    apply(owner, record_id, super::recordings::Change::Delete).await
}
