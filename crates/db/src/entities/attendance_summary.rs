use sea_orm::entity::prelude::*;

/// An activity's attendance totals per person, stored once it has closed (see `reports`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attendance_summaries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub activity_id: i32,
    pub closes_at: i64,
    /// JSON `[[person, total_ms], …]` (guests as negative ids, as in reports).
    pub totals: String,
    pub computed_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
