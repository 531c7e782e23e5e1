//! BigBlueButton: servers in the registry (with their checksum algorithm), the BBB rooms Aula
//! creates (one random, immutable `meetingID` per activity or meeting, kept after deletion so a
//! late callback can be answered 410), joins made through Aula, and the analytics callback's
//! session log.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261124_000003_create_activities::JitsiServers;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(JitsiServers::Table)
                    .add_column(string_len(Cols::ChecksumAlgo, 16).default("sha256"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BbbRooms::Table)
                    .if_not_exists()
                    .col(pk_auto(BbbRooms::Id))
                    // Random, never derived from a name: renaming cannot orphan recordings.
                    .col(string_len_uniq(BbbRooms::MeetingId, 64))
                    // Exactly one of the two owners is set. No foreign keys: the row outlives
                    // its owner as a tombstone (`deleted_at`).
                    .col(integer_null(BbbRooms::ActivityId).unique_key())
                    .col(integer_null(BbbRooms::MeetingRef).unique_key())
                    .col(integer(BbbRooms::ServerId))
                    // The `createTime` of the running BBB meeting, sent back on every join.
                    .col(big_integer_null(BbbRooms::CreateTime))
                    // When BBB's end callback said a recording was made (Unix seconds); cleared
                    // when the recording-ready callback arrives. Drives "being processed".
                    .col(big_integer_null(BbbRooms::RecordingPendingAt))
                    .col(big_integer(BbbRooms::CreatedAt))
                    .col(big_integer_null(BbbRooms::DeletedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BbbJoins::Table)
                    .if_not_exists()
                    .col(pk_auto(BbbJoins::Id))
                    .col(integer(BbbJoins::RoomId))
                    .col(integer_null(BbbJoins::UserId))
                    .col(string_len(BbbJoins::Name, 255))
                    .col(boolean(BbbJoins::Moderator))
                    .col(boolean(BbbJoins::Guest))
                    .col(big_integer(BbbJoins::CreateTime))
                    .col(big_integer(BbbJoins::JoinedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(BbbJoins::Table, BbbJoins::RoomId)
                            .to(BbbRooms::Table, BbbRooms::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_bbb_joins_room")
                    .table(BbbJoins::Table)
                    .col(BbbJoins::RoomId)
                    .col(BbbJoins::JoinedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BbbSessionLogs::Table)
                    .if_not_exists()
                    .col(pk_auto(BbbSessionLogs::Id))
                    .col(integer(BbbSessionLogs::RoomId))
                    .col(string_len(BbbSessionLogs::InternalMeetingId, 128))
                    .col(big_integer(BbbSessionLogs::StartedMs))
                    .col(big_integer(BbbSessionLogs::FinishedMs))
                    .col(big_integer(BbbSessionLogs::DurationSecs))
                    .col(big_integer(BbbSessionLogs::ReceivedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(BbbSessionLogs::Table, BbbSessionLogs::RoomId)
                            .to(BbbRooms::Table, BbbRooms::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // BBB may deliver the same report twice: the second insert fails and is acknowledged.
        manager
            .create_index(
                Index::create()
                    .name("uq_bbb_session_logs_meeting")
                    .table(BbbSessionLogs::Table)
                    .col(BbbSessionLogs::RoomId)
                    .col(BbbSessionLogs::InternalMeetingId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BbbSessionAttendees::Table)
                    .if_not_exists()
                    .col(pk_auto(BbbSessionAttendees::Id))
                    .col(integer(BbbSessionAttendees::LogId))
                    .col(string_len(BbbSessionAttendees::ExtUserId, 128))
                    .col(integer_null(BbbSessionAttendees::UserId))
                    .col(string_len(BbbSessionAttendees::Name, 255))
                    .col(boolean(BbbSessionAttendees::Moderator))
                    .col(big_integer(BbbSessionAttendees::DurationSecs))
                    .col(big_integer(BbbSessionAttendees::TalkTimeSecs))
                    .col(integer(BbbSessionAttendees::Chats))
                    .col(integer(BbbSessionAttendees::Talks))
                    .col(integer(BbbSessionAttendees::RaiseHands))
                    .col(integer(BbbSessionAttendees::PollVotes))
                    // JSON arrays of Unix ms.
                    .col(text(BbbSessionAttendees::Joins))
                    .col(text(BbbSessionAttendees::Leaves))
                    .foreign_key(
                        ForeignKey::create()
                            .from(BbbSessionAttendees::Table, BbbSessionAttendees::LogId)
                            .to(BbbSessionLogs::Table, BbbSessionLogs::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            BbbSessionAttendees::Table.into_iden(),
            BbbSessionLogs::Table.into_iden(),
            BbbJoins::Table.into_iden(),
            BbbRooms::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(JitsiServers::Table)
                    .drop_column(Cols::ChecksumAlgo)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Cols {
    ChecksumAlgo,
}

#[derive(DeriveIden)]
pub enum BbbRooms {
    Table,
    Id,
    MeetingId,
    ActivityId,
    MeetingRef,
    ServerId,
    CreateTime,
    RecordingPendingAt,
    CreatedAt,
    DeletedAt,
}

#[derive(DeriveIden)]
enum BbbJoins {
    Table,
    Id,
    RoomId,
    UserId,
    Name,
    Moderator,
    Guest,
    CreateTime,
    JoinedAt,
}

#[derive(DeriveIden)]
enum BbbSessionLogs {
    Table,
    Id,
    RoomId,
    InternalMeetingId,
    StartedMs,
    FinishedMs,
    DurationSecs,
    ReceivedAt,
}

#[derive(DeriveIden)]
enum BbbSessionAttendees {
    Table,
    Id,
    LogId,
    ExtUserId,
    UserId,
    Name,
    Moderator,
    DurationSecs,
    TalkTimeSecs,
    Chats,
    Talks,
    RaiseHands,
    PollVotes,
    Joins,
    Leaves,
}
