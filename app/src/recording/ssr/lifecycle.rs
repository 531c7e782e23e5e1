//! One recording's life: the switch starts a YouTube broadcast and takes the activity's lock,
//! stopping releases it and makes the video embeddable; a stream the meeting reports failed is
//! cleaned up. What teachers do with recordings afterwards is `library.rs`.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, IntoActiveModel, QueryFilter,
    QuerySelect, Set,
};
use serde_json::Value;

use super::{
    Ctx,
    accounts::{self, Authorized, CallError},
    load_settings,
};
use crate::{
    audit,
    capabilities::{Capability, ssr::ActivityAccess},
    entities::{activity, attendance_interval, recording, recording_lock, user},
    error::AppError,
    recording::{
        google::youtube::{self, BroadcastOptions, YtError},
        model::{LiveRecording, StartedRecording, SwitchState, author_gone, default_title},
    },
    tz,
};

/// The activity whose room the meeting runs in (shared sessions meet in another's room), which
/// owns the lock and the recordings.
pub fn room_owner(a: &activity::Model) -> i32 {
    a.room_source_id.unwrap_or(a.id)
}

/// The last moment (ms) the lock's author was seen in the room: taking the lock, or their latest
/// attendance heartbeat in any activity meeting in that room.
async fn author_last_seen(ctx: &Ctx<'_>, lock: &recording_lock::Model) -> Result<i64, AppError> {
    let rooms: Vec<i32> = activity::Entity::find()
        .filter(
            Condition::any()
                .add(activity::Column::Id.eq(lock.activity_id))
                .add(activity::Column::RoomSourceId.eq(lock.activity_id)),
        )
        .select_only()
        .column(activity::Column::Id)
        .into_tuple()
        .all(ctx.db)
        .await?;
    let seen: Option<i64> = attendance_interval::Entity::find()
        .filter(attendance_interval::Column::UserId.eq(lock.author_id))
        .filter(attendance_interval::Column::ActivityId.is_in(rooms))
        .select_only()
        .column_as(attendance_interval::Column::LastSeenMs.max(), "m")
        .into_tuple::<Option<i64>>()
        .one(ctx.db)
        .await?
        .flatten();
    Ok(seen.unwrap_or(0).max(lock.taken_at * 1000))
}

async fn user_name(ctx: &Ctx<'_>, id: i32) -> Result<String, AppError> {
    Ok(user::Entity::find_by_id(id)
        .one(ctx.db)
        .await?
        .map(|u| u.display_name)
        .unwrap_or_default())
}

pub async fn switch_state(
    ctx: &Ctx<'_>,
    access: &ActivityAccess,
    me: &user::Model,
    now_ms: i64,
) -> Result<SwitchState, AppError> {
    let can_record = access.can(Capability::Record);
    if !can_record {
        return Ok(SwitchState {
            can_record,
            live: None,
        });
    }
    let live = match recording_lock::Entity::find_by_id(room_owner(&access.activity))
        .one(ctx.db)
        .await?
    {
        Some(lock) => {
            let mine = lock.author_id == me.id;
            let seen = author_last_seen(ctx, &lock).await?;
            Some(LiveRecording {
                id: lock.recording_id,
                author: user_name(ctx, lock.author_id).await?,
                mine,
                can_take_over: !mine && author_gone(seen / 1000, now_ms / 1000),
            })
        }
        None => None,
    };
    Ok(SwitchState { can_record, live })
}

