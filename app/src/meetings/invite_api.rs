//! E-mail invitations to a meeting: what the invite panel and the server exchange, and the two
//! server functions. Only the meeting's owners, co-owners and site admins invite or see the list;
//! the browser sends only the meeting's id, the typed addresses and the copy checkbox.

use leptos::prelude::*;

pub use super::invite_dto::*;
use crate::error::AppError;

/// E-mails an invitation with the series as an `.ics` (`METHOD:REQUEST`) to each address of
/// `emails` (split on commas, semicolons, spaces and new lines; `Name <address>` works too).
/// Bad addresses are reported in the answer and the good ones are sent; 422 only when nothing
/// typed is an address or there are more than 50.
#[server(endpoint = "meetings/invite")]
pub async fn invite_to_meeting(
    meeting_id: i32,
    emails: String,
    owner_copy: Option<String>,
) -> Result<InviteReport, AppError> {
    use crate::request::{Respond, require_user};
    async {
        let c = require_user().await?;
        let copy = super::model::ticked(&owner_copy);
        super::invite::invite(&c.state, &c.user, meeting_id, &emails, copy).await
    }
    .await
    .respond()
}

/// The invitations sent for a meeting (owners, co-owners and admins).
#[server(endpoint = "meetings/invitations")]
pub async fn meeting_invitations(meeting_id: i32) -> Result<Invitations, AppError> {
    use crate::request::{Respond, require_user};
    async {
        let c = require_user().await?;
        super::invite::list(&c.state, &c.user, meeting_id, &c.tz()).await
    }
    .await
    .respond()
}
