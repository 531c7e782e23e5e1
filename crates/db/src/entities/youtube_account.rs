use sea_orm::entity::prelude::*;

/// A YouTube channel that receives broadcasts. Tokens are `SecretBox` ciphertext.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "youtube_accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    pub access_token_enc: Option<String>,
    pub refresh_token_enc: Option<String>,
    pub expires_at: i64,
    pub in_use: bool,
    pub in_queue: bool,
    pub failing_reason: Option<String>,
    pub failing_since: Option<i64>,
    pub created_by: i32,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
