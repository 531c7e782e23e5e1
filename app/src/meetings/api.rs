//! Meeting server functions. Each one finds the caller on the server and decides from the
//! database what they may do; the browser sends only ids and form values. Form fields that a
//! plain HTML form may leave out (unticked boxes, hidden sections) are optional: the form arrives
//! as one [`MeetingFields`], flattened, so the wire format stays one field per input.

use leptos::prelude::*;

use super::model::{
    CoOwners, JoinRedirect, MeetingFields, MeetingFormData, MeetingList, MeetingPage, MeetingStatus,
};
use crate::error::AppError;

/// "My meetings": the caller's personal room (once set up) and the meetings they own or co-own.
#[server(endpoint = "meetings/list")]
pub async fn list_meetings() -> Result<MeetingList, AppError> {
    use crate::request::Respond;
    service::list().await.respond()
}

/// Sets up the caller's personal room (an explicit action: listing never creates it).
#[server(endpoint = "meetings/personal/create")]
pub async fn create_personal_room() -> Result<(), AppError> {
    use crate::request::Respond;
    service::create_personal_room().await.respond()
}

/// The form's initial values: defaults for a new meeting (`meeting_id` absent), else the
/// meeting's (owners, co-owners and admins only).
#[server(endpoint = "meetings/form")]
pub async fn meeting_form(meeting_id: Option<i32>) -> Result<MeetingFormData, AppError> {
    use crate::request::Respond;
    service::form(meeting_id).await.respond()
}

/// Creates a meeting owned by the caller; returns its id.
#[server(endpoint = "meetings/create")]
pub async fn create_meeting(#[server(flatten)] form: MeetingFields) -> Result<i32, AppError> {
    use crate::request::Respond;
    service::create(form).await.respond()
}

/// Saves the form over a meeting (owners, co-owners and admins); returns its id.
#[server(endpoint = "meetings/update")]
pub async fn update_meeting(
    meeting_id: i32,
    #[server(flatten)] form: MeetingFields,
) -> Result<i32, AppError> {
    use crate::request::Respond;
    service::update(meeting_id, form).await.respond()
}

/// Deletes a meeting (its owner or an admin; never a personal room).
#[server(endpoint = "meetings/delete")]
pub async fn delete_meeting(meeting_id: i32) -> Result<(), AppError> {
    use crate::request::Respond;
    service::delete(meeting_id).await.respond()
}

/// Invites an e-mail address to co-own the meeting (owner or admin); returns the co-owners and
/// open invitations. The person becomes a co-owner only once they accept.
#[server(endpoint = "meetings/co-owners/add")]
pub async fn add_co_owner(meeting_id: i32, email: String) -> Result<CoOwners, AppError> {
    use crate::request::Respond;
    service::invite_co_owner(meeting_id, email).await.respond()
}

/// Withdraws an invitation nobody answered yet (owner or admin).
#[server(endpoint = "meetings/co-owners/withdraw")]
pub async fn withdraw_co_owner_invitation(
    meeting_id: i32,
    invitation_id: i32,
) -> Result<CoOwners, AppError> {
    use crate::request::Respond;
    service::withdraw_co_owner_invitation(meeting_id, invitation_id)
        .await
        .respond()
}

/// The invitee accepts an invitation to co-own a meeting.
#[server(endpoint = "meetings/co-owners/accept")]
pub async fn accept_co_owner_invitation(invitation_id: i32) -> Result<(), AppError> {
    use crate::request::Respond;
    service::answer_co_owner_invitation(invitation_id, true)
        .await
        .respond()
}

/// The invitee declines an invitation to co-own a meeting.
#[server(endpoint = "meetings/co-owners/decline")]
pub async fn decline_co_owner_invitation(invitation_id: i32) -> Result<(), AppError> {
    use crate::request::Respond;
    service::answer_co_owner_invitation(invitation_id, false)
        .await
        .respond()
}

#[server(endpoint = "meetings/co-owners/remove")]
pub async fn remove_co_owner(meeting_id: i32, user_id: i32) -> Result<CoOwners, AppError> {
    use crate::request::Respond;
    service::remove_co_owner(meeting_id, user_id)
        .await
        .respond()
}

/// Forgets the meeting's slides (uploads go to `POST /meetings/{id}/slides`).
#[server(endpoint = "meetings/slides/remove")]
pub async fn remove_slides(meeting_id: i32) -> Result<(), AppError> {
    use crate::request::Respond;
    service::remove_slides(meeting_id).await.respond()
}

/// The join page's facts (anyone the meeting admits; anonymous visitors of link meetings too).
#[server(endpoint = "meetings/page")]
pub async fn get_meeting_page(public_id: String) -> Result<MeetingPage, AppError> {
    use crate::request::Respond;
    service::page(public_id).await.respond()
}

/// The signed BBB join URL; `Conflict(NotStarted)` while no owner has started the meeting.
/// Anonymous visitors give `name` (and `code` when the meeting has one).
#[server(endpoint = "meetings/join")]
pub async fn join_meeting(
    public_id: String,
    #[server(default)] name: String,
    #[server(default)] code: String,
) -> Result<JoinRedirect, AppError> {
    use crate::request::Respond;
    service::join(public_id, name, code).await.respond()
}

/// Whether the meeting runs (the join page polls it while waiting).
#[server(endpoint = "meetings/status")]
pub async fn get_meeting_status(public_id: String) -> Result<MeetingStatus, AppError> {
    use crate::request::Respond;
    service::status(public_id).await.respond()
}

#[cfg(feature = "ssr")]
use super::service;
