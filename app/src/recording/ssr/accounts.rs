//! Streaming accounts: keeping their tokens fresh, marking one failing (never wiping it) when
//! Google refuses it, rotation, and the admin's actions. Connecting one is `connect.rs`.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::Value;

use super::{Ctx, credentials};
use crate::{
    audit,
    clock::now,
    entities::{recording, user, youtube_account},
    error::{AppError, ConflictReason, ExternalFailure},
    recording::{
        google::{
            oauth::{self, OAuthError},
            youtube::{self, YtError, YtRequest},
        },
        model::{AccountRow, next_in_rotation},
    },
};

pub async fn list(ctx: &Ctx<'_>) -> Result<Vec<AccountRow>, AppError> {
    let accounts = youtube_account::Entity::find()
        .order_by_asc(youtube_account::Column::Id)
        .all(ctx.db)
        .await?;
    let mut rows = Vec::with_capacity(accounts.len());
    for a in accounts {
        let recordings = owned_recordings(ctx, a.id).await?;
        rows.push(AccountRow {
            id: a.id,
            name: a.name,
            in_use: a.in_use,
            in_queue: a.in_queue,
            connected: a.refresh_token_enc.is_some(),
            failing_reason: a.failing_reason,
            recordings,
        });
    }
    Ok(rows)
}

/// Recordings whose video still exists on the account's channel.
async fn owned_recordings(ctx: &Ctx<'_>, account_id: i32) -> Result<u64, AppError> {
    Ok(recording::Entity::find()
        .filter(recording::Column::AccountId.eq(account_id))
        .filter(recording::Column::PurgedAt.is_null())
        .count(ctx.db)
        .await?)
}

/// An account with a usable access token; refreshes it only when it has expired.
pub struct Authorized {
    pub account: youtube_account::Model,
    token: String,
}

/// Loads the account and makes sure its access token is fresh.
pub async fn authorize(ctx: &Ctx<'_>, account_id: i32) -> Result<Authorized, AppError> {
    let account = youtube_account::Entity::find_by_id(account_id)
        .one(ctx.db)
        .await?
        .ok_or(AppError::External(ExternalFailure::NoStreamingAccount))?;
    let token = match &account.access_token_enc {
        Some(enc) if account.expires_at > now() + 60 => ctx
            .secrets
            .decrypt(enc)
            .map_err(|_| AppError::internal("access token does not decrypt"))?,
        _ => refresh(ctx, &account).await?,
    };
    Ok(Authorized { account, token })
}

/// Gets a new access token with the refresh token and saves it. A refusal marks the account
/// failing; a network error does not (it may pass).
async fn refresh(ctx: &Ctx<'_>, account: &youtube_account::Model) -> Result<String, AppError> {
    let Some(enc) = &account.refresh_token_enc else {
        return Err(AppError::External(
            ExternalFailure::AccountNeedsReauthorisation,
        ));
    };
    let refresh_token = ctx
        .secrets
        .decrypt(enc)
        .map_err(|_| AppError::internal("refresh token does not decrypt"))?;
    let creds = credentials(ctx).await?;
    match oauth::refresh(ctx.google, &creds, &ctx.redirect_uri(), &refresh_token).await {
        Ok(t) => {
            let mut am = account.clone().into_active_model();
            am.access_token_enc = Set(Some(ctx.secrets.encrypt(&t.access_token)));
            am.expires_at = Set(now() + t.expires_in_secs);
            if let Some(r) = &t.refresh_token {
                am.refresh_token_enc = Set(Some(ctx.secrets.encrypt(r)));
            }
            am.updated_at = Set(now());
            am.update(ctx.db).await?;
            Ok(t.access_token)
        }
        Err(OAuthError::Refused(code)) => {
            mark_failing(
                ctx,
                account.id,
                &format!("Google refused the token ({code})"),
            )
            .await?;
            Err(AppError::External(
                ExternalFailure::AccountNeedsReauthorisation,
            ))
        }
        Err(OAuthError::Unreachable(e)) => {
            tracing::warn!(account = account.id, "token refresh failed: {e}");
            Err(AppError::External(ExternalFailure::YoutubeUnavailable))
        }
        Err(OAuthError::Misconfigured(what)) => Err(AppError::internal(what)),
    }
}

