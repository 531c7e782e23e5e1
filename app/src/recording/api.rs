//! Server functions for the recording switch, the recordings tab and the admin page. Each checks
//! the caller's capability on the server, then calls the services in `ssr`.

use leptos::prelude::*;

use super::model::{
    AdminRecordingPage, RecordingSettingsForm, RecordingsPage, StartedRecording, SwitchState,
};
use crate::error::AppError;

#[cfg(feature = "ssr")]
mod guard {
    use crate::{
        capabilities::{
            Capability,
            ssr::{ActivityAccess, require_activity_cap},
        },
        error::AppError,
        request::{Caller, require_user},
    };

    pub async fn activity(
        activity_id: i32,
        cap: Capability,
    ) -> Result<(Caller, ActivityAccess), AppError> {
        let c = require_user().await?;
        let access = require_activity_cap(&c.state.db, &c.user, activity_id, cap).await?;
        Ok((c, access))
    }
}

/// Whether the caller may record here, and the recording running in the room, if any.
#[server(endpoint = "recording/state")]
pub async fn recording_state(activity_id: i32) -> Result<SwitchState, AppError> {
    use super::ssr::{Ctx, lifecycle};
    use crate::{capabilities::Capability, request::Respond};
    async {
        let (c, access) = guard::activity(activity_id, Capability::View).await?;
        let now_ms = c.state.clock.now_ms();
        lifecycle::switch_state(&Ctx::of(&c.state), &access, &c.user, now_ms).await
    }
    .await
    .respond()
}

/// "Record and stream" on: creates the YouTube broadcast and returns its stream key.
#[server(endpoint = "recording/start")]
pub async fn start_recording(activity_id: i32) -> Result<StartedRecording, AppError> {
    use super::ssr::{Ctx, lifecycle};
    use crate::{capabilities::Capability, request::Respond};
    async {
        let (c, access) = guard::activity(activity_id, Capability::Record).await?;
        let (now_ms, zone) = (c.state.clock.now_ms(), c.tz());
        lifecycle::start(&Ctx::of(&c.state), &access, &c.user, now_ms, &zone).await
    }
    .await
    .respond()
}

/// "Record and stream" off (or the meeting stopped it).
#[server(endpoint = "recording/stop")]
pub async fn stop_recording(activity_id: i32) -> Result<(), AppError> {
    use super::ssr::{Ctx, lifecycle};
    use crate::{capabilities::Capability, request::Respond};
    async {
        let (c, access) = guard::activity(activity_id, Capability::Record).await?;
        let now_ms = c.state.clock.now_ms();
        lifecycle::stop(&Ctx::of(&c.state), &access, &c.user, now_ms).await
    }
    .await
    .respond()
}

/// The meeting reported that the stream failed: clean up the broadcast and release the lock.
#[server(endpoint = "recording/failed")]
pub async fn recording_failed(activity_id: i32, recording_id: i32) -> Result<(), AppError> {
    use super::ssr::{Ctx, lifecycle};
    use crate::{capabilities::Capability, request::Respond};
    async {
        let (c, access) = guard::activity(activity_id, Capability::Record).await?;
        lifecycle::fail(&Ctx::of(&c.state), &access, &c.user, recording_id).await
    }
    .await
    .respond()
}

/// The recordings tab (capability `viewrecords`).
#[server(endpoint = "recording/list")]
pub async fn list_recordings(activity_id: i32) -> Result<RecordingsPage, AppError> {
    use super::ssr::{Ctx, library};
    use crate::{capabilities::Capability, request::Respond};
    async {
        let (c, access) = guard::activity(activity_id, Capability::ViewRecords).await?;
        library::list(&Ctx::of(&c.state), &access, &c.tz()).await
    }
    .await
    .respond()
}

#[server(endpoint = "recording/rename")]
pub async fn rename_recording(
    activity_id: i32,
    recording_id: i32,
    title: String,
) -> Result<(), AppError> {
    use super::ssr::{Ctx, library};
    use crate::{capabilities::Capability, request::Respond};
    async {
        let (c, access) = guard::activity(activity_id, Capability::EditRecordName).await?;
        library::rename(&Ctx::of(&c.state), &access, &c.user, recording_id, &title).await
    }
    .await
    .respond()
}

#[server(endpoint = "recording/visibility")]
pub async fn set_recording_visible(
    activity_id: i32,
    recording_id: i32,
    visible: bool,
) -> Result<(), AppError> {
    use super::ssr::{Ctx, library};
    use crate::{capabilities::Capability, request::Respond};
    async {
        let (c, access) = guard::activity(activity_id, Capability::Hide).await?;
        library::set_visible(&Ctx::of(&c.state), &access, &c.user, recording_id, visible).await
    }
    .await
    .respond()
}

#[server(endpoint = "recording/delete")]
pub async fn delete_recording(activity_id: i32, recording_id: i32) -> Result<(), AppError> {
    use super::ssr::{Ctx, library};
    use crate::{capabilities::Capability, request::Respond};
    async {
        let (c, access) = guard::activity(activity_id, Capability::DeleteRecord).await?;
        library::mark_deleted(&Ctx::of(&c.state), &access, &c.user, recording_id).await
    }
    .await
    .respond()
}

/// Everything on the admin recording page (site admins).
#[server(endpoint = "admin/recording")]
pub async fn admin_recording() -> Result<AdminRecordingPage, AppError> {
    use crate::request::Respond;
    super::ssr::admin::page().await.respond()
}

/// Saves the Google OAuth client and the YouTube options. An empty secret keeps the stored one.
#[server(endpoint = "admin/recording/settings")]
pub async fn save_recording_settings(
    #[server(flatten)] form: RecordingSettingsForm,
) -> Result<(), AppError> {
    use crate::request::Respond;
    super::ssr::admin::save_settings(form).await.respond()
}

/// Starts adding an account (or re-authorising `account_id`): returns Google's consent URL.
#[server(endpoint = "admin/recording/connect")]
pub async fn connect_account(name: String, account_id: Option<i32>) -> Result<String, AppError> {
    use super::ssr::{Ctx, connect};
    use crate::{
        auth::ssr::{SESSION_COOKIE, cookie},
        request::{Respond, require_admin},
    };
    async {
        let c = require_admin().await?;
        let session = cookie(&c.headers, SESSION_COOKIE).ok_or(AppError::Unauthenticated)?;
        connect::begin(&Ctx::of(&c.state), &c.user, &session, &name, account_id).await
    }
    .await
    .respond()
}

/// One admin action on a streaming account or on the deletion queue.
#[server(endpoint = "admin/recording/act")]
pub async fn recording_admin_action(action: String, id: i32) -> Result<(), AppError> {
    use crate::request::Respond;
    super::ssr::admin::act(action, id).await.respond()
}
