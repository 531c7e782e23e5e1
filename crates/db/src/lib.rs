//! Aula's database layer (server only): the sea-orm entities, hand-written to match
//! `migrations/`, and [`DbError`], which tells the failures a service answers differently apart.
//!
//! Enum columns are `domain` types (`DeriveActiveEnum`), so a row the code cannot read fails to
//! load with an error instead of silently becoming some default.

pub mod entities;

use sea_orm::{DbErr, SqlErr};

/// A database failure, sorted by what the caller should do about it.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The row asked for is not there.
    #[error("not found")]
    NotFound,
    /// A unique index refused the write: someone else holds the value (perhaps since a moment ago,
    /// which is why services insert and catch this rather than check first).
    #[error("a unique value is already taken")]
    UniqueViolation,
    /// Anything else: the caller cannot fix it, so it becomes a 500 with a reference id.
    #[error(transparent)]
    Other(DbErr),
}

impl From<DbErr> for DbError {
    fn from(e: DbErr) -> Self {
        match e {
            DbErr::RecordNotFound(_) => Self::NotFound,
            e => match e.sql_err() {
                Some(SqlErr::UniqueConstraintViolation(_)) => Self::UniqueViolation,
                _ => Self::Other(e),
            },
        }
    }
}

impl DbError {
    /// Whether a raw sea-orm error is a unique-index refusal, on SQLite, PostgreSQL or MariaDB.
    pub fn is_unique_violation(e: &DbErr) -> bool {
        matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use entities::{capability_override, course, enrolment, jitsi_server};
    use migration::MigratorTrait;
    use sea_orm::{
        ActiveModelTrait, ColumnTrait, ConnectionTrait, Database, DatabaseConnection, EntityTrait,
        PaginatorTrait, QueryFilter, Set,
    };

    async fn fresh() -> DatabaseConnection {
        let db = Database::connect("sqlite::memory:").await.unwrap();
        migration::Migrator::up(&db, None).await.unwrap();
        db
    }

    fn course(short: &str) -> course::ActiveModel {
        course::ActiveModel {
            name: Set("Physics".into()),
            short_name: Set(short.into()),
            description: Set(String::new()),
            created_at: Set(0),
            ..Default::default()
        }
    }

    #[tokio::test]
    async fn a_second_row_with_a_taken_unique_value_is_a_unique_violation() {
        let db = fresh().await;
        course("PHY1").insert(&db).await.unwrap();
        let err = course("PHY1").insert(&db).await.unwrap_err();
        assert!(DbError::is_unique_violation(&err), "{err}");
        assert!(matches!(DbError::from(err), DbError::UniqueViolation));
    }

    #[tokio::test]
    async fn other_failures_are_neither_not_found_nor_unique_violations() {
        let db = fresh().await;
        let err = db
            .execute_unprepared("SELECT * FROM no_such_table")
            .await
            .unwrap_err();
        assert!(matches!(DbError::from(err), DbError::Other(_)));
    }

    #[tokio::test]
    async fn a_stored_server_kind_the_code_does_not_know_fails_to_load() {
        let db = fresh().await;
        db.execute_unprepared(
            "INSERT INTO jitsi_servers (name, base_url, is_default, created_at, kind, \
             moderation_rule, token_ttl_secs, checksum_algo, updated_at) \
             VALUES ('Old', 'https://old.example/', false, 0, 'matrix', 'affiliation', 120, \
             'sha256', 0)",
        )
        .await
        .unwrap();
        let loaded = jitsi_server::Entity::find().all(&db).await;
        assert!(
            loaded.is_err(),
            "an unknown kind must not read as public Jitsi"
        );
    }

    #[tokio::test]
    async fn a_stored_course_role_or_capability_the_code_does_not_know_fails_to_load() {
        // Before these columns were typed, an unknown role was skipped with `filter_map`, so a
        // teacher whose row said "manager" silently lost every right in the course.
        let db = fresh().await;
        // Only the enum columns are under test; the rows they point at do not matter here.
        db.execute_unprepared("PRAGMA foreign_keys = OFF")
            .await
            .unwrap();
        db.execute_unprepared(
            "INSERT INTO enrolments (course_id, user_id, role, created_at) \
             VALUES (1, 1, 'manager', 0)",
        )
        .await
        .unwrap();
        assert!(enrolment::Entity::find().all(&db).await.is_err());
        let stored = enrolment::Entity::find()
            .filter(enrolment::Column::Role.eq("manager"))
            .count(&db)
            .await
            .unwrap();
        assert_eq!(stored, 1, "the row is there; only loading it is refused");
        db.execute_unprepared(
            "INSERT INTO capability_overrides (activity_id, role, capability, allow) \
             VALUES (1, 'student', 'mod/jitsi:view', true)",
        )
        .await
        .unwrap();
        assert!(capability_override::Entity::find().all(&db).await.is_err());
    }

    #[tokio::test]
    async fn known_enum_columns_round_trip_through_the_database() {
        let db = fresh().await;
        let saved = jitsi_server::ActiveModel {
            name: Set("Self-hosted".into()),
            base_url: Set("https://meet.example/".into()),
            is_default: Set(false),
            created_at: Set(0),
            kind: Set(domain::ServerKind::Jwt),
            moderation_rule: Set(domain::ModerationRule::ModeratorClaim),
            token_ttl_secs: Set(120),
            checksum_algo: Set("sha256".into()),
            updated_at: Set(0),
            ..Default::default()
        }
        .insert(&db)
        .await
        .unwrap();
        let back = jitsi_server::Entity::find_by_id(saved.id)
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(back.kind, domain::ServerKind::Jwt);
        assert_eq!(back.moderation_rule, domain::ModerationRule::ModeratorClaim);
    }
}
