//! What each moderation server function does once called (server only): find the caller, check
//! the `moderation` capability in the activity, then read or write the audit log.

use std::collections::HashMap;

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::model::{LogEntry, ModAction, Person};
use crate::{
    capabilities::{Capability, ssr::require_activity_cap},
    clock::now,
    entities::{enrolment, moderation_log, user},
    error::{AppError, FieldCode},
    request::require_user,
    tz,
};

/// Writes one line of the audit log.
pub async fn log(
    activity_id: i32,
    action: String,
    target_name: Option<String>,
    target_user_id: Option<i32>,
) -> Result<(), AppError> {
    let c = require_user().await?;
    require_activity_cap(&c.state.db, &c.user, activity_id, Capability::Moderation).await?;
    let action = ModAction::parse(&action)
        .ok_or_else(|| AppError::invalid("action", FieldCode::InvalidChoice))?;
    let target_name = target_name
        .map(|n| n.chars().take(100).collect::<String>())
        .filter(|n| !n.is_empty());
    moderation_log::ActiveModel {
        activity_id: sea_orm::Set(activity_id),
        actor_user_id: sea_orm::Set(c.user.id),
        action: sea_orm::Set(action.as_str().to_owned()),
        target_name: sea_orm::Set(target_name),
        target_user_id: sea_orm::Set(target_user_id),
        at: sea_orm::Set(now()),
        ..Default::default()
    }
    .insert(&c.state.db)
    .await?;
    Ok(())
}

/// The latest 50 moderator actions in the activity, newest first.
pub async fn entries(activity_id: i32) -> Result<Vec<LogEntry>, AppError> {
    let c = require_user().await?;
    let db = &c.state.db;
    require_activity_cap(db, &c.user, activity_id, Capability::Moderation).await?;
    let rows = moderation_log::Entity::find()
        .filter(moderation_log::Column::ActivityId.eq(activity_id))
        .order_by_desc(moderation_log::Column::Id)
        .limit(50)
        .all(db)
        .await?;
    let names: HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().map(|r| r.actor_user_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let zone = c.tz();
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(LogEntry {
                at: tz::format_local(r.at, &zone),
                actor: names.get(&r.actor_user_id).cloned().unwrap_or_default(),
                action: ModAction::parse(&r.action)?,
                target: r.target_name,
            })
        })
        .collect())
}

/// The Aula accounts behind `ids` (comma-separated user ids, at most 500 read) that are enrolled
/// in the activity's course, with their role there.
pub async fn people(activity_id: i32, ids: String) -> Result<Vec<Person>, AppError> {
    let c = require_user().await?;
    let db = &c.state.db;
    let access = require_activity_cap(db, &c.user, activity_id, Capability::Moderation).await?;
    let wanted: Vec<i32> = ids
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .take(500)
        .collect();
    let enrolled = enrolment::Entity::find()
        .filter(enrolment::Column::CourseId.eq(access.activity.course_id))
        .filter(enrolment::Column::UserId.is_in(wanted))
        .all(db)
        .await?;
    let names: HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(enrolled.iter().map(|e| e.user_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    Ok(enrolled
        .into_iter()
        .filter_map(|e| {
            Some(Person {
                user_id: e.user_id,
                name: names.get(&e.user_id)?.clone(),
                role: e.role,
            })
        })
        .collect())
}
