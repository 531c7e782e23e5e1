//! The retention job: deletes from YouTube, oldest mark first and in bounded batches, the videos
//! no activity shows any more, once the retention period after the deletion mark has passed.
//! Safe with several replicas: a lease in the database lets one run at a time, and each video is
//! claimed with a conditional update before it is deleted, so no video is deleted twice.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
    sea_query::{Expr, ExprTrait},
};

use super::{Ctx, accounts, library, lifecycle, load_settings};
use crate::{
    audit,
    clock::now,
    entities::{activity, job_lease, recording},
    error::AppError,
    recording::{
        google::youtube::{self, YtError},
        model::{QueueRow, purge_due_at},
    },
    tz,
};

pub const RETENTION_JOB: &str = "recording_retention";

/// Takes (or renews) the named lease for `ttl_secs`. True when `holder` now holds it.
pub async fn take_lease(
    db: &DatabaseConnection,
    name: &str,
    holder: &str,
    ttl_secs: i64,
) -> Result<bool, AppError> {
    let t = now();
    let res = job_lease::Entity::update_many()
        .col_expr(job_lease::Column::Holder, Expr::value(holder))
        .col_expr(job_lease::Column::ExpiresAt, Expr::value(t + ttl_secs))
        .col_expr(
            job_lease::Column::Generation,
            Expr::col(job_lease::Column::Generation).add(1),
        )
        .filter(job_lease::Column::Name.eq(name))
        .filter(
            job_lease::Column::ExpiresAt
                .lt(t)
                .or(job_lease::Column::Holder.eq(holder)),
        )
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

pub async fn release_lease(
    db: &DatabaseConnection,
    name: &str,
    holder: &str,
) -> Result<(), AppError> {
    job_lease::Entity::update_many()
        .col_expr(job_lease::Column::ExpiresAt, Expr::value(0i64))
        .filter(job_lease::Column::Name.eq(name))
        .filter(job_lease::Column::Holder.eq(holder))
        .exec(db)
        .await?;
    Ok(())
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PurgeReport {
    /// False when another runner held the lease.
    pub ran: bool,
    pub deleted: Vec<i32>,
    pub failed: Vec<i32>,
    /// Ended recordings YouTube would not make embeddable at stop time, made embeddable now.
    pub embedded: Vec<i32>,
}

/// One run of the job.
pub async fn run(ctx: &Ctx<'_>, holder: &str) -> Result<PurgeReport, AppError> {
    if !take_lease(ctx.db, RETENTION_JOB, holder, 600).await? {
        return Ok(PurgeReport::default());
    }
    let result = purge_due(ctx).await;
    release_lease(ctx.db, RETENTION_JOB, holder).await?;
    result
}

async fn purge_due(ctx: &Ctx<'_>) -> Result<PurgeReport, AppError> {
    let s = load_settings(ctx).await?;
    let cutoff = now() - i64::from(s.retention_days) * 86_400;
    let due = recording::Entity::find()
        .filter(recording::Column::DeleteMarkedAt.lte(cutoff))
        .filter(recording::Column::PurgedAt.is_null())
        .order_by_asc(recording::Column::DeleteMarkedAt)
        .order_by_asc(recording::Column::Id)
        .limit(u64::from(s.purge_batch))
        .all(ctx.db)
        .await?;
    let mut report = PurgeReport {
        ran: true,
        ..PurgeReport::default()
    };
    for r in due {
        match purge_one(ctx, &r, None).await {
            Ok(true) => report.deleted.push(r.id),
            Ok(false) => {}
            Err(e) => {
                tracing::warn!(
                    recording = r.id,
                    "retention could not delete the video: {e:?}"
                );
                report.failed.push(r.id);
            }
        }
    }
    report.embedded = retry_embeddable(ctx, u64::from(s.purge_batch)).await?;
    // Old, abandoned authorization flows go too.
    crate::entities::oauth_flow::Entity::delete_many()
        .filter(crate::entities::oauth_flow::Column::CreatedAt.lt(now() - 3600))
        .exec(ctx.db)
        .await?;
    Ok(report)
}

/// Recordings whose video YouTube refused to make embeddable when they stopped (`embeddable =
/// -1`) get another try, so their player works without a teacher doing anything.
async fn retry_embeddable(ctx: &Ctx<'_>, limit: u64) -> Result<Vec<i32>, AppError> {
    let pending = recording::Entity::find()
        .filter(recording::Column::Status.eq("ended"))
        .filter(recording::Column::Embeddable.eq(-1))
        .filter(recording::Column::DeleteMarkedAt.is_null())
        .filter(recording::Column::BroadcastId.is_not_null())
        .order_by_asc(recording::Column::Id)
        .limit(limit)
        .all(ctx.db)
        .await?;
    let mut done = Vec::new();
    for r in pending {
        let Some(video) = r.broadcast_id.clone() else {
            continue;
        };
        match lifecycle::make_embeddable(ctx, r.account_id, &video).await {
            Ok(()) => {
                let id = r.id;
                let mut am = r.into_active_model();
                am.embeddable = Set(1);
                am.update(ctx.db).await?;
                done.push(id);
            }
            Err(e) => tracing::warn!(recording = r.id, "still not embeddable: {e:?}"),
        }
    }
    Ok(done)
}

/// Claims the row, deletes the video (a video already gone counts as deleted), and un-claims it
/// if YouTube failed so a later run retries. False when another runner claimed it first.
async fn purge_one(
    ctx: &Ctx<'_>,
    r: &recording::Model,
    actor: Option<i32>,
) -> Result<bool, AppError> {
    let claimed = recording::Entity::update_many()
        .col_expr(recording::Column::PurgedAt, Expr::value(now()))
        .filter(recording::Column::Id.eq(r.id))
        .filter(recording::Column::PurgedAt.is_null())
        .exec(ctx.db)
        .await?;
    if claimed.rows_affected != 1 {
        return Ok(false);
    }
    if let Some(video) = &r.broadcast_id {
        let outcome = match accounts::authorize(ctx, r.account_id).await {
            Ok(mut yt) => match yt.call(ctx, &youtube::delete_video(video)).await {
                Ok(_) | Err(accounts::CallError::Youtube(YtError::NotFound)) => Ok(()),
                Err(e) => Err(AppError::from(e)),
            },
            Err(e) => Err(e),
        };
        if let Err(e) = outcome {
            recording::Entity::update_many()
                .col_expr(
                    recording::Column::PurgedAt,
                    Expr::value(Option::<i64>::None),
                )
                .filter(recording::Column::Id.eq(r.id))
                .exec(ctx.db)
                .await?;
            return Err(e);
        }
    }
    audit::record(
        ctx.db,
        actor,
        "recording.purge",
        &r.title,
        r.broadcast_id.as_deref().unwrap_or(""),
    )
    .await?;
    Ok(true)
}

/// The admins' deletion queue: marked, not yet deleted from YouTube, oldest mark first.
pub async fn queue(ctx: &Ctx<'_>, zone: &str) -> Result<Vec<QueueRow>, AppError> {
    let s = load_settings(ctx).await?;
    let rows = recording::Entity::find()
        .filter(recording::Column::DeleteMarkedAt.is_not_null())
        .filter(recording::Column::PurgedAt.is_null())
        .order_by_asc(recording::Column::DeleteMarkedAt)
        .order_by_asc(recording::Column::Id)
        .all(ctx.db)
        .await?;
    let names: std::collections::HashMap<i32, String> = activity::Entity::find()
        .filter(activity::Column::Id.is_in(rows.iter().filter_map(|r| r.activity_id)))
        .all(ctx.db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let t = now();
    Ok(rows
        .into_iter()
        .map(|r| {
            let marked = r.delete_marked_at.unwrap_or(t);
            let due = purge_due_at(marked, s.retention_days);
            QueueRow {
                id: r.id,
                activity: r.activity_id.and_then(|a| names.get(&a).cloned()),
                title: r.title,
                marked: tz::format_local(marked, zone),
                due: tz::format_local(due, zone),
                overdue: due <= t,
            }
        })
        .collect())
}

async fn queued(ctx: &Ctx<'_>, id: i32) -> Result<recording::Model, AppError> {
    recording::Entity::find_by_id(id)
        .one(ctx.db)
        .await?
        .filter(|r| r.delete_marked_at.is_some() && r.purged_at.is_none())
        .ok_or(AppError::NotFound)
}

/// "Delete now" from the admin queue.
pub async fn purge_now(ctx: &Ctx<'_>, actor: i32, id: i32) -> Result<(), AppError> {
    let r = queued(ctx, id).await?;
    purge_one(ctx, &r, Some(actor)).await.map(|_| ())
}

/// "Restore" from the admin queue: the recording shows again and the video is unlisted again.
pub async fn restore(ctx: &Ctx<'_>, actor: i32, id: i32) -> Result<(), AppError> {
    let r = queued(ctx, id).await?;
    if r.activity_id.is_none() {
        // Its activity is gone: there is nowhere to show it.
        return Err(AppError::NotFound);
    }
    if let Some(video) = &r.broadcast_id {
        library::set_privacy(ctx, r.account_id, video, "unlisted")
            .await
            .map_err(AppError::from)?;
    }
    let title = r.title.clone();
    let mut am = r.into_active_model();
    am.delete_marked_at = Set(None);
    am.update(ctx.db).await?;
    audit::record(ctx.db, Some(actor), "recording.restore", &title, "").await
}
