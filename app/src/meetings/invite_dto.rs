//! What the invite panel and the server exchange about e-mail invitations (browser-safe).

use serde::{Deserialize, Serialize};

use crate::error::FieldCode;

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
