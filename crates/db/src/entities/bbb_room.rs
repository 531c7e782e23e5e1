use sea_orm::entity::prelude::*;

/// A BigBlueButton meeting Aula created for an activity or a meeting. `meeting_id` is random and
/// never changes; the row stays (`deleted_at`) after its owner is deleted so late callbacks get 410.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bbb_rooms")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub meeting_id: String,
    pub activity_id: Option<i32>,
    pub meeting_ref: Option<i32>,
    pub server_id: i32,
    /// `createTime` (ms) of the running BBB meeting; joins must send it back.
    pub create_time: Option<i64>,
    /// When BBB's end callback reported recording marks (Unix seconds), until the recording is
    /// announced ready: the recordings list says one is being processed.
    pub recording_pending_at: Option<i64>,
    pub created_at: i64,
    pub deleted_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
