use sea_orm::entity::prelude::*;

/// One joined browser tab (or device): opened on `videoConferenceJoined`, closed on leave.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attendance_sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub activity_id: i32,
    pub user_id: Option<i32>,
    pub guest_key: Option<String>,
    pub guest_name: Option<String>,
    /// Unix milliseconds (server clock).
    pub opened_ms: i64,
    pub closed_ms: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