impl Authorized {
    /// Sends one YouTube request. A 401 refreshes the token and retries once; a second 401 marks
    /// the account failing.
    pub async fn call(&mut self, ctx: &Ctx<'_>, r: &YtRequest) -> Result<Value, CallError> {
        match youtube::execute(ctx.google, &self.token, r).await {
            Err(YtError::Unauthorized) => {
                self.token = refresh(ctx, &self.account).await.map_err(CallError::App)?;
                match youtube::execute(ctx.google, &self.token, r).await {
                    Err(YtError::Unauthorized) => {
                        mark_failing(ctx, self.account.id, "YouTube refused a fresh token")
                            .await
                            .map_err(CallError::App)?;
                        Err(CallError::Youtube(YtError::Unauthorized))
                    }
                    other => other.map_err(CallError::Youtube),
                }
            }
            other => other.map_err(CallError::Youtube),
        }
    }
}

#[derive(Debug)]
pub enum CallError {
    Youtube(YtError),
    App(AppError),
}

impl From<CallError> for AppError {
    fn from(e: CallError) -> Self {
        match e {
            CallError::App(a) => a,
            CallError::Youtube(y) => {
                tracing::warn!("YouTube call failed: {y}");
                AppError::External(match y {
                    YtError::Unauthorized => ExternalFailure::AccountNeedsReauthorisation,
                    YtError::Quota => ExternalFailure::YoutubeQuota,
                    YtError::NotAllowed(_) => ExternalFailure::ChannelCannotStream,
                    YtError::Unavailable(_) | YtError::Network(_) => {
                        ExternalFailure::YoutubeUnavailable
                    }
                    YtError::Timeout => ExternalFailure::YoutubeTimeout,
                    YtError::NotFound | YtError::Refused(..) => ExternalFailure::YoutubeRefused,
                })
            }
        }
    }
}

/// Marks the account failing with the reason, hands "in use" to the next usable account, and
/// e-mails every admin. Tokens stay, so re-authorising or a Google-side fix can bring it back.
pub async fn mark_failing(ctx: &Ctx<'_>, account_id: i32, reason: &str) -> Result<(), AppError> {
    let Some(a) = youtube_account::Entity::find_by_id(account_id)
        .one(ctx.db)
        .await?
    else {
        return Ok(());
    };
    let was_failing = a.failing_reason.is_some();
    let name = a.name.clone();
    let was_in_use = a.in_use;
    let mut am = a.into_active_model();
    am.failing_reason = Set(Some(reason.chars().take(300).collect()));
    am.failing_since = Set(Some(now()));
    am.in_use = Set(false);
    am.updated_at = Set(now());
    am.update(ctx.db).await?;
    if was_in_use {
        rotate_from(ctx, account_id, true).await?;
    }
    if was_failing {
        return Ok(());
    }
    audit::record(ctx.db, None, "account.failing", &name, reason).await?;
    notify_admins(ctx, &name, reason).await
}

async fn notify_admins(ctx: &Ctx<'_>, name: &str, reason: &str) -> Result<(), AppError> {
    let Some(smtp) = ctx.smtp else {
        tracing::warn!(
            account = name,
            "streaming account failing; no SMTP relay to tell admins"
        );
        return Ok(());
    };
    let admins = user::Entity::find()
        .filter(user::Column::IsAdmin.eq(true))
        .filter(user::Column::Disabled.eq(false))
        .all(ctx.db)
        .await?;
    let subject = format!("Aula: the streaming account \"{name}\" needs attention");
    let body = format!(
        "The YouTube account \"{name}\" stopped working: {reason}.\n\n\
         Recordings will use another account if one is queued. Re-authorise it on {}/admin/recording.\n",
        ctx.public_url.trim_end_matches('/')
    );
    for a in admins {
        if let Err(e) = crate::mail::send_plain(smtp, &a.email, &subject, &body).await {
            tracing::warn!("could not e-mail admin {}: {e}", a.id);
        }
    }
    Ok(())
}

/// The account that receives the next broadcast.
pub async fn in_use(ctx: &Ctx<'_>) -> Result<youtube_account::Model, AppError> {
    youtube_account::Entity::find()
        .filter(youtube_account::Column::InUse.eq(true))
        .filter(youtube_account::Column::FailingReason.is_null())
        .one(ctx.db)
        .await?
        .ok_or(AppError::External(ExternalFailure::NoStreamingAccount))
}

