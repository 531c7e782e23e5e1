//! Database migrations for Aula. They run at startup (`aula serve`), with `aula migrate`, and in every
//! integration test, on SQLite, PostgreSQL and MariaDB alike. Never edit one that has shipped: add a
//! new file instead.
//!
//! Instants are stored as BIGINT Unix seconds (UTC). That keeps one meaning on all three engines
//! (MariaDB's TIMESTAMP ends in 2038 and auto-updates; SQLite has no time type at all).

pub use sea_orm_migration::prelude::*;

mod m20261124_000001_create_accounts;
mod m20261124_000002_create_courses;
mod m20261124_000003_create_activities;
mod m20261124_000004_create_attendance;
mod m20261124_000005_jitsi_server_tokens;
mod m20261124_000006_create_moderation_log;
mod m20261124_000007_shared_sessions;
mod m20261124_000008_guest_links;
mod m20261124_000009_recordings;
mod m20261124_000010_attendance_summaries;
mod m20261201_000011_bigbluebutton;
mod m20261201_000012_meetings;
mod m20261202_000013_throttles;
mod m20261202_000014_buffered_attendance;
mod m20261202_000015_co_owner_invitations;
mod m20261202_000016_email_changes;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_create_accounts::Migration),
            Box::new(m20261124_000002_create_courses::Migration),
            Box::new(m20261124_000003_create_activities::Migration),
            Box::new(m20261124_000004_create_attendance::Migration),
            Box::new(m20261124_000005_jitsi_server_tokens::Migration),
            Box::new(m20261124_000006_create_moderation_log::Migration),
            Box::new(m20261124_000007_shared_sessions::Migration),
            Box::new(m20261124_000008_guest_links::Migration),
            Box::new(m20261124_000009_recordings::Migration),
            Box::new(m20261124_000010_attendance_summaries::Migration),
            Box::new(m20261201_000011_bigbluebutton::Migration),
            Box::new(m20261201_000012_meetings::Migration),
            Box::new(m20261202_000013_throttles::Migration),
            Box::new(m20261202_000014_buffered_attendance::Migration),
            Box::new(m20261202_000015_co_owner_invitations::Migration),
            Box::new(m20261202_000016_email_changes::Migration),
        ]
    }
}
