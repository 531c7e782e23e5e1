//! Jitsi server types and their token settings. One ALTER per column: SQLite accepts only one
//! change per ALTER TABLE. Secrets (`secret_enc`, `private_key_enc`) hold `SecretBox` ciphertext.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261124_000003_create_activities::JitsiServers;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Cols {
    Kind,
    AppId,
    SecretEnc,
    ModerationRule,
    KeyId,
    PrivateKeyEnc,
    TokenTtlSecs,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns = [
            // public | jwt | jaas
            string_len(Cols::Kind, 16).default("public").to_owned(),
            string_len_null(Cols::AppId, 255).to_owned(),
            text_null(Cols::SecretEnc).to_owned(),
            // affiliation (token_affiliation) | moderator (the older top-level claim plugin)
            string_len(Cols::ModerationRule, 16)
                .default("affiliation")
                .to_owned(),
            string_len_null(Cols::KeyId, 255).to_owned(),
            text_null(Cols::PrivateKeyEnc).to_owned(),
            integer(Cols::TokenTtlSecs).default(120).to_owned(),
            big_integer(Cols::UpdatedAt).default(0).to_owned(),
        ];
        for mut col in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(JitsiServers::Table)
                        .add_column(&mut col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            Cols::Kind,
            Cols::AppId,
            Cols::SecretEnc,
            Cols::ModerationRule,
            Cols::KeyId,
            Cols::PrivateKeyEnc,
            Cols::TokenTtlSecs,
            Cols::UpdatedAt,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(JitsiServers::Table)
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
