//! E-mail invitations to a meeting: what the invite panel and the server exchange, and the two
//! server functions. Only the meeting's owners, co-owners and site admins invite or see the list;
//! the browser sends only the meeting's id, the typed addresses and the copy checkbox.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, FieldCode};

/// At most this many addresses per call (each gets its own e-mail).
pub const MAX_ADDRESSES: usize = 50;

/// What happened to one typed address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AddressStatus {
    Sent,
    /// Not sent: not an address (the field code says why).
    Invalid(FieldCode),
    /// A valid address the relay did not take; worth trying again later.
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressResult {
    /// As typed (lowercased when it was valid).
    pub address: String,
    pub status: AddressStatus,
    /// The sender's own copy ("Send me a copy"), not an invitation.
    pub copy: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteReport {
    /// Invitations sent (the sender's copy not counted).
    pub sent: u32,
    /// Every typed address in order, then the copy.
    pub results: Vec<AddressResult>,
}

/// Whether invitations carry the access code (the owner's choice in the meeting's form).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodeNote {
    NoCode,
    Included,
    /// A code is set but stays out of invitations: they say the organiser gives it separately.
    Separate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationRow {
    pub email: String,
    /// In the viewer's zone.
    pub sent_at: String,
    pub sent_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitations {
    /// Newest first.
    pub rows: Vec<InvitationRow>,
    /// False while the site has no SMTP relay.
    pub mail_ready: bool,
    pub code: CodeNote,
}

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
