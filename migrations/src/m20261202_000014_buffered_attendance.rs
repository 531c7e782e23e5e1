//! Time credited from heartbeats a browser held back while offline is stored apart from time
//! heard live: each interval says which it is, and reports show the first separately.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(AttendanceIntervals::Table)
                    .add_column(boolean(AttendanceIntervals::Buffered).default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(AttendanceIntervals::Table)
                    .drop_column(AttendanceIntervals::Buffered)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum AttendanceIntervals {
    Table,
    Buffered,
}
