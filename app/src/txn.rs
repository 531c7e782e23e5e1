//! Transactions that write. SQLite refuses at once (SQLITE_BUSY, no busy wait) a transaction that
//! has read and then wants to write while another connection writes: the upgrade from a read
//! lock skips the busy handler. Every Aula transaction that writes reads first, so under
//! concurrent requests they failed with "database is locked" (the attendance benchmark's 50
//! parallel opens did). Taking the write lock with the first statement makes SQLite wait its busy
//! timeout instead, like `BEGIN IMMEDIATE`. PostgreSQL and MariaDB have row locks and need nothing.

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, TransactionTrait,
};

/// Begins a transaction that will write; on SQLite it holds the write lock from the start.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let txn = db.begin().await?;
    if txn.get_database_backend() == DbBackend::Sqlite {
        // A write that changes nothing still takes SQLite's RESERVED lock, waiting the busy
        // timeout for it.
        txn.execute_unprepared("UPDATE settings SET key = key WHERE 0")
            .await?;
    }
    Ok(txn)
}
