use sea_orm::entity::prelude::*;

/// One attendee of a reported session; `joins`/`leaves` are JSON arrays of Unix ms.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bbb_session_attendees")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub log_id: i32,
    pub ext_user_id: String,
    pub user_id: Option<i32>,
    pub name: String,
    pub moderator: bool,
    pub duration_secs: i64,
    pub talk_time_secs: i64,
    pub chats: i32,
    pub talks: i32,
    pub raise_hands: i32,
    pub poll_votes: i32,
    #[sea_orm(column_type = "Text")]
    pub joins: String,
    #[sea_orm(column_type = "Text")]
    pub leaves: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
