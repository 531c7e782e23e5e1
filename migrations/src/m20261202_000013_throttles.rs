//! Counters for rate limits and login back-off, kept in the database so every replica sees the
//! same counts (login failures per account, device and client IP; calendar-feed misses; guest
//! requests). One row per key; old rows are swept by the jobs loop.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Throttles::Table)
                    .if_not_exists()
                    // 191 characters: the longest key MariaDB indexes in utf8mb4.
                    .col(string_len(Throttles::Key, 191).primary_key())
                    .col(integer(Throttles::Hits))
                    // Start of the counting window, and the latest hit (Unix ms).
                    .col(big_integer(Throttles::SinceMs))
                    .col(big_integer(Throttles::LastMs))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Throttles::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Throttles {
    Table,
    Key,
    Hits,
    SinceMs,
    LastMs,
}
