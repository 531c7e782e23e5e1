//! Connecting a streaming account: the authorization-code flow with PKCE. The `state` sent to
//! Google is random, stored hashed next to a hash of the admin's session cookie, single use and
//! short-lived; the PKCE verifier stays encrypted on the server.

use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, Set,
};
use sha2::{Digest, Sha256};

use super::{Ctx, credentials};
use crate::{
    audit,
    clock::now,
    entities::{oauth_flow, user, youtube_account},
    error::{AppError, FieldCode},
    recording::google::oauth::{self, OAuthError},
};

/// An authorization flow older than this is refused (the admin left Google's page open).
const FLOW_TTL_SECS: i64 = 15 * 60;

fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// Starts adding (or re-authorising) an account: returns Google's consent URL. The `state` is
/// bound to the admin's session cookie and the PKCE verifier stays encrypted on the server.
pub async fn begin(
    ctx: &Ctx<'_>,
    admin: &user::Model,
    session_token: &str,
    name: &str,
    account_id: Option<i32>,
) -> Result<String, AppError> {
    let creds = credentials(ctx).await?;
    let name = match account_id {
        Some(id) => {
            youtube_account::Entity::find_by_id(id)
                .one(ctx.db)
                .await?
                .ok_or(AppError::NotFound)?
                .name
        }
        None => validate_name(name)?,
    };
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let state = hex::encode(bytes);
    let (url, verifier) = oauth::authorize_url(ctx.google, &creds, &ctx.redirect_uri(), &state)
        .map_err(|e| AppError::internal(format!("authorize url: {e}")))?;
    oauth_flow::Entity::delete_many()
        .filter(oauth_flow::Column::CreatedAt.lt(now() - FLOW_TTL_SECS))
        .exec(ctx.db)
        .await?;
    oauth_flow::ActiveModel {
        state_hash: Set(sha256_hex(&state)),
        session_hash: Set(sha256_hex(session_token)),
        user_id: Set(admin.id),
        verifier_enc: Set(ctx.secrets.encrypt(&verifier)),
        account_id: Set(account_id),
        account_name: Set(name),
        created_at: Set(now()),
    }
    .insert(ctx.db)
    .await?;
    Ok(url)
}

pub fn validate_name(raw: &str) -> Result<String, AppError> {
    let n = raw.trim();
    if n.is_empty() {
        return Err(AppError::invalid("name", FieldCode::Required));
    }
    if n.chars().count() > 100 {
        return Err(AppError::invalid("name", FieldCode::TooLong(100)));
    }
    Ok(n.to_owned())
}

/// Why coming back from Google did not add the account (shown on the admin page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackError {
    /// Unknown or expired state, or another browser session: possibly forged.
    BadState,
    /// The admin pressed "cancel" on Google's screen (`error=access_denied`).
    Denied,
    /// Google refused the code, or sent no refresh token.
    Refused,
    /// Google could not be reached.
    Unreachable,
}

impl CallbackError {
    pub fn code(self) -> &'static str {
        match self {
            Self::BadState => "state",
            Self::Denied => "denied",
            Self::Refused => "refused",
            Self::Unreachable => "unreachable",
        }
    }
}

/// Finishes the flow: checks the state belongs to this session, exchanges the code (with the PKCE
/// verifier) and stores the tokens encrypted.
pub async fn finish(
    ctx: &Ctx<'_>,
    session_token: &str,
    state: &str,
    code: Option<&str>,
) -> Result<i32, CallbackError> {
    let internal = |_| CallbackError::Unreachable;
    let flow = oauth_flow::Entity::find_by_id(sha256_hex(state))
        .one(ctx.db)
        .await
        .map_err(|_| CallbackError::Unreachable)?
        .ok_or(CallbackError::BadState)?;
    if flow.session_hash != sha256_hex(session_token) {
        return Err(CallbackError::BadState);
    }
    // One use only, whatever happens next.
    oauth_flow::Entity::delete_by_id(flow.state_hash.clone())
        .exec(ctx.db)
        .await
        .map_err(|_| CallbackError::Unreachable)?;
    if flow.created_at < now() - FLOW_TTL_SECS {
        return Err(CallbackError::BadState);
    }
    let code = code.ok_or(CallbackError::Denied)?;
    let creds = credentials(ctx).await.map_err(internal)?;
    let verifier = ctx
        .secrets
        .decrypt(&flow.verifier_enc)
        .map_err(|_| CallbackError::BadState)?;
    let tokens = oauth::exchange_code(ctx.google, &creds, &ctx.redirect_uri(), code, &verifier)
        .await
        .map_err(|e| match e {
            OAuthError::Unreachable(_) => CallbackError::Unreachable,
            _ => CallbackError::Refused,
        })?;
    let refresh = tokens.refresh_token.ok_or(CallbackError::Refused)?;
    let t = now();
    let access = ctx.secrets.encrypt(&tokens.access_token);
    let refresh = ctx.secrets.encrypt(&refresh);
    let expires = t + tokens.expires_in_secs;
    let existing = match flow.account_id {
        Some(id) => youtube_account::Entity::find_by_id(id)
            .one(ctx.db)
            .await
            .map_err(|_| CallbackError::Unreachable)?,
        None => None,
    };
    let any_in_use = youtube_account::Entity::find()
        .filter(youtube_account::Column::InUse.eq(true))
        .count(ctx.db)
        .await
        .map_err(|_| CallbackError::Unreachable)?
        > 0;
    let (id, action) = match existing {
        Some(a) => {
            let id = a.id;
            let mut am = a.into_active_model();
            am.access_token_enc = Set(Some(access));
            am.refresh_token_enc = Set(Some(refresh));
            am.expires_at = Set(expires);
            am.failing_reason = Set(None);
            am.failing_since = Set(None);
            if !any_in_use {
                am.in_use = Set(true);
            }
            am.updated_at = Set(t);
            am.update(ctx.db)
                .await
                .map_err(|_| CallbackError::Unreachable)?;
            (id, "account.reauthorise")
        }
        None => {
            let a = youtube_account::ActiveModel {
                name: Set(flow.account_name.clone()),
                access_token_enc: Set(Some(access)),
                refresh_token_enc: Set(Some(refresh)),
                expires_at: Set(expires),
                in_use: Set(!any_in_use),
                in_queue: Set(true),
                failing_reason: Set(None),
                failing_since: Set(None),
                created_by: Set(flow.user_id),
                created_at: Set(t),
                updated_at: Set(t),
                ..Default::default()
            }
            .insert(ctx.db)
            .await
            .map_err(|_| CallbackError::Unreachable)?;
            (a.id, "account.add")
        }
    };
    let _ = audit::record(ctx.db, Some(flow.user_id), action, &flow.account_name, "").await;
    Ok(id)
}
