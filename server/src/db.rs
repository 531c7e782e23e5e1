//! Connecting to the database (SQLite file in WAL mode by default, or PostgreSQL/MariaDB) and
//! loading the master key.

use std::{path::Path, time::Duration};

use anyhow::Context;
use app::crypto::SecretBox;
use sea_orm::{ConnectOptions, Database, DatabaseConnection};

use crate::config::{Config, redact_url};

pub async fn connect(config: &Config) -> anyhow::Result<DatabaseConnection> {
    let url = config.database_url();
    if url.starts_with("sqlite:") {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("creating data directory {}", config.data_dir.display()))?;
    }
    connect_url(&url, config.db_max_connections).await
}

pub async fn connect_url(url: &str, max_connections: u32) -> anyhow::Result<DatabaseConnection> {
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.max_connections(max_connections)
        .connect_timeout(Duration::from_secs(10))
        // `AULA_LOG_SQL=1` logs every statement (target `sqlx::query`), to count a page's queries.
        .sqlx_logging(std::env::var_os("AULA_LOG_SQL").is_some());
    if url.starts_with("sqlite:") {
        opts.map_sqlx_sqlite_opts(|o| {
            o.create_if_missing(true)
                .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(5))
                .foreign_keys(true)
        });
    }
    Database::connect(opts)
        .await
        .with_context(|| format!("connecting to {}", redact_url(url)))
}

/// The master key from config, else from `<data_dir>/master.key`, generated there on first run
/// with owner-only permissions.
pub fn master_key(config: &Config) -> anyhow::Result<SecretBox> {
    if let Some(k) = &config.master_key {
        return SecretBox::from_base64_key(k).context("AULA_MASTER_KEY");
    }
    let path = config.data_dir.join("master.key");
    if !path.exists() {
        std::fs::create_dir_all(&config.data_dir)?;
        write_private(&path, &SecretBox::generate_key())?;
        tracing::info!(path = %path.display(), "generated a new master key");
    }
    let key =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    SecretBox::from_base64_key(&key)
        .with_context(|| format!("{} is not a valid key", path.display()))
}

fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    opts.open(path)?.write_all(contents.as_bytes())?;
    Ok(())
}
