use sea_orm::entity::prelude::*;

/// A stretch of time the server saw one session in the meeting. Its length is
/// `last_seen_ms - start_ms`; `end_ms` is set (equal to `last_seen_ms`) once it is closed.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attendance_intervals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub session_id: i32,
    pub activity_id: i32,
    pub user_id: Option<i32>,
    pub guest_key: Option<String>,
    pub start_ms: i64,
    pub last_seen_ms: i64,
    pub end_ms: Option<i64>,
    pub last_seq: i64,
    pub last_client_ms: i64,
    /// Credited from heartbeats the browser held back (offline) rather than heard live.
    pub buffered: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
