//! Attendance: one row per joined tab (`attendance_sessions`) and the intervals the server saw it
//! in the meeting (`attendance_intervals`). Attendance instants are Unix **milliseconds**: heartbeats
//! arrive every 30 s and the union of several tabs is computed to the millisecond.

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
                    .table(AttendanceSessions::Table)
                    .if_not_exists()
                    .col(pk_auto(AttendanceSessions::Id))
                    .col(integer(AttendanceSessions::ActivityId))
                    // A signed-in person; guests (no account) get `guest_key` instead.
                    .col(integer_null(AttendanceSessions::UserId))
                    .col(string_len_null(AttendanceSessions::GuestKey, 64))
                    .col(string_len_null(AttendanceSessions::GuestName, 100))
                    .col(big_integer(AttendanceSessions::OpenedMs))
                    .col(big_integer_null(AttendanceSessions::ClosedMs))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AttendanceSessions::Table, AttendanceSessions::ActivityId)
                            .to(Activities::Table, Activities::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AttendanceIntervals::Table)
                    .if_not_exists()
                    .col(pk_auto(AttendanceIntervals::Id))
                    .col(integer(AttendanceIntervals::SessionId))
                    // Copied from the session so reports read one table.
                    .col(integer(AttendanceIntervals::ActivityId))
                    .col(integer_null(AttendanceIntervals::UserId))
                    .col(string_len_null(AttendanceIntervals::GuestKey, 64))
                    .col(big_integer(AttendanceIntervals::StartMs))
                    // The server's credited end so far; the interval's length is last_seen - start.
                    .col(big_integer(AttendanceIntervals::LastSeenMs))
                    // Set (to last_seen) when the interval is closed by a leave or a gap.
                    .col(big_integer_null(AttendanceIntervals::EndMs))
                    .col(big_integer(AttendanceIntervals::LastSeq))
                    .col(big_integer(AttendanceIntervals::LastClientMs))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AttendanceIntervals::Table, AttendanceIntervals::SessionId)
                            .to(AttendanceSessions::Table, AttendanceSessions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, table, cols) in [
            (
                "idx_att_sessions_activity",
                AttendanceSessions::Table.into_iden(),
                vec![
                    AttendanceSessions::ActivityId.into_iden(),
                    AttendanceSessions::UserId.into_iden(),
                ],
            ),
            (
                "idx_att_intervals_session",
                AttendanceIntervals::Table.into_iden(),
                vec![
                    AttendanceIntervals::SessionId.into_iden(),
                    AttendanceIntervals::EndMs.into_iden(),
                ],
            ),
            (
                "idx_att_intervals_activity",
                AttendanceIntervals::Table.into_iden(),
                vec![
                    AttendanceIntervals::ActivityId.into_iden(),
                    AttendanceIntervals::StartMs.into_iden(),
                ],
            ),
            (
                "idx_att_intervals_user",
                AttendanceIntervals::Table.into_iden(),
                vec![
                    AttendanceIntervals::UserId.into_iden(),
                    AttendanceIntervals::ActivityId.into_iden(),
                ],
            ),
        ] {
            let mut idx = Index::create();
            idx.name(name).table(table);
            for c in cols {
                idx.col(c);
            }
            manager.create_index(idx.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AttendanceIntervals::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AttendanceSessions::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AttendanceSessions {
    Table,
    Id,
    ActivityId,
    UserId,
    GuestKey,
    GuestName,
    OpenedMs,
    ClosedMs,
}

#[derive(DeriveIden)]
enum AttendanceIntervals {
    Table,
    Id,
    SessionId,
    ActivityId,
    UserId,
    GuestKey,
    StartMs,
    LastSeenMs,
    EndMs,
    LastSeq,
    LastClientMs,
}
