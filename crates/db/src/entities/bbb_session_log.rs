use sea_orm::entity::prelude::*;

/// One BBB session as its analytics callback reported it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bbb_session_logs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub room_id: i32,
    pub internal_meeting_id: String,
    pub started_ms: i64,
    pub finished_ms: i64,
    pub duration_secs: i64,
    pub received_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