/// Moves "in use" to the next queued, usable account after `current` (round-robin). With
/// `only_if_needed`, does so only when no usable account is in use.
pub async fn rotate_from(
    ctx: &Ctx<'_>,
    current: i32,
    only_if_needed: bool,
) -> Result<(), AppError> {
    let all = youtube_account::Entity::find().all(ctx.db).await?;
    if only_if_needed
        && all
            .iter()
            .any(|a| a.in_use && a.failing_reason.is_none() && a.id != current)
    {
        return Ok(());
    }
    let usable: Vec<(i32, bool)> = all
        .iter()
        .map(|a| {
            (
                a.id,
                a.in_queue && a.failing_reason.is_none() && a.refresh_token_enc.is_some(),
            )
        })
        .collect();
    if let Some(next) = next_in_rotation(&usable, current) {
        set_in_use_unchecked(ctx, next).await?;
    }
    Ok(())
}

async fn set_in_use_unchecked(ctx: &Ctx<'_>, id: i32) -> Result<(), AppError> {
    use sea_orm::sea_query::Expr;
    youtube_account::Entity::update_many()
        .col_expr(youtube_account::Column::InUse, Expr::value(false))
        .filter(youtube_account::Column::Id.ne(id))
        .exec(ctx.db)
        .await?;
    youtube_account::Entity::update_many()
        .col_expr(youtube_account::Column::InUse, Expr::value(true))
        .filter(youtube_account::Column::Id.eq(id))
        .exec(ctx.db)
        .await?;
    Ok(())
}

/// The admin picks the account for the next broadcast.
pub async fn set_in_use(ctx: &Ctx<'_>, actor: i32, id: i32) -> Result<(), AppError> {
    let a = youtube_account::Entity::find_by_id(id)
        .one(ctx.db)
        .await?
        .ok_or(AppError::NotFound)?;
    if a.refresh_token_enc.is_none() {
        return Err(AppError::External(
            ExternalFailure::AccountNeedsReauthorisation,
        ));
    }
    set_in_use_unchecked(ctx, id).await?;
    audit::record(ctx.db, Some(actor), "account.in_use", &a.name, "").await
}

pub async fn set_queued(ctx: &Ctx<'_>, actor: i32, id: i32, queued: bool) -> Result<(), AppError> {
    let a = youtube_account::Entity::find_by_id(id)
        .one(ctx.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let name = a.name.clone();
    let mut am = a.into_active_model();
    am.in_queue = Set(queued);
    am.updated_at = Set(now());
    am.update(ctx.db).await?;
    let action = if queued {
        "account.queue"
    } else {
        "account.unqueue"
    };
    audit::record(ctx.db, Some(actor), action, &name, "").await
}

/// Removes an account: refused while it still owns recordings; revokes its token at Google first.
pub async fn remove(ctx: &Ctx<'_>, actor: i32, id: i32) -> Result<(), AppError> {
    let a = youtube_account::Entity::find_by_id(id)
        .one(ctx.db)
        .await?
        .ok_or(AppError::NotFound)?;
    if owned_recordings(ctx, id).await? > 0 {
        return Err(AppError::Conflict(ConflictReason::InUse));
    }
    if let Some(enc) = &a.refresh_token_enc {
        let token = ctx
            .secrets
            .decrypt(enc)
            .map_err(|_| AppError::internal("refresh token does not decrypt"))?;
        let creds = credentials(ctx).await?;
        match oauth::revoke(ctx.google, &creds, &ctx.redirect_uri(), &token).await {
            // Already revoked or expired at Google: nothing left to revoke.
            Ok(()) | Err(OAuthError::Refused(_)) => {}
            Err(OAuthError::Unreachable(e)) => {
                tracing::warn!(account = id, "revoke failed: {e}");
                return Err(AppError::External(ExternalFailure::YoutubeUnavailable));
            }
            Err(OAuthError::Misconfigured(w)) => return Err(AppError::internal(w)),
        }
    }
    // Purged recordings keep their history rows; they no longer need the account.
    recording::Entity::delete_many()
        .filter(recording::Column::AccountId.eq(id))
        .exec(ctx.db)
        .await?;
    youtube_account::Entity::delete_by_id(id)
        .exec(ctx.db)
        .await?;
    if a.in_use {
        rotate_from(ctx, id, true).await?;
    }
    audit::record(
        ctx.db,
        Some(actor),
        "account.remove",
        &a.name,
        "token revoked",
    )
    .await
}
