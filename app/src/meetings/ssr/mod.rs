//! Meeting services over the database (server only): the personal room, "my meetings", create,
//! update and delete, and who the caller is to a meeting. Co-owners and courses are in `owners`,
//! entering the meeting in `join`, the stored slides in `slides`.
//!
//! A meeting's BigBlueButton `meetingID` is its room's (`rooms::room_for`, random, made on the
//! first start), never derived from the name, so renaming a meeting keeps its recordings.

pub mod join;
mod mine;
pub mod owners;
pub mod slides;

pub use mine::{ensure_personal_room, list_mine};

use rand::{Rng, distributions::Alphanumeric};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    Set,
};

use super::{
    access::Standing,
    model::{Access, Choice, PUBLIC_ID_LEN, ValidMeeting},
    occurrences::next_occurrence,
    rule::Recurrence,
};
use crate::{
    clock::now,
    entities::{jitsi_server, meeting, meeting_course, meeting_owner, user},
    error::{AppError, ConflictReason, FieldCode},
    rooms::ssr::{self as rooms, Owner},
    tz,
};

/// The stored name of personal rooms; pages show it translated.
pub const PERSONAL_NAME: &str = "Personal room";

fn random_public_id() -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(PUBLIC_ID_LEN)
        .map(char::from)
        .collect()
}

/// The link people open to join.
pub fn url_of(public_url: &str, public_id: &str) -> String {
    format!("{}/m/{public_id}", public_url.trim_end_matches('/'))
}

/// A meeting's recurrence rule. The column holds the rule as JSON; `Recurrence::encode`'s short
/// form is read too, so either writer's rows stay readable.
pub fn recurrence_of(m: &meeting::Model) -> Option<Recurrence> {
    let raw = m.recurrence.as_deref()?;
    serde_json::from_str::<Recurrence>(raw)
        .ok()
        .filter(|r| r.check().is_ok())
        .or_else(|| Recurrence::decode(raw))
}

/// The running or next session of a meeting, in `zone`; None for personal rooms (always open)
/// and for series that are over.
pub fn next_session(m: &meeting::Model, zone: &str, at: i64) -> Option<String> {
    if m.is_personal {
        return None;
    }
    let rule = recurrence_of(m);
    next_occurrence(
        m.starts_at,
        i64::from(m.duration_minutes) * 60,
        &m.time_zone,
        rule.as_ref(),
        at,
    )
    .map(|t| tz::format_local(t, zone))
}

/// BigBlueButton servers, the site default first when it is one.
pub async fn bbb_servers(db: &DatabaseConnection) -> Result<Vec<jitsi_server::Model>, AppError> {
    Ok(crate::servers::ssr::servers(db)
        .await?
        .into_iter()
        .filter(|s| s.kind.is_bbb())
        .collect())
}

pub fn server_choices(list: &[jitsi_server::Model]) -> Vec<Choice> {
    list.iter()
        .map(|s| Choice {
            id: s.id,
            name: s.name.clone(),
        })
        .collect()
}

async fn check_server(db: &DatabaseConnection, server_id: i32) -> Result<(), AppError> {
    if bbb_servers(db).await?.iter().any(|s| s.id == server_id) {
        Ok(())
    } else {
        Err(AppError::invalid("server_id", FieldCode::InvalidChoice))
    }
}