/// Creates the broadcast and the stream, binds them, and returns the stream key for the meeting.
/// On any failure the half-made broadcast is deleted and the lock released.
pub async fn start(
    ctx: &Ctx<'_>,
    access: &ActivityAccess,
    me: &user::Model,
    now_ms: i64,
    zone: &str,
) -> Result<StartedRecording, AppError> {
    let owner = room_owner(&access.activity);
    if let Some(lock) = recording_lock::Entity::find_by_id(owner)
        .one(ctx.db)
        .await?
    {
        return Err(AppError::RecordingBusy(
            user_name(ctx, lock.author_id).await?,
        ));
    }
    let settings = load_settings(ctx).await?;
    let account = accounts::in_use(ctx).await?;
    let t = now_ms / 1000;
    let title = default_title(&access.activity.name, &tz::format_local(t, zone));
    let rec = recording::ActiveModel {
        activity_id: Set(Some(owner)),
        account_id: Set(account.id),
        author_id: Set(Some(me.id)),
        broadcast_id: Set(None),
        stream_id: Set(None),
        title: Set(title.clone()),
        status: Set("starting".into()),
        embeddable: Set(0),
        visible: Set(true),
        created_at: Set(t),
        ended_at: Set(None),
        delete_marked_at: Set(None),
        purged_at: Set(None),
        ..Default::default()
    }
    .insert(ctx.db)
    .await?;
    // The primary key on the activity makes this the lock: a second moderator racing us fails here.
    let locked = recording_lock::ActiveModel {
        activity_id: Set(owner),
        recording_id: Set(rec.id),
        author_id: Set(me.id),
        taken_at: Set(t),
    }
    .insert(ctx.db)
    .await;
    if locked.is_err() {
        recording::Entity::delete_by_id(rec.id).exec(ctx.db).await?;
        let author = match recording_lock::Entity::find_by_id(owner)
            .one(ctx.db)
            .await?
        {
            Some(l) => user_name(ctx, l.author_id).await?,
            None => String::new(),
        };
        return Err(AppError::RecordingBusy(author));
    }
    let opts = BroadcastOptions {
        title,
        scheduled_start: chrono::DateTime::<chrono::Utc>::from_timestamp(t, 0)
            .unwrap_or_default()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        latency: settings.latency.as_api().into(),
        made_for_kids: settings.made_for_kids,
    };
    let mut made = Made::default();
    let result = create_broadcast(ctx, account.id, &opts, &mut made).await;
    if settings.round_robin {
        accounts::rotate_from(ctx, account.id, false).await?;
    }
    match result {
        Ok(stream_key) => {
            let mut am = rec.clone().into_active_model();
            am.broadcast_id = Set(made.broadcast.clone());
            am.stream_id = Set(made.stream.clone());
            am.status = Set("live".into());
            am.update(ctx.db).await?;
            audit::record(
                ctx.db,
                Some(me.id),
                "recording.start",
                &access.activity.name,
                made.broadcast.as_deref().unwrap_or(""),
            )
            .await?;
            Ok(StartedRecording {
                id: rec.id,
                stream_key,
                broadcast_id: made.broadcast.unwrap_or_default(),
            })
        }
        Err(e) => {
            let e = AppError::from(e);
            cleanup(ctx, account.id, &made).await;
            recording_lock::Entity::delete_by_id(owner)
                .exec(ctx.db)
                .await?;
            recording::Entity::delete_by_id(rec.id).exec(ctx.db).await?;
            audit::record(
                ctx.db,
                Some(me.id),
                "recording.failed",
                &access.activity.name,
                &format!("{e:?}"),
            )
            .await?;
            Err(e)
        }
    }
}

#[derive(Default)]
pub(super) struct Made {
    broadcast: Option<String>,
    stream: Option<String>,
}

async fn create_broadcast(
    ctx: &Ctx<'_>,
    account_id: i32,
    opts: &BroadcastOptions,
    made: &mut Made,
) -> Result<String, CallError> {
    let mut yt = accounts::authorize(ctx, account_id)
        .await
        .map_err(CallError::App)?;
    let b = yt.call(ctx, &youtube::insert_broadcast(opts)).await?;
    let bid = str_at(&b, "/id")?;
    made.broadcast = Some(bid.clone());
    let s = yt.call(ctx, &youtube::insert_stream(&opts.title)).await?;
    let sid = str_at(&s, "/id")?;
    made.stream = Some(sid.clone());
    let key = str_at(&s, "/cdn/ingestionInfo/streamName")?;
    yt.call(ctx, &youtube::bind(&bid, &sid)).await?;
    Ok(key)
}

fn str_at(v: &Value, pointer: &str) -> Result<String, CallError> {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .ok_or(CallError::Youtube(YtError::Network(format!(
            "answer without {pointer}"
        ))))
}

/// Best effort: deletes what a failed start created on YouTube.
async fn cleanup(ctx: &Ctx<'_>, account_id: i32, made: &Made) {
    let Ok(mut yt) = accounts::authorize(ctx, account_id).await else {
        return;
    };
    if let Some(b) = &made.broadcast
        && let Err(e) = yt.call(ctx, &youtube::delete_broadcast(b)).await
    {
        tracing::warn!("could not delete half-made broadcast: {e:?}");
    }
    if let Some(s) = &made.stream
        && let Err(e) = yt.call(ctx, &youtube::delete_stream(s)).await
    {
        tracing::warn!("could not delete half-made stream: {e:?}");
    }
}

