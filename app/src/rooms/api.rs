//! Admins' view of live BigBlueButton meetings across every BBB server, and ending one.

use leptos::prelude::*;

use super::model::LiveServer;
use crate::error::AppError;

#[server(endpoint = "admin/live")]
pub async fn list_live_meetings() -> Result<Vec<LiveServer>, AppError> {
    use crate::request::{Respond, require_admin};
    async {
        let c = require_admin().await?;
        super::live::live(&c.state, &c.tz()).await
    }
    .await
    .respond()
}

/// Ends a running meeting on a BBB server of the registry (site administrators only).
#[server(endpoint = "admin/live/end")]
pub async fn end_live_meeting(server_id: i32, meeting_id: String) -> Result<(), AppError> {
    use crate::request::{Respond, require_admin};
    async {
        let c = require_admin().await?;
        super::live::end_meeting(&c.state, c.user.id, server_id, &meeting_id).await
    }
    .await
    .respond()
}
