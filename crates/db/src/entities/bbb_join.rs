use sea_orm::entity::prelude::*;

/// One join through Aula (who, as what, into which BBB session).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bbb_joins")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub room_id: i32,
    pub user_id: Option<i32>,
    pub name: String,
    pub moderator: bool,
    pub guest: bool,
    pub create_time: i64,
    pub joined_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