pub async fn find(db: &DatabaseConnection, id: i32) -> Result<meeting::Model, AppError> {
    meeting::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn find_public(
    db: &DatabaseConnection,
    public_id: &str,
) -> Result<meeting::Model, AppError> {
    // Anything that is not a generated id is not looked up at all.
    if public_id.len() != PUBLIC_ID_LEN || !public_id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(AppError::NotFound);
    }
    meeting::Entity::find()
        .filter(meeting::Column::PublicId.eq(public_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Who the caller is to this meeting, from the database alone.
pub async fn standing(
    db: &DatabaseConnection,
    m: &meeting::Model,
    caller: Option<&user::Model>,
) -> Result<Standing, AppError> {
    let Some(u) = caller else {
        return Ok(Standing::Anonymous);
    };
    if u.id == m.owner_id {
        return Ok(Standing::Owner);
    }
    if owners::is_co_owner(db, m.id, u.id).await? {
        return Ok(Standing::CoOwner);
    }
    if u.is_admin {
        return Ok(Standing::Admin);
    }
    let member = m.access == Access::Courses && owners::in_meeting_courses(db, m.id, u.id).await?;
    Ok(Standing::SignedIn { member })
}

/// The meeting, if the caller owns, co-owns or administers it (edit, start, slides); else 403.
pub async fn require_owner(
    db: &DatabaseConnection,
    u: &user::Model,
    meeting_id: i32,
) -> Result<(meeting::Model, Standing), AppError> {
    let m = find(db, meeting_id).await?;
    let s = standing(db, &m, Some(u)).await?;
    if s.is_owner() {
        Ok((m, s))
    } else {
        Err(AppError::Forbidden)
    }
}

/// The meeting, if the caller is its owner or an admin (delete, co-owners); else 403.
pub async fn require_primary(
    db: &DatabaseConnection,
    u: &user::Model,
    meeting_id: i32,
) -> Result<meeting::Model, AppError> {
    let (m, s) = require_owner(db, u, meeting_id).await?;
    if s.is_primary() {
        Ok(m)
    } else {
        Err(AppError::Forbidden)
    }
}

fn apply(am: &mut meeting::ActiveModel, v: &ValidMeeting, code_enc: Option<String>) {
    am.name = Set(v.name.clone());
    am.welcome = Set(v.welcome.clone());
    am.starts_at = Set(v.starts_at);
    am.duration_minutes = Set(v.duration_minutes);
    am.recurrence = Set(v
        .recurrence
        .as_ref()
        .and_then(|r| serde_json::to_string(r).ok()));
    am.access = Set(v.access);
    am.access_code_enc = Set(code_enc);
    am.code_in_invitations = Set(v.code_in_invitations);
    am.guest_policy = Set(v.guest_policy);
    am.max_duration_minutes = Set(v.max_duration_minutes);
    am.record = Set(v.record);
    am.auto_start_recording = Set(v.auto_start_recording);
    am.allow_start_stop_recording = Set(v.allow_start_stop_recording);
    am.updated_at = Set(now());
}

/// Creates a meeting owned by `owner`, its series kept in `tz_name`.
#[tracing::instrument(skip_all)]
pub async fn create(
    db: &DatabaseConnection,
    secrets: &crate::crypto::SecretBox,
    owner: &user::Model,
    v: ValidMeeting,
    server_id: i32,
    tz_name: &str,
) -> Result<meeting::Model, AppError> {
    if bbb_servers(db).await?.is_empty() {
        return Err(AppError::Conflict(ConflictReason::NotConfigured));
    }
    check_server(db, server_id).await?;
    owners::check_courses(db, owner, &v.course_ids, &[]).await?;
    let t = now();
    let mut am = meeting::ActiveModel {
        public_id: Set(random_public_id()),
        owner_id: Set(owner.id),
        is_personal: Set(false),
        server_id: Set(server_id),
        time_zone: Set(tz_name.into()),
        slides_name: Set(None),
        slides_path: Set(None),
        created_at: Set(t),
        ..Default::default()
    };
    apply(
        &mut am,
        &v,
        v.access_code.as_deref().map(|c| secrets.encrypt(c)),
    );
    let txn = crate::txn::begin_write(db).await?;
    let m = am.insert(&txn).await?;
    owners::set_courses(&txn, m.id, &v.course_ids).await?;
    txn.commit().await?;
    Ok(m)
}

/// Saves the form over an existing meeting. A personal room keeps its name and schedule.
#[tracing::instrument(skip_all)]
pub async fn update(
    db: &DatabaseConnection,
    secrets: &crate::crypto::SecretBox,
    editor: &user::Model,
    m: meeting::Model,
    mut v: ValidMeeting,
    server_id: i32,
) -> Result<meeting::Model, AppError> {
    check_server(db, server_id).await?;
    let current = owners::course_ids(db, m.id).await?;
    owners::check_courses(db, editor, &v.course_ids, &current).await?;
    if m.is_personal {
        v.name = m.name.clone();
        v.starts_at = m.starts_at;
        v.duration_minutes = m.duration_minutes;
        v.recurrence = None;
    }
    let code_enc = v.access_code.as_deref().map(|c| secrets.encrypt(c));
    let id = m.id;
    let mut am = m.into_active_model();
    apply(&mut am, &v, code_enc);
    am.server_id = Set(server_id);
    let txn = crate::txn::begin_write(db).await?;
    let saved = am.update(&txn).await?;
    owners::set_courses(&txn, id, &v.course_ids).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Deletes a meeting (never a personal room). Its room becomes a tombstone in the same
/// transaction, so BBB's late callbacks for it are answered 410; the slides file goes after.
#[tracing::instrument(skip_all)]
pub async fn delete(
    db: &DatabaseConnection,
    data_dir: &std::path::Path,
    m: meeting::Model,
) -> Result<(), AppError> {
    if m.is_personal {
        return Err(AppError::Forbidden);
    }
    let txn = crate::txn::begin_write(db).await?;
    rooms::tombstone(&txn, Owner::Meeting(m.id)).await?;
    meeting_course::Entity::delete_many()
        .filter(meeting_course::Column::MeetingId.eq(m.id))
        .exec(&txn)
        .await?;
    meeting_owner::Entity::delete_many()
        .filter(meeting_owner::Column::MeetingId.eq(m.id))
        .exec(&txn)
        .await?;
    meeting::Entity::delete_by_id(m.id).exec(&txn).await?;
    txn.commit().await?;
    slides::remove_file(data_dir, m.slides_path.as_deref()).await;
    Ok(())
}
