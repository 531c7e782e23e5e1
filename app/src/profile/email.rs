//! Changing one's own e-mail address: the new address must prove it is the user's with a code
//! sent to it. Whether the address already belongs to another account is never told to the
//! person asking: both cases answer "code sent", both send one e-mail (a code to a free address,
//! a notice to the holder of a taken one) from a background task, so neither the answer nor its
//! timing differs. Requests are limited per user in the database.

use leptos::prelude::*;

use crate::error::AppError;

/// Confirms the pending change with the code from the e-mail.
#[server(endpoint = "profile/email/confirm")]
pub async fn confirm_email_change(code: String) -> Result<(), AppError> {
    use crate::request::Respond;
    service::confirm(code).await.respond()
}

/// Drops the pending change; the address stays as it is.
#[server(endpoint = "profile/email/cancel")]
pub async fn cancel_email_change() -> Result<(), AppError> {
    use crate::request::Respond;
    service::cancel().await.respond()
}

#[cfg(feature = "ssr")]
pub mod service {
    use rand::Rng;
    use sea_orm::{
        ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
        QueryFilter, Set, sea_query::OnConflict,
    };
    use sha2::{Digest, Sha256};

    use crate::{
        auth::model::Email,
        clock::{now, now_ms},
        entities::{email_change, user},
        error::{AppError, FieldCode},
        i18n::{Lang, fill},
        request::require_user,
        state::AppState,
        throttle::{Limit, hit_all, over_any},
    };

    /// A code is good for half an hour and five tries.
    const CODE_TTL_SECS: i64 = 1800;
    const MAX_ATTEMPTS: i32 = 5;
    /// E-mail changes one user may ask for per hour.
    pub const CHANGES_PER_HOUR: Limit = Limit {
        limit: 5,
        window_ms: 3_600_000,
    };

    fn code_hash(user_id: i32, code: &str) -> String {
        hex::encode(Sha256::digest(
            format!("{user_id}:{}", code.trim()).as_bytes(),
        ))
    }

    /// The address waiting for confirmation, if any (and not expired).
    pub async fn pending(
        db: &DatabaseConnection,
        user_id: i32,
    ) -> Result<Option<String>, AppError> {
        Ok(email_change::Entity::find_by_id(user_id)
            .one(db)
            .await?
            .filter(|c| c.expires_at > now())
            .map(|c| c.new_email))
    }

    /// Starts a change to `new` for `u` (the profile form calls it when the address differs).
    pub async fn request(state: &AppState, u: &user::Model, new: &Email) -> Result<(), AppError> {
        let smtp = state.settings.smtp.clone().ok_or(AppError::Conflict(
            crate::error::ConflictReason::NotConfigured,
        ))?;
        let db = &state.db;
        let key = format!("email-change:{}", u.id);
        let t = now_ms();
        if over_any(db, &[&key], CHANGES_PER_HOUR, t).await? {
            return Err(AppError::RateLimited);
        }
        hit_all(db, &[&key], CHANGES_PER_HOUR, t).await?;
        let code = format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000));
        email_change::Entity::insert(email_change::ActiveModel {
            user_id: Set(u.id),
            new_email: Set(new.as_str().to_owned()),
            code_hash: Set(code_hash(u.id, &code)),
            expires_at: Set(now() + CODE_TTL_SECS),
            attempts: Set(0),
        })
        .on_conflict(
            OnConflict::column(email_change::Column::UserId)
                .update_columns([
                    email_change::Column::NewEmail,
                    email_change::Column::CodeHash,
                    email_change::Column::ExpiresAt,
                    email_change::Column::Attempts,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
        let taken = crate::admin::ssr::find_by_email(db, new)
            .await?
            .is_some_and(|other| other.id != u.id);
        let t = Lang::parse(&u.language).unwrap_or_default().texts();
        let (subject, body) = if taken {
            (t.mail_code_subject.to_owned(), t.mail_taken_body.to_owned())
        } else {
            (
                t.mail_code_subject.to_owned(),
                fill(t.mail_code_body, &[&code]),
            )
        };
        let to = new.as_str().to_owned();
        // In the background either way, so the answer's timing says nothing about the address.
        tokio::spawn(async move {
            if let Err(e) = crate::mail::send_plain(&smtp, &to, &subject, &body).await {
                tracing::warn!("e-mail change message not sent: {e}");
            }
        });
        Ok(())
    }

    pub async fn confirm(code: String) -> Result<(), AppError> {
        let c = require_user().await?;
        let db = &c.state.db;
        let wrong = || AppError::invalid("code", FieldCode::InvalidChoice);
        let change = email_change::Entity::find_by_id(c.user.id)
            .one(db)
            .await?
            .filter(|ch| ch.expires_at > now() && ch.attempts < MAX_ATTEMPTS)
            .ok_or_else(wrong)?;
        if change.code_hash != code_hash(c.user.id, &code) {
            let mut am = change.into_active_model();
            am.attempts = Set(am.attempts.take().unwrap_or(MAX_ATTEMPTS) + 1);
            am.update(db).await?;
            return Err(wrong());
        }
        // Taken addresses never got a code, so a right code means the address was free; if
        // someone took it since, the unique index refuses and the code simply no longer works.
        let new = change.new_email.clone();
        email_change::Entity::delete_by_id(c.user.id)
            .exec(db)
            .await?;
        let updated = user::Entity::update_many()
            .col_expr(
                user::Column::Email,
                sea_orm::sea_query::Expr::val(new.clone()),
            )
            .filter(user::Column::Id.eq(c.user.id))
            .exec(db)
            .await;
        match updated {
            Ok(_) => {
                tracing::info!(user_id = c.user.id, "e-mail address changed");
                Ok(())
            }
            Err(e) => {
                tracing::info!(user_id = c.user.id, "e-mail change refused: {e}");
                Err(wrong())
            }
        }
    }

    pub async fn cancel() -> Result<(), AppError> {
        let c = require_user().await?;
        email_change::Entity::delete_by_id(c.user.id)
            .exec(&c.state.db)
            .await?;
        Ok(())
    }
}
