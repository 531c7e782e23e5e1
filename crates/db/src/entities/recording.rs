use sea_orm::entity::prelude::*;

/// One YouTube broadcast and how the owning activity shows it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "recordings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub activity_id: Option<i32>,
    pub account_id: i32,
    pub author_id: Option<i32>,
    /// The broadcast id, which is also the video id.
    pub broadcast_id: Option<String>,
    pub stream_id: Option<String>,
    pub title: String,
    /// `starting`, `live`, `ended` or `failed`.
    pub status: String,
    /// 0 not yet, 1 done, -1 YouTube refused (retried on the next stop or listing).
    pub embeddable: i16,
    pub visible: bool,
    pub created_at: i64,
    pub ended_at: Option<i64>,
    pub delete_marked_at: Option<i64>,
    pub purged_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
