//! Co-ownership of a meeting is offered, not imposed: an owner invites an e-mail address, and
//! the person with that address accepts (or declines) on their "My meetings" page. Until then
//! the invitation shows only the address the owner typed, so inviting reveals nothing about who
//! has an account.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261124_000001_create_accounts::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CoOwnerInvitations::Table)
                    .if_not_exists()
                    .col(pk_auto(CoOwnerInvitations::Id))
                    .col(integer(CoOwnerInvitations::MeetingId))
                    // Lowercased, as accounts store it.
                    .col(string_len(CoOwnerInvitations::Email, 254))
                    .col(integer(CoOwnerInvitations::InvitedBy))
                    .col(big_integer(CoOwnerInvitations::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CoOwnerInvitations::Table, CoOwnerInvitations::MeetingId)
                            .to(Meetings::Table, Meetings::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CoOwnerInvitations::Table, CoOwnerInvitations::InvitedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_co_owner_invitations")
                    .table(CoOwnerInvitations::Table)
                    .col(CoOwnerInvitations::MeetingId)
                    .col(CoOwnerInvitations::Email)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_co_owner_invitations_email")
                    .table(CoOwnerInvitations::Table)
                    .col(CoOwnerInvitations::Email)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CoOwnerInvitations::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum CoOwnerInvitations {
    #[sea_orm(iden = "co_owner_invitations")]
    Table,
    Id,
    MeetingId,
    Email,
    InvitedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Meetings {
    Table,
    Id,
}
