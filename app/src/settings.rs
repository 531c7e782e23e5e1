//! Site settings kept in the database (server only), so every replica reads the same values and
//! admins change them without a restart. Secret values are `SecretBox` ciphertext.

use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, IntoActiveModel, Set};

use crate::{clock::now, crypto::SecretBox, entities::setting, error::AppError};

pub async fn get(db: &DatabaseConnection, key: &str) -> Result<Option<String>, AppError> {
    Ok(setting::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .filter(|s| !s.encrypted)
        .map(|s| s.value))
}

pub async fn get_secret(
    db: &DatabaseConnection,
    secrets: &SecretBox,
    key: &str,
) -> Result<Option<String>, AppError> {
    match setting::Entity::find_by_id(key.to_owned()).one(db).await? {
        Some(s) if s.encrypted => secrets
            .decrypt(&s.value)
            .map(Some)
            .map_err(|_| AppError::internal(format!("setting {key} does not decrypt"))),
        _ => Ok(None),
    }
}

async fn put(
    db: &DatabaseConnection,
    key: &str,
    value: String,
    encrypted: bool,
) -> Result<(), AppError> {
    match setting::Entity::find_by_id(key.to_owned()).one(db).await? {
        Some(s) => {
            let mut am = s.into_active_model();
            am.value = Set(value);
            am.encrypted = Set(encrypted);
            am.updated_at = Set(now());
            am.update(db).await?;
        }
        None => {
            setting::ActiveModel {
                key: Set(key.to_owned()),
                value: Set(value),
                encrypted: Set(encrypted),
                updated_at: Set(now()),
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

pub async fn set(db: &DatabaseConnection, key: &str, value: &str) -> Result<(), AppError> {
    put(db, key, value.to_owned(), false).await
}

pub async fn set_secret(
    db: &DatabaseConnection,
    secrets: &SecretBox,
    key: &str,
    value: &str,
) -> Result<(), AppError> {
    put(db, key, secrets.encrypt(value), true).await
}
