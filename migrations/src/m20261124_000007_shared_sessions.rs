//! Shared sessions: an activity can meet in another activity's room, joined through that
//! activity's invitation code. No foreign key on `room_source_id` (SQLite cannot add one to an
//! existing table); a dangling id simply means "own room".

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261124_000003_create_activities::Activities;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Cols {
    ShareCode,
    RoomSourceId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for mut col in [
            string_len_null(Cols::ShareCode, 32).to_owned(),
            integer_null(Cols::RoomSourceId).to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Activities::Table)
                        .add_column(&mut col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("uq_activities_share_code")
                    .table(Activities::Table)
                    .col(Cols::ShareCode)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("uq_activities_share_code")
                    .table(Activities::Table)
                    .to_owned(),
            )
            .await?;
        for col in [Cols::ShareCode, Cols::RoomSourceId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Activities::Table)
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
