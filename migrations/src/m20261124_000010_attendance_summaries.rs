//! Per-activity attendance totals, kept once an activity has closed and its intervals no longer
//! change, so the course report reads one row per activity instead of every interval.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261124_000003_create_activities::Activities;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AttendanceSummaries::Table)
                    .if_not_exists()
                    .col(integer(AttendanceSummaries::ActivityId).primary_key())
                    // The closing time the totals were computed for: a teacher moving it makes
                    // the row stale.
                    .col(big_integer(AttendanceSummaries::ClosesAt))
                    // JSON `[[person, total_ms], …]`.
                    .col(text(AttendanceSummaries::Totals))
                    .col(big_integer(AttendanceSummaries::ComputedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AttendanceSummaries::Table, AttendanceSummaries::ActivityId)
                            .to(Activities::Table, Activities::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AttendanceSummaries::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AttendanceSummaries {
    Table,
    ActivityId,
    ClosesAt,
    Totals,
    ComputedAt,
}
