use leptos::prelude::*;

use super::model::CurrentUser;
use crate::error::AppError;

/// The signed-in user, or `None` for visitors.
#[server(endpoint = "auth/me")]
pub async fn get_me() -> Result<Option<CurrentUser>, AppError> {
    use crate::{auth::ssr::to_current_user, request::optional_user};
    let (state, _, user) = optional_user().await?;
    Ok(user.map(|u| to_current_user(&u, &state.settings.public_url)))
}

#[server(endpoint = "auth/login")]
pub async fn login(email: String, password: String) -> Result<(), AppError> {
    use crate::request::Respond;
    service::login(email, password).await.respond()
}

#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::request::Respond;
    service::logout().await.respond()
}

/// Switches the interface language (and remembers it for signed-in users).
#[server(endpoint = "prefs/language")]
pub async fn set_language(lang: String) -> Result<(), AppError> {
    use crate::request::Respond;
    service::set_language(lang).await.respond()
}

#[cfg(feature = "ssr")]
mod service {
    use leptos::prelude::*;
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

    use crate::{
        auth::{
            guard::{
                Client, DEVICE_COOKIE, DEVICE_MAX_AGE_SECS, Policy, device_of, failed, keys,
                new_device_cookie, succeeded, wait_ms,
            },
            model::Email,
            ssr::{
                LANG_COOKIE, SESSION_COOKIE, cookie, create_session, delete_session, plain_cookie,
                session_cookie, verify_password,
            },
        },
        entities::user,
        error::{AppError, FieldCode},
        i18n::Lang,
        request::{optional_user, request_headers},
        state::app_state,
    };

    // A real argon2id hash, verified when the e-mail is unknown so that response time does not
    // reveal which accounts exist.
    static DUMMY_HASH: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();

    async fn dummy_hash() -> Result<String, AppError> {
        DUMMY_HASH
            .get_or_try_init(|| crate::auth::ssr::hash_password("not-a-real-password".to_owned()))
            .await
            .cloned()
    }

    pub async fn login(email: String, password: String) -> Result<(), AppError> {
        let state = app_state()?;
        let headers = request_headers();
        let db = &state.db;
        let t = crate::clock::now_ms();
        let parsed = Email::parse(&email);
        let found = match &parsed {
            Ok(e) => {
                user::Entity::find()
                    .filter(user::Column::Email.eq(e.as_str()))
                    .one(db)
                    .await?
            }
            Err(_) => None,
        };
        let device_key = state.secrets.derive_key("device-cookie-v1");
        let known = found.as_ref().and_then(|u| {
            cookie(&headers, DEVICE_COOKIE).and_then(|c| device_of(&device_key, &c, u.id))
        });
        let client = match known {
            Some(device) => Client::Known { device },
            None => Client::Unknown {
                ip: crate::request::request_ip(&state).to_string(),
            },
        };
        let policy = Policy::new(
            state.settings.login_free_failures,
            state.settings.login_window_ms,
        );
        let keys = keys(&email, &client, &policy);
        let wait = wait_ms(db, &keys, t).await?;
        if wait > 0 {
            let opts = expect_context::<leptos_axum::ResponseOptions>();
            opts.insert_header(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from((wait + 999) / 1000),
            );
            return Err(AppError::RateLimited);
        }
        let hash = match found.as_ref().and_then(|u| u.password_hash.clone()) {
            Some(h) => h,
            None => dummy_hash().await?,
        };
        let ok = verify_password(password, hash).await;
        let user = match found {
            Some(u) if ok && parsed.is_ok() => u,
            _ => {
                failed(db, &keys, t).await?;
                return Err(AppError::BadCredentials);
            }
        };
        if user.disabled {
            return Err(AppError::AccountDisabled);
        }
        succeeded(db, &keys).await?;
        if let Some(old) = cookie(&headers, SESSION_COOKIE) {
            delete_session(&state.db, &old).await?;
        }
        let days = state.settings.session_days;
        let token = create_session(&state.db, user.id, days).await?;
        let secure = state.settings.secure_cookies;
        let opts = expect_context::<leptos_axum::ResponseOptions>();
        let device = format!(
            "{DEVICE_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={DEVICE_MAX_AGE_SECS}{}",
            new_device_cookie(&device_key, user.id),
            if secure { "; Secure" } else { "" }
        );
        for c in [
            session_cookie(&token, days * 86_400, secure),
            plain_cookie(LANG_COOKIE, &user.language, secure),
            device,
        ] {
            if let Ok(v) = c.parse() {
                opts.append_header(axum::http::header::SET_COOKIE, v);
            }
        }
        tracing::info!(user_id = user.id, "login");
        Ok(())
    }

    pub async fn logout() -> Result<(), AppError> {
        let state = app_state()?;
        if let Some(token) = cookie(&request_headers(), SESSION_COOKIE) {
            delete_session(&state.db, &token).await?;
        }
        let opts = expect_context::<leptos_axum::ResponseOptions>();
        if let Ok(v) = session_cookie("", 0, state.settings.secure_cookies).parse() {
            opts.append_header(axum::http::header::SET_COOKIE, v);
        }
        Ok(())
    }

    pub async fn set_language(lang: String) -> Result<(), AppError> {
        let Some(lang) = Lang::parse(&lang) else {
            return Err(AppError::invalid("lang", FieldCode::InvalidChoice));
        };
        let (state, _, user) = optional_user().await?;
        if let Some(u) = user {
            let mut am = u.into_active_model();
            am.language = Set(lang.code().to_owned());
            am.update(&state.db).await?;
        }
        let opts = expect_context::<leptos_axum::ResponseOptions>();
        if let Ok(v) = plain_cookie(LANG_COOKIE, lang.code(), state.settings.secure_cookies).parse()
        {
            opts.append_header(axum::http::header::SET_COOKIE, v);
        }
        Ok(())
    }
}
