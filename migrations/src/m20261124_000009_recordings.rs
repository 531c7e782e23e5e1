//! Record and stream: the YouTube accounts that receive broadcasts, the OAuth flows that add them,
//! the recordings each activity shows, the per-activity recording lock, a site-wide audit log and
//! the leases that let one replica run a background job at a time.

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
                    .table(YoutubeAccounts::Table)
                    .if_not_exists()
                    .col(pk_auto(YoutubeAccounts::Id))
                    .col(string_len(YoutubeAccounts::Name, 100))
                    // Both tokens are SecretBox ciphertext; null until the first authorization.
                    .col(text_null(YoutubeAccounts::AccessTokenEnc))
                    .col(text_null(YoutubeAccounts::RefreshTokenEnc))
                    .col(big_integer(YoutubeAccounts::ExpiresAt).default(0))
                    .col(boolean(YoutubeAccounts::InUse).default(false))
                    .col(boolean(YoutubeAccounts::InQueue).default(false))
                    .col(string_len_null(YoutubeAccounts::FailingReason, 300))
                    .col(big_integer_null(YoutubeAccounts::FailingSince))
                    .col(integer(YoutubeAccounts::CreatedBy))
                    .col(big_integer(YoutubeAccounts::CreatedAt))
                    .col(big_integer(YoutubeAccounts::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OauthFlows::Table)
                    .if_not_exists()
                    // SHA-256 of the `state` sent to Google.
                    .col(string_len(OauthFlows::StateHash, 64).primary_key())
                    // SHA-256 of the admin's session cookie: the callback must come back in it.
                    .col(string_len(OauthFlows::SessionHash, 64))
                    .col(integer(OauthFlows::UserId))
                    .col(text(OauthFlows::VerifierEnc))
                    .col(integer_null(OauthFlows::AccountId))
                    .col(string_len(OauthFlows::AccountName, 100))
                    .col(big_integer(OauthFlows::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Recordings::Table)
                    .if_not_exists()
                    .col(pk_auto(Recordings::Id))
                    // The activity that owns the room; shared sessions show it too. Null once the
                    // activity is deleted (its recordings are marked for deletion first).
                    .col(integer_null(Recordings::ActivityId))
                    .col(integer(Recordings::AccountId))
                    .col(integer_null(Recordings::AuthorId))
                    .col(string_len_null(Recordings::BroadcastId, 64))
                    .col(string_len_null(Recordings::StreamId, 64))
                    .col(string_len(Recordings::Title, 200))
                    .col(string_len(Recordings::Status, 16))
                    .col(small_integer(Recordings::Embeddable).default(0))
                    .col(boolean(Recordings::Visible).default(true))
                    .col(big_integer(Recordings::CreatedAt))
                    .col(big_integer_null(Recordings::EndedAt))
                    .col(big_integer_null(Recordings::DeleteMarkedAt))
                    .col(big_integer_null(Recordings::PurgedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Recordings::Table, Recordings::ActivityId)
                            .to(Activities::Table, Activities::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Recordings::Table, Recordings::AccountId)
                            .to(YoutubeAccounts::Table, YoutubeAccounts::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_recordings_activity")
                    .table(Recordings::Table)
                    .col(Recordings::ActivityId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_recordings_delete_marked")
                    .table(Recordings::Table)
                    .col(Recordings::DeleteMarkedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RecordingLocks::Table)
                    .if_not_exists()
                    // One row per activity: the primary key makes taking the lock atomic.
                    .col(integer(RecordingLocks::ActivityId).primary_key())
                    .col(integer(RecordingLocks::RecordingId))
                    .col(integer(RecordingLocks::AuthorId))
                    .col(big_integer(RecordingLocks::TakenAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RecordingLocks::Table, RecordingLocks::ActivityId)
                            .to(Activities::Table, Activities::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .if_not_exists()
                    .col(pk_auto(AuditLog::Id))
                    .col(integer_null(AuditLog::ActorId))
                    .col(string_len(AuditLog::Action, 40))
                    .col(string_len(AuditLog::Subject, 200))
                    .col(text(AuditLog::Detail))
                    .col(big_integer(AuditLog::At))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(JobLeases::Table)
                    .if_not_exists()
                    .col(string_len(JobLeases::Name, 64).primary_key())
                    .col(string_len(JobLeases::Holder, 64))
                    .col(big_integer(JobLeases::ExpiresAt))
                    // Bumped on every take, so an UPDATE always changes the row (MariaDB counts
                    // only changed rows as affected).
                    .col(big_integer(JobLeases::Generation).default(0))
                    .to_owned(),
            )
            .await?;
        let seed = Query::insert()
            .into_table(JobLeases::Table)
            .columns([
                JobLeases::Name,
                JobLeases::Holder,
                JobLeases::ExpiresAt,
                JobLeases::Generation,
            ])
            .values_panic([
                "recording_retention".into(),
                "".into(),
                0i64.into(),
                0i64.into(),
            ])
            .to_owned();
        manager.exec_stmt(seed).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            JobLeases::Table.into_iden(),
            AuditLog::Table.into_iden(),
            RecordingLocks::Table.into_iden(),
            Recordings::Table.into_iden(),
            OauthFlows::Table.into_iden(),
            YoutubeAccounts::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum YoutubeAccounts {
    Table,
    Id,
    Name,
    AccessTokenEnc,
    RefreshTokenEnc,
    ExpiresAt,
    InUse,
    InQueue,
    FailingReason,
    FailingSince,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OauthFlows {
    Table,
    StateHash,
    SessionHash,
    UserId,
    VerifierEnc,
    AccountId,
    AccountName,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Recordings {
    Table,
    Id,
    ActivityId,
    AccountId,
    AuthorId,
    BroadcastId,
    StreamId,
    Title,
    Status,
    Embeddable,
    Visible,
    CreatedAt,
    EndedAt,
    DeleteMarkedAt,
    PurgedAt,
}

#[derive(DeriveIden)]
enum RecordingLocks {
    Table,
    ActivityId,
    RecordingId,
    AuthorId,
    TakenAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    ActorId,
    Action,
    Subject,
    Detail,
    At,
}

#[derive(DeriveIden)]
enum JobLeases {
    Table,
    Name,
    Holder,
    ExpiresAt,
    Generation,
}
