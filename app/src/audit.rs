//! The site audit log (server only): who started, stopped, renamed, hid or deleted a recording,
//! and who changed streaming accounts. Never holds secrets.

use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, QueryOrder, QuerySelect, Set};

use crate::{clock::now, entities::audit_log, error::AppError};

pub async fn record(
    db: &DatabaseConnection,
    actor: Option<i32>,
    action: &str,
    subject: &str,
    detail: &str,
) -> Result<(), AppError> {
    audit_log::ActiveModel {
        actor_id: Set(actor),
        action: Set(action.to_owned()),
        subject: Set(subject.chars().take(200).collect()),
        detail: Set(detail.to_owned()),
        at: Set(now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn recent(
    db: &DatabaseConnection,
    limit: u64,
) -> Result<Vec<audit_log::Model>, AppError> {
    Ok(audit_log::Entity::find()
        .order_by_desc(audit_log::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}
