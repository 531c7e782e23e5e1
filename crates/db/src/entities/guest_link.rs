use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "guest_links")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub activity_id: i32,
    #[sea_orm(unique)]
    pub token_hash: String,
    pub token_enc: String,
    pub label: String,
    pub expires_at: i64,
    pub max_uses: Option<i32>,
    pub uses: i32,
    pub revoked: bool,
    pub created_by: i32,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
