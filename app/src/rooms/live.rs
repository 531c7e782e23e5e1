//! The admins' live view (server only): `getMeetings` on every BBB server of the registry, each
//! meeting mapped back to the activity or meeting that owns its room; and ending one.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{
    model::{LiveMeeting, LiveServer},
    ssr::user_error,
};
use crate::{
    entities::{bbb_room, jitsi_server, meeting},
    error::AppError,
    state::AppState,
};

/// Where an admin goes to see what a BBB meeting is in Aula.
async fn aula_link(state: &AppState, meeting_id: &str) -> Result<Option<String>, AppError> {
    let Some(room) = bbb_room::Entity::find()
        .filter(bbb_room::Column::MeetingId.eq(meeting_id))
        .one(&state.db)
        .await?
    else {
        return Ok(None);
    };
    if let Some(a) = room.activity_id {
        return Ok(Some(format!("/activities/{a}")));
    }
    if let Some(m) = room.meeting_ref {
        return Ok(meeting::Entity::find_by_id(m)
            .one(&state.db)
            .await?
            .map(|m| format!("/m/{}", m.public_id)));
    }
    Ok(None)
}

pub async fn live(state: &AppState, tz: &str) -> Result<Vec<LiveServer>, AppError> {
    let mut out = Vec::new();
    let servers = jitsi_server::Entity::find()
        .filter(jitsi_server::Column::Kind.eq("bbb"))
        .all(&state.db)
        .await?;
    for s in servers {
        let bbb = crate::servers::ssr::bbb_server(&s, &state.secrets)?;
        let (error, found) = match state.bbb.meetings(&bbb).await {
            Ok(list) => (None, list),
            Err(e) => match user_error(e) {
                AppError::External(f) => (Some(f), Vec::new()),
                other => return Err(other),
            },
        };
        let mut meetings = Vec::with_capacity(found.len());
        for m in found {
            meetings.push(LiveMeeting {
                aula_link: aula_link(state, &m.meeting_id).await?,
                started: crate::tz::format_local(m.create_time / 1000, tz),
                attendees: m
                    .attendees
                    .attendee
                    .iter()
                    .map(|a| a.full_name.clone())
                    .collect(),
                meeting_id: m.meeting_id,
                name: m.meeting_name,
                running: m.running,
                participants: m.participant_count,
                moderators: m.moderator_count,
            });
        }
        out.push(LiveServer {
            id: s.id,
            name: s.name,
            error,
            meetings,
        });
    }
    Ok(out)
}

pub async fn end_meeting(
    state: &AppState,
    admin: i32,
    server_id: i32,
    meeting_id: &str,
) -> Result<(), AppError> {
    let s = crate::servers::ssr::find(&state.db, server_id).await?;
    if !s.kind.is_bbb() {
        return Err(AppError::NotFound);
    }
    let bbb = crate::servers::ssr::bbb_server(&s, &state.secrets)?;
    state.bbb.end(&bbb, meeting_id).await.map_err(|e| match e {
        bbb::error::BbbError::Failed {
            key: bbb::error::MessageKey::NotFound,
            ..
        } => AppError::NotFound,
        e => user_error(e),
    })?;
    crate::audit::record(
        &state.db,
        Some(admin),
        "bbb_meeting_ended",
        meeting_id,
        &s.name,
    )
    .await
}
