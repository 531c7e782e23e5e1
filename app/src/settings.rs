//! Site settings kept in the database (server only), so every replica reads the same values and
//! admins change them without a restart. Secret values are `SecretBox` ciphertext.

use sea_orm::{DatabaseConnection, EntityTrait, Set, sea_query::OnConflict};

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
    // One upsert, so two admins (or replicas) saving the same key at once cannot both insert.
    setting::Entity::insert(setting::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(value),
        encrypted: Set(encrypted),
        updated_at: Set(now()),
    })
    .on_conflict(
        OnConflict::column(setting::Column::Key)
            .update_columns([
                setting::Column::Value,
                setting::Column::Encrypted,
                setting::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
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
