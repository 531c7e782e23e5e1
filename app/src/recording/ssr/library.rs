//! The recordings tab: listing a room's recordings, and what teachers do with them — rename (in
//! Aula and on YouTube), hide or show (Aula only), delete (marked for the retention job, private
//! on YouTube at once).

use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde_json::Value;

use super::{
    Ctx,
    accounts::{self, CallError},
    lifecycle::{edit_part, room_owner},
};
use crate::{
    audit,
    capabilities::{Capability, ssr::ActivityAccess},
    clock::now,
    entities::{recording, user},
    error::{AppError, FieldCode},
    recording::{
        google::youtube::YtError,
        model::{RecordingRow, RecordingsPage, validate_title},
    },
    tz,
};

/// The recordings tab: every recording of the room not marked deleted; hidden ones only for
/// holders of `hide`.
pub async fn list(
    ctx: &Ctx<'_>,
    access: &ActivityAccess,
    zone: &str,
) -> Result<RecordingsPage, AppError> {
    let can_hide = access.can(Capability::Hide);
    let mut q = recording::Entity::find()
        .filter(recording::Column::ActivityId.eq(room_owner(&access.activity)))
        .filter(recording::Column::DeleteMarkedAt.is_null())
        .order_by_desc(recording::Column::CreatedAt)
        .order_by_desc(recording::Column::Id);
    if !can_hide {
        q = q.filter(recording::Column::Visible.eq(true));
    }
    let recs = q.all(ctx.db).await?;
    let authors: HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(recs.iter().filter_map(|r| r.author_id)))
        .all(ctx.db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let course_name = crate::entities::course::Entity::find_by_id(access.activity.course_id)
        .one(ctx.db)
        .await?
        .map(|c| c.name)
        .unwrap_or_default();
    let embed = ctx.google.config.embed_url.trim_end_matches('/');
    Ok(RecordingsPage {
        activity_id: access.activity.id,
        activity_name: access.activity.name.clone(),
        course_id: access.activity.course_id,
        course_name,
        rows: recs
            .into_iter()
            .map(|r| RecordingRow {
                id: r.id,
                date: tz::format_local(r.created_at, zone),
                author: r
                    .author_id
                    .and_then(|a| authors.get(&a).cloned())
                    .unwrap_or_default(),
                embed_url: r.broadcast_id.as_ref().map(|b| format!("{embed}/{b}")),
                visible: r.visible,
                live: r.status != "ended",
                title: r.title,
            })
            .collect(),
        can_rename: access.can(Capability::EditRecordName),
        can_hide,
        can_delete: access.can(Capability::DeleteRecord),
    })
}

async fn find_in_room(
    ctx: &Ctx<'_>,
    access: &ActivityAccess,
    id: i32,
) -> Result<recording::Model, AppError> {
    recording::Entity::find_by_id(id)
        .one(ctx.db)
        .await?
        .filter(|r| r.activity_id == Some(room_owner(&access.activity)))
        .filter(|r| r.delete_marked_at.is_none())
        .ok_or(AppError::NotFound)
}

/// Renames in Aula and on YouTube (the whole snippet, title changed). If YouTube refuses, nothing
/// changes; a video already gone from YouTube is renamed in Aula only.
pub async fn rename(
    ctx: &Ctx<'_>,
    access: &ActivityAccess,
    me: &user::Model,
    id: i32,
    title: &str,
) -> Result<(), AppError> {
    let title = validate_title(title).map_err(|c| AppError::invalid("title", c))?;
    let rec = find_in_room(ctx, access, id).await?;
    if let Some(video) = &rec.broadcast_id {
        let mut yt = accounts::authorize(ctx, rec.account_id).await?;
        let t = title.clone();
        match edit_part(ctx, &mut yt, video, "snippet", move |s| {
            s.insert("title".into(), Value::String(t));
        })
        .await
        {
            Ok(()) | Err(CallError::Youtube(YtError::NotFound)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let old = rec.title.clone();
    let mut am = rec.into_active_model();
    am.title = Set(title.clone());
    am.update(ctx.db).await?;
    audit::record(
        ctx.db,
        Some(me.id),
        "recording.rename",
        &access.activity.name,
        &format!("{old} → {title}"),
    )
    .await
}

/// Hides or shows the recording in Aula only.
pub async fn set_visible(
    ctx: &Ctx<'_>,
    access: &ActivityAccess,
    me: &user::Model,
    id: i32,
    visible: bool,
) -> Result<(), AppError> {
    let rec = find_in_room(ctx, access, id).await?;
    let title = rec.title.clone();
    let mut am = rec.into_active_model();
    am.visible = Set(visible);
    am.update(ctx.db).await?;
    let action = if visible {
        "recording.show"
    } else {
        "recording.hide"
    };
    audit::record(ctx.db, Some(me.id), action, &access.activity.name, &title).await
}

/// Marks the recording deleted (the retention job deletes the video later) and makes the video
/// private on YouTube at once. The mark stands even if YouTube cannot be reached.
pub async fn mark_deleted(
    ctx: &Ctx<'_>,
    access: &ActivityAccess,
    me: &user::Model,
    id: i32,
) -> Result<(), AppError> {
    let rec = find_in_room(ctx, access, id).await?;
    if rec.status != "ended" {
        return Err(AppError::invalid("recording", FieldCode::InvalidChoice));
    }
    let (title, video, account) = (rec.title.clone(), rec.broadcast_id.clone(), rec.account_id);
    let mut am = rec.into_active_model();
    am.delete_marked_at = Set(Some(now()));
    am.update(ctx.db).await?;
    let detail = match &video {
        Some(v) => match set_privacy(ctx, account, v, "private").await {
            Ok(()) => format!("{title} (made private)"),
            Err(e) => {
                tracing::warn!("could not make {v} private: {e:?}");
                format!("{title} (YouTube unreachable; still unlisted)")
            }
        },
        None => title,
    };
    audit::record(
        ctx.db,
        Some(me.id),
        "recording.delete",
        &access.activity.name,
        &detail,
    )
    .await
}

pub async fn set_privacy(
    ctx: &Ctx<'_>,
    account_id: i32,
    video: &str,
    privacy: &str,
) -> Result<(), CallError> {
    let mut yt = accounts::authorize(ctx, account_id)
        .await
        .map_err(CallError::App)?;
    let p = privacy.to_owned();
    edit_part(ctx, &mut yt, video, "status", move |s| {
        s.insert("privacyStatus".into(), Value::String(p));
    })
    .await
}

/// When an activity is deleted: release its lock and mark its recordings for deletion, so the
/// retention job removes the videos instead of leaving them on the channel forever.
pub async fn on_activity_deleted(
    db: &impl sea_orm::ConnectionTrait,
    activity_id: i32,
) -> Result<(), AppError> {
    use sea_orm::sea_query::Expr;
    recording::Entity::update_many()
        .col_expr(recording::Column::DeleteMarkedAt, Expr::value(now()))
        .filter(recording::Column::ActivityId.eq(activity_id))
        .filter(recording::Column::DeleteMarkedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
