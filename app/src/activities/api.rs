//! Activity server functions. Each one checks the caller's capability on the server; the browser
//! sends only ids and form values, never roles or room names. Each is a thin boundary: the work,
//! checks included, is in the ssr-only `service` module.

use leptos::prelude::*;

use super::dto::{ActivityForm, ActivityFormData, JoinInfo, JoinTicket};
#[cfg(feature = "ssr")]
use super::service;
use crate::error::AppError;

/// Initial values for the create (`activity_id` absent) or edit form.
#[server(endpoint = "activities/form")]
pub async fn get_activity_form(
    course_id: i32,
    activity_id: Option<i32>,
) -> Result<ActivityFormData, AppError> {
    use crate::request::Respond;
    service::form(course_id, activity_id).await.respond()
}

#[server(endpoint = "activities/create")]
pub async fn create_activity(
    course_id: i32,
    #[server(flatten)] form: ActivityForm,
) -> Result<i32, AppError> {
    use crate::request::Respond;
    service::create(course_id, form).await.respond()
}

/// Saves the edit form; returns the activity's course id for the redirect.
#[server(endpoint = "activities/update")]
pub async fn update_activity(
    activity_id: i32,
    #[server(flatten)] form: ActivityForm,
) -> Result<i32, AppError> {
    use crate::request::Respond;
    service::update(activity_id, form).await.respond()
}

/// Deletes the activity; returns its course id for the redirect.
#[server(endpoint = "activities/delete")]
pub async fn delete_activity(activity_id: i32) -> Result<i32, AppError> {
    use crate::request::Respond;
    service::delete(activity_id).await.respond()
}

/// Sets one role's permission for one capability on this activity: "inherit", "allow" or "prevent".
#[server(endpoint = "activities/override")]
pub async fn set_capability_override(
    activity_id: i32,
    role: String,
    capability: String,
    setting: String,
) -> Result<(), AppError> {
    use crate::request::Respond;
    service::set_override(activity_id, &role, &capability, &setting)
        .await
        .respond()
}

#[server(endpoint = "activities/info")]
pub async fn get_join_info(activity_id: i32) -> Result<JoinInfo, AppError> {
    use crate::request::Respond;
    service::join_info(activity_id).await.respond()
}

/// Issues the meeting parameters, if the caller may enter now.
#[server(endpoint = "activities/join")]
pub async fn join_activity(activity_id: i32) -> Result<JoinTicket, AppError> {
    use crate::request::Respond;
    service::join(activity_id).await.respond()
}
