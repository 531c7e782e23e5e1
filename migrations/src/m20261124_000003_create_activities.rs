use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261124_000002_create_courses::Courses;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(JitsiServers::Table)
                    .if_not_exists()
                    .col(pk_auto(JitsiServers::Id))
                    .col(string_len(JitsiServers::Name, 100))
                    // Base URL such as https://meet.jit.si; external_api.js is loaded from it.
                    .col(string_len_uniq(JitsiServers::BaseUrl, 255))
                    .col(boolean(JitsiServers::IsDefault).default(false))
                    .col(big_integer(JitsiServers::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Activities::Table)
                    .if_not_exists()
                    .col(pk_auto(Activities::Id))
                    .col(integer(Activities::CourseId))
                    .col(string_len(Activities::Name, 200))
                    .col(text(Activities::Description))
                    .col(big_integer(Activities::OpensAt))
                    .col(big_integer(Activities::ClosesAt))
                    .col(integer(Activities::EarlyEntryMinutes).default(0))
                    .col(integer_null(Activities::CompletionMinutes))
                    .col(integer(Activities::ServerId))
                    // Derived on the server at creation and never changed: links and recordings
                    // stay attached to the same room when the activity is renamed.
                    .col(string_len_uniq(Activities::RoomName, 120))
                    .col(big_integer(Activities::CreatedAt))
                    .col(big_integer(Activities::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Activities::Table, Activities::CourseId)
                            .to(Courses::Table, Courses::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Activities::Table, Activities::ServerId)
                            .to(JitsiServers::Table, JitsiServers::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_activities_course_opens")
                    .table(Activities::Table)
                    .col(Activities::CourseId)
                    .col(Activities::OpensAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CapabilityOverrides::Table)
                    .if_not_exists()
                    .col(pk_auto(CapabilityOverrides::Id))
                    .col(integer(CapabilityOverrides::ActivityId))
                    .col(string_len(CapabilityOverrides::Role, 32))
                    .col(string_len(CapabilityOverrides::Capability, 32))
                    .col(boolean(CapabilityOverrides::Allow))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CapabilityOverrides::Table, CapabilityOverrides::ActivityId)
                            .to(Activities::Table, Activities::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_capability_overrides")
                    .table(CapabilityOverrides::Table)
                    .col(CapabilityOverrides::ActivityId)
                    .col(CapabilityOverrides::Role)
                    .col(CapabilityOverrides::Capability)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CapabilityOverrides::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Activities::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(JitsiServers::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum JitsiServers {
    Table,
    Id,
    Name,
    BaseUrl,
    IsDefault,
    CreatedAt,
}

#[derive(DeriveIden)]
pub enum Activities {
    Table,
    Id,
    CourseId,
    Name,
    Description,
    OpensAt,
    ClosesAt,
    EarlyEntryMinutes,
    CompletionMinutes,
    ServerId,
    RoomName,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CapabilityOverrides {
    Table,
    Id,
    ActivityId,
    Role,
    Capability,
    Allow,
}
