//! "My meetings" (server only): the personal room every user can set up with one button, and the
//! list of meetings they own or co-own. Listing never writes: a page load (a GET) changes nothing.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use super::{
    PERSONAL_NAME, bbb_servers, next_session, owners, random_public_id, recurrence_of, url_of,
};
use crate::{
    clock::now,
    entities::{meeting, meeting_owner, user},
    error::AppError,
    meetings::{
        model::{Access, GuestPolicy, MeetingList, MeetingRow},
        occurrences::next_occurrence,
    },
};

/// The user's personal room, if they have set it up.
async fn personal_room(
    db: &DatabaseConnection,
    user_id: i32,
) -> Result<Option<meeting::Model>, AppError> {
    Ok(meeting::Entity::find()
        .filter(meeting::Column::OwnerId.eq(user_id))
        .filter(meeting::Column::IsPersonal.eq(true))
        .order_by_asc(meeting::Column::Id)
        .one(db)
        .await?)
}

/// Sets up the user's personal room (the "Set up my personal room" button), on the first
/// BigBlueButton server; the existing one if they already have it. None while there is no
/// BigBlueButton server to hold it.
pub async fn ensure_personal_room(
    db: &DatabaseConnection,
    u: &user::Model,
    tz_name: &str,
) -> Result<Option<meeting::Model>, AppError> {
    if let Some(m) = personal_room(db, u.id).await? {
        return Ok(Some(m));
    }
    let Some(server) = bbb_servers(db).await?.into_iter().next() else {
        return Ok(None);
    };
    let t = now();
    let mine = meeting::ActiveModel {
        public_id: Set(random_public_id()),
        owner_id: Set(u.id),
        name: Set(PERSONAL_NAME.into()),
        welcome: Set(String::new()),
        is_personal: Set(true),
        server_id: Set(server.id),
        starts_at: Set(t - t % 3600),
        duration_minutes: Set(60),
        time_zone: Set(tz_name.into()),
        recurrence: Set(None),
        access: Set(Access::Users),
        access_code_enc: Set(None),
        code_in_invitations: Set(false),
        guest_policy: Set(GuestPolicy::AlwaysAccept),
        max_duration_minutes: Set(0),
        record: Set(false),
        auto_start_recording: Set(false),
        allow_start_stop_recording: Set(true),
        slides_name: Set(None),
        slides_path: Set(None),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(db)
    .await?;
    // Two clicks at once (two tabs) may both insert: the older row wins, ours goes.
    let first = personal_room(db, u.id).await?;
    match first {
        Some(f) if f.id != mine.id => {
            meeting::Entity::delete_by_id(mine.id).exec(db).await?;
            Ok(Some(f))
        }
        _ => Ok(Some(mine)),
    }
}

/// "My meetings": the personal room first, then owned and co-owned meetings by next session
/// (series that are over last).
pub async fn list_mine(
    db: &DatabaseConnection,
    u: &user::Model,
    zone: &str,
    public_url: &str,
) -> Result<MeetingList, AppError> {
    let bbb_ready = !bbb_servers(db).await?.is_empty();
    let co_owned: Vec<i32> = meeting_owner::Entity::find()
        .filter(meeting_owner::Column::UserId.eq(u.id))
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.meeting_id)
        .collect();
    let meetings = meeting::Entity::find()
        .filter(
            Condition::any()
                .add(meeting::Column::OwnerId.eq(u.id))
                .add(meeting::Column::Id.is_in(co_owned)),
        )
        .all(db)
        .await?;
    let owner_names = owners::names_of(db, meetings.iter().map(|m| m.owner_id)).await?;
    let t = now();
    let mut keyed: Vec<(bool, Option<i64>, MeetingRow)> = meetings
        .into_iter()
        .map(|m| {
            let rule = recurrence_of(&m);
            let next = next_occurrence(
                m.starts_at,
                i64::from(m.duration_minutes) * 60,
                &m.time_zone,
                rule.as_ref(),
                t,
            );
            let row = MeetingRow {
                id: m.id,
                url: url_of(public_url, &m.public_id),
                name: if m.is_personal {
                    String::new()
                } else {
                    m.name.clone()
                },
                is_owner: m.owner_id == u.id,
                owner_name: owner_names.get(&m.owner_id).cloned().unwrap_or_default(),
                next_session: next_session(&m, zone, t),
                recurring: rule.is_some(),
                access: m.access,
                public_id: m.public_id,
                is_personal: m.is_personal,
            };
            (!m.is_personal, next.filter(|_| !m.is_personal), row)
        })
        .collect();
    keyed.sort_by(|a, b| {
        (a.0, a.1.is_none(), a.1, &a.2.name).cmp(&(b.0, b.1.is_none(), b.1, &b.2.name))
    });
    Ok(MeetingList {
        offers: owners::offers_for(db, u).await?,
        bbb_ready,
        rows: keyed.into_iter().map(|(_, _, r)| r).collect(),
    })
}
