//! The admin recording page (site admins only): what it shows, saving its settings, and the
//! actions on streaming accounts and the deletion queue. Each function checks the caller itself.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{
    Ctx, K_BATCH, K_CLIENT_ID, K_CLIENT_SECRET, K_KIDS, K_LATENCY, K_RETENTION, K_ROUND_ROBIN,
    accounts, load_settings, retention,
};
use crate::{
    audit,
    entities::user,
    error::{AppError, FieldCode, FieldError},
    recording::model::{
        AdminRecordingPage, AuditRow, Latency, RecordingSettingsForm, validate_batch,
        validate_retention,
    },
    request::require_admin,
    settings, tz,
};

/// Everything on the admin recording page: settings, accounts, deletion queue and the latest 50
/// audit entries.
pub async fn page() -> Result<AdminRecordingPage, AppError> {
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

/// Validates and stores the Google OAuth client and the YouTube options, all or nothing. An
/// empty secret keeps the stored one.
pub async fn save_settings(form: RecordingSettingsForm) -> Result<(), AppError> {
    let RecordingSettingsForm {
        client_id,
        client_secret,
        latency,
        made_for_kids,
        round_robin,
        retention_days,
        purge_batch,
    } = form;
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

/// One admin action (`in_use`, `queue`, `unqueue`, `remove` on account `id`; `purge`, `restore`
/// on queued recording `id`).
pub async fn act(action: String, id: i32) -> Result<(), AppError> {
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
