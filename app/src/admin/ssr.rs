//! Account services, shared by the admin pages and the `aula admin` / `aula demo` commands.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, Set,
};

use crate::{
    auth::{
        model::{Email, validate_display_name, validate_password},
        ssr::{delete_user_sessions, hash_password},
    },
    clock::now,
    entities::user,
    error::{AppError, ConflictReason, taken_on},
};

pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
    pub is_admin: bool,
    pub language: &'a str,
}

#[tracing::instrument(skip_all, fields(admin = n.is_admin))]
pub async fn create_user(db: &DatabaseConnection, n: NewUser<'_>) -> Result<user::Model, AppError> {
    let email = Email::parse(n.email).map_err(|code| AppError::invalid("email", code))?;
    let display_name = validate_display_name("display_name", n.display_name)?;
    validate_password("password", n.password)?;
    let hash = hash_password(n.password.to_owned()).await?;
    user::ActiveModel {
        email: Set(email.as_str().to_owned()),
        display_name: Set(display_name),
        password_hash: Set(Some(hash)),
        is_admin: Set(n.is_admin),
        disabled: Set(false),
        avatar: Set(None),
        language: Set(crate::i18n::Lang::parse(n.language)
            .unwrap_or_default()
            .code()
            .to_owned()),
        time_zone: Set(None),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(taken_on("email"))
}

pub async fn find_by_email(
    db: &DatabaseConnection,
    email: &Email,
) -> Result<Option<user::Model>, AppError> {
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(db)
        .await?)
}

/// Disabling also ends the user's sessions at once. The last enabled admin cannot be disabled,
/// so the site never locks itself out.
#[tracing::instrument(skip(db))]
pub async fn set_disabled(
    db: &DatabaseConnection,
    user_id: i32,
    disabled: bool,
) -> Result<(), AppError> {
    let u = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if disabled && u.is_admin {
        let admins = user::Entity::find()
            .filter(user::Column::IsAdmin.eq(true))
            .filter(user::Column::Disabled.eq(false))
            .count(db)
            .await?;
        if admins <= 1 {
            return Err(AppError::Conflict(ConflictReason::LastAdmin));
        }
    }
    let mut am = u.into_active_model();
    am.disabled = Set(disabled);
    am.update(db).await?;
    if disabled {
        delete_user_sessions(db, user_id).await?;
    }
    Ok(())
}

/// Sets a new password and signs the user out everywhere.
#[tracing::instrument(skip_all, fields(user_id = user_id))]
pub async fn reset_password(
    db: &DatabaseConnection,
    user_id: i32,
    password: &str,
) -> Result<(), AppError> {
    validate_password("password", password)?;
    let u = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let hash = hash_password(password.to_owned()).await?;
    let mut am = u.into_active_model();
    am.password_hash = Set(Some(hash));
    am.update(db).await?;
    delete_user_sessions(db, user_id).await
}
