//! Room services over the database and the BBB client (server only).

use hmac::{Hmac, Mac};
use rand::{Rng, distributions::Alphanumeric};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, Set,
};
use sha2::Sha256;

use crate::{
    clock::now,
    entities::{bbb_join, bbb_room, jitsi_server},
    error::{AppError, ExternalFailure},
    state::AppState,
};
use bbb::{
    client::{BbbClient, BbbServer, CreateMeeting, JoinAs},
    error::{BbbError, MessageKey},
};

/// Whose room it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Activity(i32),
    Meeting(i32),
}

impl Owner {
    fn filter(self) -> sea_orm::sea_query::SimpleExpr {
        match self {
            Owner::Activity(id) => bbb_room::Column::ActivityId.eq(id),
            Owner::Meeting(id) => bbb_room::Column::MeetingRef.eq(id),
        }
    }
}

/// What a BBB failure means for the person who clicked "Join", in words they can act on.
pub fn user_error(e: BbbError) -> AppError {
    let failure = match &e {
        BbbError::Timeout => ExternalFailure::BbbTimeout,
        BbbError::Unreachable(_) | BbbError::BadResponse => ExternalFailure::BbbUnavailable,
        BbbError::Failed { key, .. } => match key {
            MessageKey::ChecksumError => ExternalFailure::BbbChecksum,
            MessageKey::MaxParticipantsReached => ExternalFailure::BbbFull,
            _ => ExternalFailure::BbbRefused,
        },
    };
    tracing::warn!("BigBlueButton: {e}");
    AppError::External(failure)
}

/// A new BBB `meetingID`: 40 random alphanumerics, as Greenlight does.
fn random_meeting_id() -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(40)
        .map(char::from)
        .collect()
}

/// The live room of `owner`, if one was ever created.
pub async fn room_of(
    db: &impl ConnectionTrait,
    owner: Owner,
) -> Result<Option<bbb_room::Model>, AppError> {
    Ok(bbb_room::Entity::find()
        .filter(owner.filter())
        .filter(bbb_room::Column::DeletedAt.is_null())
        .one(db)
        .await?)
}