/// Reads a video's whole `part`, lets `change` edit it, and writes the whole part back (YouTube
/// replaces the part it is sent, so sending only the changed field would drop the others).
pub(super) async fn edit_part(
    ctx: &Ctx<'_>,
    yt: &mut Authorized,
    video: &str,
    part: &'static str,
    change: impl FnOnce(&mut serde_json::Map<String, Value>),
) -> Result<(), CallError> {
    let list = yt.call(ctx, &youtube::get_video(video, part)).await?;
    let Some(Value::Object(mut p)) = youtube::video_part(&list, part) else {
        return Err(CallError::Youtube(YtError::NotFound));
    };
    change(&mut p);
    yt.call(ctx, &youtube::update_video(video, part, Value::Object(p)))
        .await?;
    Ok(())
}

/// Stops the recording. The author may always stop; another holder of `record` only once the
/// author has been gone for a minute (taking it over).
pub async fn stop(
    ctx: &Ctx<'_>,
    access: &ActivityAccess,
    me: &user::Model,
    now_ms: i64,
) -> Result<(), AppError> {
    let owner = room_owner(&access.activity);
    let Some(lock) = recording_lock::Entity::find_by_id(owner)
        .one(ctx.db)
        .await?
    else {
        return Ok(());
    };
    let takeover = lock.author_id != me.id;
    if takeover && !author_gone(author_last_seen(ctx, &lock).await? / 1000, now_ms / 1000) {
        return Err(AppError::RecordingBusy(
            user_name(ctx, lock.author_id).await?,
        ));
    }
    recording_lock::Entity::delete_by_id(owner)
        .exec(ctx.db)
        .await?;
    let Some(rec) = recording::Entity::find_by_id(lock.recording_id)
        .one(ctx.db)
        .await?
    else {
        return Ok(());
    };
    let embeddable = match &rec.broadcast_id {
        Some(video) => match make_embeddable(ctx, rec.account_id, video).await {
            Ok(()) => 1,
            Err(e) => {
                tracing::warn!(
                    recording = rec.id,
                    "could not make the video embeddable: {e:?}"
                );
                -1
            }
        },
        None => 0,
    };
    let mut am = rec.into_active_model();
    am.status = Set("ended".into());
    am.ended_at = Set(Some(now_ms / 1000));
    am.embeddable = Set(embeddable);
    am.update(ctx.db).await?;
    let detail = if takeover { "taken over" } else { "" };
    audit::record(
        ctx.db,
        Some(me.id),
        "recording.stop",
        &access.activity.name,
        detail,
    )
    .await
}

pub(super) async fn make_embeddable(
    ctx: &Ctx<'_>,
    account_id: i32,
    video: &str,
) -> Result<(), CallError> {
    let mut yt = accounts::authorize(ctx, account_id)
        .await
        .map_err(CallError::App)?;
    edit_part(ctx, &mut yt, video, "status", |s| {
        s.insert("embeddable".into(), Value::Bool(true));
    })
    .await
}

/// The meeting reported that the stream failed: delete the broadcast, release the lock.
pub async fn fail(
    ctx: &Ctx<'_>,
    access: &ActivityAccess,
    me: &user::Model,
    recording_id: i32,
) -> Result<(), AppError> {
    let owner = room_owner(&access.activity);
    let rec = recording::Entity::find_by_id(recording_id)
        .one(ctx.db)
        .await?
        .filter(|r| r.activity_id == Some(owner) && r.status != "ended")
        .ok_or(AppError::NotFound)?;
    recording_lock::Entity::delete_many()
        .filter(recording_lock::Column::ActivityId.eq(owner))
        .filter(recording_lock::Column::RecordingId.eq(recording_id))
        .exec(ctx.db)
        .await?;
    cleanup(
        ctx,
        rec.account_id,
        &Made {
            broadcast: rec.broadcast_id.clone(),
            stream: rec.stream_id.clone(),
        },
    )
    .await;
    recording::Entity::delete_by_id(rec.id).exec(ctx.db).await?;
    audit::record(
        ctx.db,
        Some(me.id),
        "recording.failed",
        &access.activity.name,
        "the meeting could not stream",
    )
    .await
}
