//! Meetings outside courses (on BigBlueButton): personal rooms and meetings users create, their
//! co-owners, the courses whose members may join a restricted meeting, e-mail invitations sent,
//! and each user's secret calendar feed.

use sea_orm_migration::{prelude::*, schema::*};

use crate::{m20261124_000001_create_accounts::Users, m20261124_000002_create_courses::Courses};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn cascade(
    from: (Meetings, Meetings),
    to_table: impl IntoIden,
    to_col: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to_table, to_col)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Meetings::Table)
                    .if_not_exists()
                    .col(pk_auto(Meetings::Id))
                    // The unguessable id in the meeting's link (`/m/<public_id>`).
                    .col(string_len_uniq(Meetings::PublicId, 24))
                    .col(integer(Meetings::OwnerId))
                    .col(string_len(Meetings::Name, 100))
                    .col(text(Meetings::Welcome))
                    .col(boolean(Meetings::IsPersonal).default(false))
                    .col(integer(Meetings::ServerId))
                    .col(big_integer(Meetings::StartsAt))
                    .col(integer(Meetings::DurationMinutes))
                    // IANA zone the series keeps its wall-clock time in (across DST changes).
                    .col(string_len(Meetings::TimeZone, 64))
                    // JSON of `meetings::rule::Recurrence`; NULL for a single meeting.
                    .col(text_null(Meetings::Recurrence))
                    // `link`, `users` or `courses`.
                    .col(string_len(Meetings::Access, 16))
                    // Optional access code for `link` meetings, encrypted with the master key.
                    .col(text_null(Meetings::AccessCodeEnc))
                    .col(boolean(Meetings::CodeInInvitations).default(false))
                    // `ALWAYS_ACCEPT` or `ASK_MODERATOR`.
                    .col(string_len(Meetings::GuestPolicy, 16))
                    // BBB `duration` in minutes; 0 is no limit.
                    .col(integer(Meetings::MaxDurationMinutes).default(0))
                    .col(boolean(Meetings::Record).default(false))
                    .col(boolean(Meetings::AutoStartRecording).default(false))
                    .col(boolean(Meetings::AllowStartStopRecording).default(true))
                    .col(string_len_null(Meetings::SlidesName, 255))
                    .col(string_len_null(Meetings::SlidesPath, 255))
                    .col(big_integer(Meetings::CreatedAt))
                    .col(big_integer(Meetings::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Meetings::Table, Meetings::OwnerId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_meetings_owner")
                    .table(Meetings::Table)
                    .col(Meetings::OwnerId)
                    .to_owned(),
            )
            .await?;
        for (table, index, other, other_table, other_id) in [
            (
                Meetings::OwnersTable,
                "uq_meeting_owners",
                Meetings::UserId,
                Users::Table.into_iden(),
                Users::Id.into_iden(),
            ),
            (
                Meetings::CoursesTable,
                "uq_meeting_courses",
                Meetings::CourseId,
                Courses::Table.into_iden(),
                Courses::Id.into_iden(),
            ),
        ] {
            manager
                .create_table(
                    Table::create()
                        .table(table)
                        .if_not_exists()
                        .col(pk_auto(Meetings::Id))
                        .col(integer(Meetings::MeetingId))
                        .col(integer(other))
                        .foreign_key(&mut cascade(
                            (table, Meetings::MeetingId),
                            Meetings::Table,
                            Meetings::Id,
                        ))
                        .foreign_key(
                            &mut ForeignKey::create()
                                .from(table, other)
                                .to(other_table, other_id)
                                .on_delete(ForeignKeyAction::Cascade)
                                .to_owned(),
                        )
                        .index(
                            Index::create()
                                .name(index)
                                .col(Meetings::MeetingId)
                                .col(other)
                                .unique(),
                        )
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(Meetings::InvitationsTable)
                    .if_not_exists()
                    .col(pk_auto(Meetings::Id))
                    .col(integer(Meetings::MeetingId))
                    .col(string_len(Meetings::Email, 254))
                    .col(integer(Meetings::SentBy))
                    .col(big_integer(Meetings::SentAt))
                    .foreign_key(&mut cascade(
                        (Meetings::InvitationsTable, Meetings::MeetingId),
                        Meetings::Table,
                        Meetings::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        // The calendar feed finds the meetings a user was invited to by their address.
        manager
            .create_index(
                Index::create()
                    .name("ix_meeting_invitations_email")
                    .table(Meetings::InvitationsTable)
                    .col(Meetings::Email)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CalendarFeeds::Table)
                    .if_not_exists()
                    .col(integer(CalendarFeeds::UserId).primary_key())
                    // SHA-256 of the token in the feed URL (lookup); the token itself encrypted
                    // so the user can copy the URL again.
                    .col(string_len_uniq(CalendarFeeds::TokenHash, 64))
                    .col(text(CalendarFeeds::TokenEnc))
                    .col(big_integer(CalendarFeeds::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CalendarFeeds::Table, CalendarFeeds::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            CalendarFeeds::Table.into_iden(),
            Meetings::InvitationsTable.into_iden(),
            Meetings::CoursesTable.into_iden(),
            Meetings::OwnersTable.into_iden(),
            Meetings::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Meetings {
    Table,
    #[sea_orm(iden = "meeting_owners")]
    OwnersTable,
    #[sea_orm(iden = "meeting_courses")]
    CoursesTable,
    #[sea_orm(iden = "meeting_invitations")]
    InvitationsTable,
    Id,
    PublicId,
    OwnerId,
    Name,
    Welcome,
    IsPersonal,
    ServerId,
    StartsAt,
    DurationMinutes,
    TimeZone,
    Recurrence,
    Access,
    AccessCodeEnc,
    CodeInInvitations,
    GuestPolicy,
    MaxDurationMinutes,
    Record,
    AutoStartRecording,
    AllowStartStopRecording,
    SlidesName,
    SlidesPath,
    CreatedAt,
    UpdatedAt,
    MeetingId,
    UserId,
    CourseId,
    Email,
    SentBy,
    SentAt,
}

#[derive(DeriveIden)]
enum CalendarFeeds {
    Table,
    UserId,
    TokenHash,
    TokenEnc,
    CreatedAt,
}
