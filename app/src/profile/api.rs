use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::ProfileForm;
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub display_name: String,
    pub email: String,
    pub avatar_url: Option<String>,
    /// The URL field's value (empty when the avatar is an upload).
    pub avatar_link: String,
    pub language: String,
    pub time_zone: String,
    /// A new address waiting for its confirmation code.
    pub pending_email: Option<String>,
    /// False when the site cannot send the confirmation code (no SMTP relay): only
    /// administrators change addresses then.
    pub email_changeable: bool,
}

#[server(endpoint = "profile/get")]
pub async fn get_profile() -> Result<Profile, AppError> {
    use crate::request::Respond;
    service::get().await.respond()
}

#[server(endpoint = "profile/update")]
pub async fn update_profile(#[server(flatten)] form: ProfileForm) -> Result<(), AppError> {
    use crate::request::Respond;
    service::update(form).await.respond()
}

#[server(endpoint = "profile/avatar/remove")]
pub async fn remove_avatar() -> Result<(), AppError> {
    use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};

    use crate::request::{Respond, require_user};
    async {
        let c = require_user().await?;
        let mut am = c.user.into_active_model();
        am.avatar = Set(None);
        am.update(&c.state.db).await?;
        Ok(())
    }
    .await
    .respond()
}

#[server(endpoint = "profile/password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    use crate::request::Respond;
    service::change_password(current_password, new_password)
        .await
        .respond()
}

#[cfg(feature = "ssr")]
mod service {
    use leptos::prelude::*;
    use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};

    use super::{super::model::ProfileForm, Profile};
    use crate::{
        auth::{
            model::{Email, validate_avatar_url, validate_display_name, validate_password},
            ssr::{
                LANG_COOKIE, SESSION_COOKIE, avatar_url, cookie, delete_other_sessions,
                hash_password, plain_cookie, verify_password,
            },
        },
        error::{AppError, FieldCode, FieldError},
        i18n::Lang,
        request::require_user,
        tz,
    };

    pub async fn get() -> Result<Profile, AppError> {
        let c = require_user().await?;
        let u = &c.user;
        Ok(Profile {
            display_name: u.display_name.clone(),
            email: u.email.clone(),
            avatar_url: avatar_url(&c.state.settings.public_url, u.avatar.as_deref()),
            avatar_link: u
                .avatar
                .clone()
                .filter(|a| !a.starts_with("upload:"))
                .unwrap_or_default(),
            language: u.language.clone(),
            time_zone: u.time_zone.clone().unwrap_or_default(),
            pending_email: super::super::email::service::pending(&c.state.db, u.id).await?,
            email_changeable: c.state.settings.smtp.is_some(),
        })
    }

    pub async fn update(form: ProfileForm) -> Result<(), AppError> {
        let ProfileForm {
            display_name,
            email,
            language,
            time_zone,
            avatar_link,
        } = form;
        let c = require_user().await?;
        let mut errors = Vec::new();
        let name = validate_display_name("display_name", &display_name)
            .map_err(|e| errors.extend(fields(e)))
            .ok();
        let email = Email::parse(&email)
            .map_err(|code| errors.push(FieldError::new("email", code)))
            .ok();
        let lang = Lang::parse(&language);
        if lang.is_none() {
            errors.push(FieldError::new("language", FieldCode::InvalidChoice));
        }
        let zone = time_zone.trim();
        if !zone.is_empty() && !tz::is_valid_zone(zone) {
            errors.push(FieldError::new("time_zone", FieldCode::InvalidChoice));
        }
        let link = validate_avatar_url("avatar_link", &avatar_link)
            .map_err(|e| errors.extend(fields(e)))
            .ok();
        let (Some(name), Some(email), Some(lang), Some(link), true) =
            (name, email, lang, link, errors.is_empty())
        else {
            return Err(AppError::Invalid(errors));
        };
        let was_upload = c
            .user
            .avatar
            .as_deref()
            .is_some_and(|a| a.starts_with("upload:"));
        // A new address is only taken once the code sent to it comes back (`profile/email`),
        // and the answer here is the same whether or not someone else has that address.
        if email.as_str() != c.user.email {
            super::super::email::service::request(&c.state, &c.user, &email).await?;
        }
        let mut am = c.user.clone().into_active_model();
        am.display_name = Set(name);
        am.language = Set(lang.code().to_owned());
        am.time_zone = Set((!zone.is_empty()).then(|| zone.to_owned()));
        // An empty link keeps an uploaded picture; a link replaces it.
        if link.is_some() || !was_upload {
            am.avatar = Set(link);
        }
        am.update(&c.state.db).await?;
        let opts = expect_context::<leptos_axum::ResponseOptions>();
        if let Ok(v) =
            plain_cookie(LANG_COOKIE, lang.code(), c.state.settings.secure_cookies).parse()
        {
            opts.append_header(axum::http::header::SET_COOKIE, v);
        }
        Ok(())
    }

    fn fields(e: AppError) -> Vec<FieldError> {
        match e {
            AppError::Invalid(v) => v,
            _ => Vec::new(),
        }
    }

    pub async fn change_password(
        current_password: String,
        new_password: String,
    ) -> Result<(), AppError> {
        let c = require_user().await?;
        let hash = c.user.password_hash.clone().unwrap_or_default();
        if !verify_password(current_password, hash).await {
            return Err(AppError::invalid(
                "current_password",
                FieldCode::InvalidChoice,
            ));
        }
        validate_password("new_password", &new_password)?;
        let new_hash = hash_password(new_password).await?;
        let user_id = c.user.id;
        let mut am = c.user.into_active_model();
        am.password_hash = Set(Some(new_hash));
        am.update(&c.state.db).await?;
        // Signed out everywhere else; this browser stays in.
        let current = cookie(&c.headers, SESSION_COOKIE).unwrap_or_default();
        let ended = delete_other_sessions(&c.state.db, user_id, &current).await?;
        tracing::info!(user_id, ended, "password changed; other sessions ended");
        Ok(())
    }
}
