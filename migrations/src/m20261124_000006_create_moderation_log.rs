//! The moderator audit log: who did what to whom in which activity's meeting, and when.

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
                    .table(ModerationLog::Table)
                    .if_not_exists()
                    .col(pk_auto(ModerationLog::Id))
                    .col(integer(ModerationLog::ActivityId))
                    .col(integer(ModerationLog::ActorUserId))
                    .col(string_len(ModerationLog::Action, 32))
                    // The participant acted on, as the meeting named them, and their Aula account
                    // when the token identified one.
                    .col(string_len_null(ModerationLog::TargetName, 100))
                    .col(integer_null(ModerationLog::TargetUserId))
                    .col(big_integer(ModerationLog::At))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ModerationLog::Table, ModerationLog::ActivityId)
                            .to(Activities::Table, Activities::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_moderation_log_activity")
                    .table(ModerationLog::Table)
                    .col(ModerationLog::ActivityId)
                    .col(ModerationLog::At)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ModerationLog::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ModerationLog {
    Table,
    Id,
    ActivityId,
    ActorUserId,
    Action,
    TargetName,
    TargetUserId,
    At,
}