/// The room of `owner` on `server_id`, created on first use. Moving an owner to another server
/// keeps its `meetingID` (recordings stay findable) but forgets the old `createTime`.
pub async fn room_for(
    db: &DatabaseConnection,
    owner: Owner,
    server_id: i32,
) -> Result<bbb_room::Model, AppError> {
    if let Some(r) = room_of(db, owner).await? {
        if r.server_id == server_id {
            return Ok(r);
        }
        let mut am = r.into_active_model();
        am.server_id = Set(server_id);
        am.create_time = Set(None);
        return Ok(am.update(db).await?);
    }
    let (activity_id, meeting_ref) = match owner {
        Owner::Activity(id) => (Some(id), None),
        Owner::Meeting(id) => (None, Some(id)),
    };
    let inserted = bbb_room::ActiveModel {
        meeting_id: Set(random_meeting_id()),
        activity_id: Set(activity_id),
        meeting_ref: Set(meeting_ref),
        server_id: Set(server_id),
        create_time: Set(None),
        created_at: Set(now()),
        deleted_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await;
    match inserted {
        Ok(r) => Ok(r),
        // Two first joins raced: the other one's row wins (the owner column is unique).
        Err(e) => room_of(db, owner)
            .await?
            .ok_or_else(|| AppError::internal(e)),
    }
}

pub async fn by_meeting_id(
    db: &impl ConnectionTrait,
    meeting_id: &str,
) -> Result<Option<bbb_room::Model>, AppError> {
    Ok(bbb_room::Entity::find()
        .filter(bbb_room::Column::MeetingId.eq(meeting_id))
        .one(db)
        .await?)
}

/// Marks the owner's room deleted (call in the owner's delete transaction). The row stays so
/// callbacks for it are answered 410; the owner column is cleared so the id may be reused.
pub async fn tombstone(db: &impl ConnectionTrait, owner: Owner) -> Result<(), AppError> {
    if let Some(r) = room_of(db, owner).await? {
        let mut am = r.into_active_model();
        am.deleted_at = Set(Some(now()));
        am.activity_id = Set(None);
        am.meeting_ref = Set(None);
        am.update(db).await?;
    }
    Ok(())
}

/// The BBB server a room runs on, decrypted.
pub async fn server_of(
    state: &AppState,
    room: &bbb_room::Model,
) -> Result<(jitsi_server::Model, BbbServer), AppError> {
    let model = crate::servers::ssr::find(&state.db, room.server_id).await?;
    let server = crate::servers::ssr::bbb_server(&model, &state.secrets)?;
    Ok((model, server))
}

/// The settings a room is created with (BBB applies them when the meeting starts).
#[derive(Debug, Clone, Default)]
pub struct StartOptions {
    pub name: String,
    pub welcome: Option<String>,
    pub record: bool,
    pub auto_start_recording: bool,
    pub allow_start_stop_recording: bool,
    /// Minutes; 0 is no limit.
    pub duration: u32,
    /// `ALWAYS_ACCEPT` or `ASK_MODERATOR`.
    pub guest_policy: Option<String>,
    /// Where people land when they leave (the activity or meeting page).
    pub return_path: String,
    /// `bbb-context-name`: the course or "Meetings".
    pub context: String,
    /// Slides BBB opens with: (file name, bytes).
    pub slides: Option<(String, Vec<u8>)>,
}

/// The HMAC that authenticates BBB's end-of-meeting callback (BBB does not sign it itself).
pub fn end_signature(state: &AppState, meeting_id: &str) -> String {
    let key = state.secrets.derive_key("bbb-end-callback");
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&key) else {
        return String::new();
    };
    mac.update(meeting_id.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The `meta_` parameters that bring BBB's callbacks back to this Aula: recording ready
/// (JWT-signed by BBB), analytics (HS512 bearer) and the end of the meeting (our own HMAC).
pub fn callback_meta(state: &AppState, meeting_id: &str, context: &str) -> Vec<(String, String)> {
    let base = state.settings.public_url.trim_end_matches('/');
    vec![
        ("bbb-origin".into(), "Aula".into()),
        ("bbb-origin-server-name".into(), host_of(base).into()),
        ("bbb-context-name".into(), context.into()),
        (
            "bbb-recording-ready-url".into(),
            format!("{base}/bbb/recording-ready"),
        ),
        (
            "analytics-callback-url".into(),
            format!("{base}/bbb/analytics"),
        ),
        (
            "endCallbackUrl".into(),
            format!(
                "{base}/bbb/ended/{meeting_id}?sig={}",
                end_signature(state, meeting_id)
            ),
        ),
    ]
}

fn host_of(url: &str) -> &str {
    url.split("://")
        .nth(1)
        .unwrap_or(url)
        .split('/')
        .next()
        .unwrap_or_default()
}

/// Creates the BBB meeting (idempotent: a running meeting answers with its existing
/// `createTime`) and remembers its `createTime` for joins.
pub async fn start(
    state: &AppState,
    room: &bbb_room::Model,
    server: &BbbServer,
    o: StartOptions,
) -> Result<i64, AppError> {
    let base = state.settings.public_url.trim_end_matches('/');
    let create = CreateMeeting {
        meeting_id: room.meeting_id.clone(),
        name: o.name,
        welcome: o.welcome.filter(|w| !w.trim().is_empty()),
        record: o.record,
        auto_start_recording: o.record && o.auto_start_recording,
        allow_start_stop_recording: o.allow_start_stop_recording,
        duration: o.duration,
        guest_policy: o.guest_policy,
        logout_url: Some(format!("{base}{}", o.return_path)),
        meta: callback_meta(state, &room.meeting_id, &o.context),
        // BBB writes the analytics report (attendance) only for meetings that keep events.
        meeting_keep_events: true,
        slides: o
            .slides
            .map(|(filename, bytes)| bbb::create::Slides { filename, bytes }),
        ..Default::default()
    };
    let created = match state.bbb.create(server, &create).await {
        Ok(c) => c.create_time,
        // Scalelite answers a duplicate create of a running meeting this way: it is running.
        Err(BbbError::Failed {
            key: MessageKey::IdNotUnique,
            ..
        }) => {
            state
                .bbb
                .meeting_info(server, &room.meeting_id)
                .await
                .map_err(user_error)?
                .create_time
        }
        Err(e) => return Err(user_error(e)),
    };
    if room.create_time != Some(created) {
        bbb_room::Entity::update_many()
            .col_expr(bbb_room::Column::CreateTime, created.into())
            .filter(bbb_room::Column::Id.eq(room.id))
            .exec(&state.db)
            .await?;
    }
    Ok(created)
}

/// The `createTime` of the room's running meeting, or `None` when it is not running.
pub async fn running(
    state: &AppState,
    room: &bbb_room::Model,
    server: &BbbServer,
) -> Result<Option<i64>, AppError> {
    match state.bbb.meeting_info(server, &room.meeting_id).await {
        Ok(info) if info.running || info.create_time > 0 => Ok(Some(info.create_time)),
        Ok(_) => Ok(None),
        Err(BbbError::Failed {
            key: MessageKey::NotFound,
            ..
        }) => Ok(None),
        Err(e) => Err(user_error(e)),
    }
}

/// Who enters, decided on the server.
#[derive(Debug, Clone)]
pub struct Entrant {
    pub user_id: Option<i32>,
    /// `userID` for BBB: the Aula user id, or `guest:<key>`; analytics report it back.
    pub external_id: String,
    pub name: String,
    pub avatar_url: Option<String>,
    pub moderator: bool,
    pub guest: bool,
}

/// The signed join URL for `who`, and a line in the room's join log.
pub async fn join_url(
    db: &DatabaseConnection,
    room: &bbb_room::Model,
    server: &BbbServer,
    create_time: i64,
    who: Entrant,
) -> Result<String, AppError> {
    let url = BbbClient::join_url(
        server,
        &JoinAs {
            meeting_id: room.meeting_id.clone(),
            full_name: who.name.clone(),
            moderator: who.moderator,
            user_id: who.external_id,
            avatar_url: who.avatar_url,
            create_time,
            guest: who.guest,
        },
    );
    bbb_join::ActiveModel {
        room_id: Set(room.id),
        user_id: Set(who.user_id),
        name: Set(who.name.chars().take(255).collect()),
        moderator: Set(who.moderator),
        guest: Set(who.guest),
        create_time: Set(create_time),
        joined_at: Set(now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meeting_ids_are_random_forty_character_tokens() {
        let a = random_meeting_id();
        assert_eq!(a.len(), 40);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, random_meeting_id());
    }

    #[test]
    fn failures_become_messages_a_user_can_act_on() {
        let failed = |key| BbbError::Failed {
            key,
            message: "x".into(),
        };
        assert_eq!(
            user_error(failed(MessageKey::ChecksumError)),
            AppError::External(ExternalFailure::BbbChecksum)
        );
        assert_eq!(
            user_error(failed(MessageKey::MaxParticipantsReached)),
            AppError::External(ExternalFailure::BbbFull)
        );
        assert_eq!(
            user_error(BbbError::Timeout),
            AppError::External(ExternalFailure::BbbTimeout)
        );
        assert_eq!(
            user_error(BbbError::Unreachable("x".into())),
            AppError::External(ExternalFailure::BbbUnavailable)
        );
    }

    #[test]
    fn the_origin_server_name_is_the_host_of_the_public_url() {
        assert_eq!(host_of("https://aula.uni.example/x"), "aula.uni.example");
        assert_eq!(host_of("http://127.0.0.1:3000"), "127.0.0.1:3000");
    }
}
