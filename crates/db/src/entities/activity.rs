use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub course_id: i32,
    pub name: String,
    pub description: String,
    pub opens_at: i64,
    pub closes_at: i64,
    pub early_entry_minutes: i32,
    pub completion_minutes: Option<i32>,
    pub server_id: i32,
    #[sea_orm(unique)]
    pub room_name: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// The invitation code other activities use to meet in this one's room (rotatable).
    pub share_code: Option<String>,
    /// Meets in that activity's room instead of its own.
    pub room_source_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
