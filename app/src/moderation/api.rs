//! Moderator actions are carried out in the browser through the IFrame API (Jitsi enforces them
//! for moderators); the server keeps the audit log and refuses entries from non-moderators.

use leptos::prelude::*;

use super::model::{LogEntry, Person};
use crate::error::AppError;

/// Writes one line of the audit log (capability `moderation`).
#[server(endpoint = "moderation/log")]
pub async fn log_moderation(
    activity_id: i32,
    action: String,
    target_name: Option<String>,
    target_user_id: Option<i32>,
) -> Result<(), AppError> {
    use crate::request::Respond;
    super::service::log(activity_id, action, target_name, target_user_id)
        .await
        .respond()
}

/// The latest 50 moderator actions in this activity (capability `moderation`).
#[server(endpoint = "moderation/entries")]
pub async fn moderation_entries(activity_id: i32) -> Result<Vec<LogEntry>, AppError> {
    use crate::request::Respond;
    super::service::entries(activity_id).await.respond()
}

/// Aula accounts behind meeting participants (`userContext.id` from the token), with their role
/// in the activity's course (capability `moderation`). Ids outside the course are left out.
#[server(endpoint = "moderation/people")]
pub async fn meeting_people(activity_id: i32, ids: String) -> Result<Vec<Person>, AppError> {
    use crate::request::Respond;
    super::service::people(activity_id, ids).await.respond()
}
