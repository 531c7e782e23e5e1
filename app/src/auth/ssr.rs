//! Accounts on the server: argon2id hashing off the async executor, database-backed sessions
//! (so replicas share them) and the session cookie. Failed logins are slowed in `guard.rs`.

use axum::http::{HeaderMap, header};
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use super::model::CurrentUser;
use crate::{
    clock::now,
    entities::{session, user},
    error::AppError,
};

pub const SESSION_COOKIE: &str = "aula_session";
pub const LANG_COOKIE: &str = "aula_lang";
pub const TZ_COOKIE: &str = "aula_tz";

pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || password_auth::generate_hash(password))
        .await
        .map_err(AppError::internal)
}

pub async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || password_auth::verify_password(password, &hash).is_ok())
        .await
        .unwrap_or(false)
}

pub fn session_id(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Reads one cookie from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// Starts a new session and returns the cookie value. Always a fresh random id, so a session id
/// planted before login is never promoted (session fixation).
pub async fn create_session(
    db: &DatabaseConnection,
    user_id: i32,
    days: i64,
) -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let t = now();
    session::ActiveModel {
        id: Set(session_id(&token)),
        user_id: Set(user_id),
        created_at: Set(t),
        expires_at: Set(t + days * 86_400),
    }
    .insert(db)
    .await?;
    Ok(token)
}

pub async fn delete_session(db: &DatabaseConnection, token: &str) -> Result<(), AppError> {
    session::Entity::delete_by_id(session_id(token))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn delete_user_sessions(db: &DatabaseConnection, user_id: i32) -> Result<(), AppError> {
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every session of the user but the one with this cookie value: after a password change,
/// whoever knew the old password is signed out everywhere else.
pub async fn delete_other_sessions(
    db: &DatabaseConnection,
    user_id: i32,
    keep_token: &str,
) -> Result<u64, AppError> {
    let res = session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::Id.ne(session_id(keep_token)))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// The active, enabled user behind the request's session cookie, if any.
pub async fn user_from_headers(
    db: &DatabaseConnection,
    headers: &HeaderMap,
) -> Result<Option<user::Model>, AppError> {
    let Some(token) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    if token.len() != 64 {
        return Ok(None);
    }
    // One query for both: every page and server function starts here.
    let Some((s, u)) = session::Entity::find_by_id(session_id(&token))
        .find_also_related(user::Entity)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if s.expires_at <= now() {
        session::Entity::delete_by_id(s.id).exec(db).await?;
        return Ok(None);
    }
    Ok(u.filter(|u| !u.disabled))
}

pub fn session_cookie(token: &str, max_age_secs: i64, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{}",
        if secure { "; Secure" } else { "" }
    )
}

pub fn plain_cookie(name: &str, value: &str, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/; SameSite=Lax; Max-Age=31536000{}",
        if secure { "; Secure" } else { "" }
    )
}

/// Public avatar URL for a stored avatar value (`upload:<file>` or an absolute URL).
pub fn avatar_url(public_url: &str, stored: Option<&str>) -> Option<String> {
    match stored {
        Some(s) if s.starts_with("upload:") => Some(format!(
            "{}/avatars/{}",
            public_url.trim_end_matches('/'),
            &s[7..]
        )),
        Some(s) if !s.is_empty() => Some(s.to_owned()),
        _ => None,
    }
}

pub fn to_current_user(u: &user::Model, public_url: &str) -> CurrentUser {
    CurrentUser {
        id: u.id,
        email: u.email.clone(),
        display_name: u.display_name.clone(),
        is_admin: u.is_admin,
        avatar_url: avatar_url(public_url, u.avatar.as_deref()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_among_several() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            "a=1; aula_session=abc; b=2".parse().unwrap(),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "missing"), None);
    }

    #[test]
    fn the_session_cookie_is_httponly_lax_and_secure_behind_https() {
        let c = session_cookie("t", 60, true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.ends_with("Secure"));
        assert!(!session_cookie("t", 60, false).contains("Secure"));
    }

    #[test]
    fn uploaded_avatars_become_absolute_urls() {
        assert_eq!(
            avatar_url("http://h/", Some("upload:a.png")).as_deref(),
            Some("http://h/avatars/a.png")
        );
        assert_eq!(
            avatar_url("http://h", Some("https://x/y.png")).as_deref(),
            Some("https://x/y.png")
        );
        assert_eq!(avatar_url("http://h", None), None);
    }
}
