//! A user's change of e-mail address waits for a code sent to the new address. The answer to the
//! change is the same whether or not the address belongs to someone else, so the profile form
//! cannot be used to find out who has an account.

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
                    .table(EmailChanges::Table)
                    .if_not_exists()
                    .col(integer(EmailChanges::UserId).primary_key())
                    .col(string_len(EmailChanges::NewEmail, 254))
                    // SHA-256 of the user id and the code: the code itself is only in the e-mail.
                    .col(string_len(EmailChanges::CodeHash, 64))
                    .col(big_integer(EmailChanges::ExpiresAt))
                    .col(integer(EmailChanges::Attempts))
                    .foreign_key(
                        ForeignKey::create()
                            .from(EmailChanges::Table, EmailChanges::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(EmailChanges::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum EmailChanges {
    Table,
    UserId,
    NewEmail,
    CodeHash,
    ExpiresAt,
    Attempts,
}
