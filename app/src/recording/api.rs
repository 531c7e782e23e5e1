//! Server functions for the recording switch, the recordings tab and the admin page. Each checks
//! the caller's capability on the server, then calls the services in `ssr`.

use leptos::prelude::*;

use super::model::{AdminRecordingPage, RecordingsPage, StartedRecording, SwitchState};
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
    use std::collections::HashMap;

    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    use super::{
        model::AuditRow,
        ssr::{Ctx, accounts, load_settings, retention},
    };
    use crate::{
        audit,
        entities::user,
        request::{Respond, require_admin},
        tz,
    };
    async {
        let c = require_admin().await?;
        let ctx = Ctx::of(&c.state);
        let zone = c.tz();
        let entries = audit::recent(ctx.db, 50).await?;
        let names: HashMap<i32, String> = user::Entity::find()
            .filter(user::Column::Id.is_in(entries.iter().filter_map(|e| e.actor_id)))
            .all(ctx.db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect();
        Ok(AdminRecordingPage {
            settings: load_settings(&ctx).await?,
            accounts: accounts::list(&ctx).await?,
            queue: retention::queue(&ctx, &zone).await?,
            audit: entries
                .into_iter()
                .map(|e| AuditRow {
                    at: tz::format_local(e.at, &zone),
                    actor: e
                        .actor_id
                        .and_then(|a| names.get(&a).cloned())
                        .unwrap_or_else(|| "Aula".into()),
                    action: e.action,
                    subject: e.subject,
                    detail: e.detail,
                })
                .collect(),
        })
    }
    .await
    .respond()
}

/// Saves the Google OAuth client and the YouTube options. An empty secret keeps the stored one.
#[server(endpoint = "admin/recording/settings")]
#[allow(clippy::too_many_arguments)]
pub async fn save_recording_settings(
    client_id: String,
    client_secret: String,
    latency: String,
    made_for_kids: Option<String>,
    round_robin: Option<String>,
    retention_days: String,
    purge_batch: String,
) -> Result<(), AppError> {
    use super::{
        model::{Latency, validate_batch, validate_retention},
        ssr::{
            K_BATCH, K_CLIENT_ID, K_CLIENT_SECRET, K_KIDS, K_LATENCY, K_RETENTION, K_ROUND_ROBIN,
        },
    };
    use crate::{
        audit,
        error::{FieldCode, FieldError},
        request::{Respond, require_admin},
        settings,
    };
    async {
        let c = require_admin().await?;
        let db = &c.state.db;
        let mut errors = Vec::new();
        let client_id = client_id.trim().to_owned();
        if client_id.len() > 200 {
            errors.push(FieldError::new("client_id", FieldCode::TooLong(200)));
        }
        let secret = client_secret.trim().to_owned();
        if secret.len() > 200 {
            errors.push(FieldError::new("client_secret", FieldCode::TooLong(200)));
        }
        let latency = Latency::parse(&latency);
        if latency.is_none() {
            errors.push(FieldError::new("latency", FieldCode::InvalidChoice));
        }
        let retention = retention_days
            .trim()
            .parse::<u32>()
            .map_err(|_| FieldCode::OutOfRange(1, 3650))
            .and_then(validate_retention);
        if let Err(code) = retention {
            errors.push(FieldError::new("retention_days", code));
        }
        let batch = purge_batch
            .trim()
            .parse::<u32>()
            .map_err(|_| FieldCode::OutOfRange(1, 500))
            .and_then(validate_batch);
        if let Err(code) = batch {
            errors.push(FieldError::new("purge_batch", code));
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        settings::set(db, K_CLIENT_ID, &client_id).await?;
        if !secret.is_empty() {
            settings::set_secret(db, &c.state.secrets, K_CLIENT_SECRET, &secret).await?;
        }
        let flag = |v: &Option<String>| if v.is_some() { "true" } else { "false" };
        settings::set(db, K_LATENCY, latency.unwrap_or_default().as_api()).await?;
        settings::set(db, K_KIDS, flag(&made_for_kids)).await?;
        settings::set(db, K_ROUND_ROBIN, flag(&round_robin)).await?;
        settings::set(db, K_RETENTION, &retention.unwrap_or_default().to_string()).await?;
        settings::set(db, K_BATCH, &batch.unwrap_or_default().to_string()).await?;
        let detail = if secret.is_empty() {
            ""
        } else {
            "client secret replaced"
        };
        audit::record(db, Some(c.user.id), "settings.recording", "YouTube", detail).await
    }
    .await
    .respond()
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
    use super::ssr::{Ctx, accounts, retention};
    use crate::{
        error::FieldCode,
        request::{Respond, require_admin},
    };
    async {
        let c = require_admin().await?;
        let ctx = Ctx::of(&c.state);
        let me = c.user.id;
        match action.as_str() {
            "in_use" => accounts::set_in_use(&ctx, me, id).await,
            "queue" => accounts::set_queued(&ctx, me, id, true).await,
            "unqueue" => accounts::set_queued(&ctx, me, id, false).await,
            "remove" => accounts::remove(&ctx, me, id).await,
            "purge" => retention::purge_now(&ctx, me, id).await,
            "restore" => retention::restore(&ctx, me, id).await,
            _ => Err(AppError::invalid("action", FieldCode::InvalidChoice)),
        }
    }
    .await
    .respond()
}
