use sea_orm::entity::prelude::*;

/// An authorization in progress: the admin went to Google and has not come back yet.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "oauth_flows")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub state_hash: String,
    pub session_hash: String,
    pub user_id: i32,
    pub verifier_enc: String,
    pub account_id: Option<i32>,
    pub account_name: String,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
