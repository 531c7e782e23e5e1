//! Guest links: a teacher's link that lets people without an account join one activity, with an
//! expiry, an optional use limit and a label; and each use of it (the guest's identity).

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
                    .table(GuestLinks::Table)
                    .if_not_exists()
                    .col(pk_auto(GuestLinks::Id))
                    .col(integer(GuestLinks::ActivityId))
                    // SHA-256 of the token in the URL, for lookup; the token itself is kept
                    // encrypted so the teacher can copy the link again.
                    .col(string_len_uniq(GuestLinks::TokenHash, 64))
                    .col(text(GuestLinks::TokenEnc))
                    .col(string_len(GuestLinks::Label, 100))
                    .col(big_integer(GuestLinks::ExpiresAt))
                    .col(integer_null(GuestLinks::MaxUses))
                    .col(integer(GuestLinks::Uses).default(0))
                    .col(boolean(GuestLinks::Revoked).default(false))
                    .col(integer(GuestLinks::CreatedBy))
                    .col(big_integer(GuestLinks::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(GuestLinks::Table, GuestLinks::ActivityId)
                            .to(Activities::Table, Activities::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(GuestUses::Table)
                    .if_not_exists()
                    .col(pk_auto(GuestUses::Id))
                    .col(integer(GuestUses::LinkId))
                    .col(string_len_uniq(GuestUses::GuestKey, 64))
                    .col(string_len(GuestUses::DisplayName, 100))
                    .col(big_integer(GuestUses::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(GuestUses::Table, GuestUses::LinkId)
                            .to(GuestLinks::Table, GuestLinks::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(GuestUses::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(GuestLinks::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum GuestLinks {
    Table,
    Id,
    ActivityId,
    TokenHash,
    TokenEnc,
    Label,
    ExpiresAt,
    MaxUses,
    Uses,
    Revoked,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum GuestUses {
    Table,
    Id,
    LinkId,
    GuestKey,
    DisplayName,
    UsedAt,
}
