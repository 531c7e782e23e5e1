//! Course activities on BigBlueButton (server only): the join ticket is the signed BBB join URL
//! the browser goes to. Who moderates follows the same capability as on Jitsi (`moderation`);
//! the `userID` is the Aula user id (or `guest:<key>`), so BBB's analytics map back to people.

use super::{dto::JoinTicket, model::Identity};
use crate::{
    entities::{activity, course, jitsi_server},
    error::AppError,
    rooms::ssr::{self as rooms, Entrant, Owner, StartOptions},
    state::AppState,
};

/// Starts the room if needed (idempotent) and returns a ticket that redirects into it.
/// `room` is the activity whose room this one meets in (itself, or a shared session's source).
pub async fn ticket(
    state: &AppState,
    a: &activity::Model,
    room_activity: &activity::Model,
    server: &jitsi_server::Model,
    who: Identity,
    lang: &str,
) -> Result<JoinTicket, AppError> {
    use sea_orm::EntityTrait;
    let bbb = crate::servers::ssr::bbb_server(server, &state.secrets)?;
    let room = rooms::room_for(&state.db, Owner::Activity(room_activity.id), server.id).await?;
    let context = course::Entity::find_by_id(room_activity.course_id)
        .one(&state.db)
        .await?
        .map(|c| c.name)
        .unwrap_or_default();
    let create_time = rooms::start(
        state,
        &room,
        &bbb,
        StartOptions {
            name: room_activity.name.clone(),
            welcome: Some(room_activity.description.clone()),
            // Moderators may record (BBB shows the button to moderators only).
            record: true,
            auto_start_recording: false,
            allow_start_stop_recording: true,
            duration: 0,
            // Guests arrive through links Aula already checked: no second lobby.
            guest_policy: Some("ALWAYS_ACCEPT".into()),
            return_path: format!("/activities/{}", a.id),
            context,
            slides: None,
        },
    )
    .await?;
    let guest = who.id.starts_with("guest:");
    let url = rooms::join_url(
        &state.db,
        &room,
        &bbb,
        create_time,
        Entrant {
            user_id: who.id.parse().ok(),
            external_id: who.id.clone(),
            name: who.name.clone(),
            avatar_url: who.avatar.clone(),
            moderator: who.moderator && !guest,
            guest,
        },
    )
    .await?;
    Ok(JoinTicket {
        domain: String::new(),
        no_ssl: false,
        script_url: String::new(),
        room_name: room.meeting_id,
        display_name: who.name,
        email: who.email,
        avatar_url: who.avatar,
        lang: lang.to_owned(),
        subject: a.name.clone(),
        moderator: who.moderator && !guest,
        jwt: None,
        redirect_url: Some(url),
    })
}
