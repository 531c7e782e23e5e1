//! Typed, layered configuration: built-in defaults, then an optional `aula.toml`, then `AULA_*`
//! environment variables (e.g. `AULA_DATABASE_URL`, `AULA_BIND`, `AULA_PUBLIC_URL`).
//! Secrets never appear in `Debug` output or logs.

use std::{fmt, net::SocketAddr, path::PathBuf};

use serde::Deserialize;

#[derive(Clone, Deserialize)]
pub struct Config {
    /// Where to listen, e.g. `127.0.0.1:3000`.
    pub bind: SocketAddr,
    /// How browsers reach Aula; defaults to `http://<bind>`.
    pub public_url: Option<String>,
    /// Holds the SQLite database, the generated master key and uploaded avatars.
    pub data_dir: PathBuf,
    /// `sqlite://…`, `postgres://…` or `mysql://…`; defaults to `sqlite://<data_dir>/aula.db`.
    pub database_url: Option<String>,
    /// Base64 32-byte key that encrypts secrets at rest; generated into the data dir when absent.
    pub master_key: Option<String>,
    /// The Jitsi server new activities use unless a teacher picks another.
    pub jitsi_default_url: String,
    pub session_days: i64,
    /// Failed logins allowed per account (three times as many per client IP) before each
    /// further one makes the next attempt wait longer; failures older than
    /// `login_window_secs` are forgotten. A browser that signed in before is never slowed by
    /// others' failures.
    pub login_attempts: u32,
    pub login_window_secs: i64,
    /// Reverse proxies (addresses or CIDR blocks) whose `X-Forwarded-For` names the client. Empty:
    /// the connection's peer is the client.
    pub trusted_proxies: Vec<String>,
    pub db_max_connections: u32,
    /// How often a joined browser sends an attendance heartbeat.
    pub heartbeat_secs: u32,
    /// A browser silent for longer than this starts a new attendance interval; defaults to two
    /// heartbeats.
    pub attendance_grace_secs: Option<u32>,
    /// How far back a browser that was offline may have its held-back heartbeats credited (as
    /// "buffered"), per gap.
    pub attendance_backfill_secs: u32,
    /// Heartbeat requests that may wait for the attendance writer; beyond it they are shed with
    /// 503 and `Retry-After` (the browser keeps them and sends them again).
    pub attendance_queue: usize,
    /// Lets `POST /__test/clock` move the attendance clock forward. For browser tests only.
    pub clock_control: bool,
    /// Put users' e-mail addresses in meeting tokens (`context.user.email`).
    pub jwt_include_email: bool,
    /// SMTP relay for e-mail invitations (none: the invite button explains it is not set up).
    pub smtp_host: Option<String>,
    pub smtp_port: u16,
    /// `starttls`, `tls` or `none` (loopback only); anything else stops the server at start.
    pub smtp_security: mail::SmtpSecurity,
    pub smtp_username: Option<String>,
    pub smtp_password: Option<String>,
    pub smtp_from: String,
    /// Google's endpoints; tests point them at a local fake.
    pub google_auth_url: String,
    pub google_token_url: String,
    pub google_revoke_url: String,
    pub youtube_api_url: String,
    /// The player embedded in the recordings tab.
    pub youtube_embed_url: String,
    /// Time limit of each Google request.
    pub google_timeout_secs: u64,
    /// Time limit of each BigBlueButton API request.
    pub bbb_timeout_secs: u64,
    /// An HTTP/1 connection with no request for this long is closed (and a request whose headers
    /// take longer is refused). Browsers reconnect for the next heartbeat; 10,000 idle
    /// keep-alive connections would otherwise hold ~26 KB each.
    pub http_idle_secs: u64,
    /// How often background jobs (recording retention) run; 0 turns them off on this replica.
    pub jobs_interval_secs: u64,
    /// The bearer token Prometheus sends to `GET /metrics`; none: the endpoint does not exist.
    pub metrics_token: Option<String>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("bind", &self.bind)
            .field("public_url", &self.public_url)
            .field("data_dir", &self.data_dir)
            .field(
                "database_url",
                &self.database_url.as_deref().map(redact_url),
            )
            .field(
                "master_key",
                &self.master_key.as_ref().map(|_| "<redacted>"),
            )
            .field("jitsi_default_url", &self.jitsi_default_url)
            .field("session_days", &self.session_days)
            .field("smtp_host", &self.smtp_host)
            .field(
                "smtp_password",
                &self.smtp_password.as_ref().map(|_| "<redacted>"),
            )
            .field(
                "metrics_token",
                &self.metrics_token.as_ref().map(|_| "<redacted>"),
            )
            .field("heartbeat_secs", &self.heartbeat_secs)
            .field("clock_control", &self.clock_control)
            .finish_non_exhaustive()
    }
}

/// Hides the password in `scheme://user:password@host/db`.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s + 3 => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:<redacted>{}", &url[..s + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Load(#[from] config::ConfigError),
    #[error("configuration: {0}")]
    Invalid(String),
}

impl Config {
    /// Loads defaults, then `path` (or `./aula.toml` if it exists), then `AULA_*` variables.
    pub fn load(path: Option<&std::path::Path>) -> Result<Self, ConfigError> {
        let mut b = defaults()?;
        match path {
            Some(p) => b = b.add_source(config::File::from(p).required(true)),
            None => b = b.add_source(config::File::with_name("aula.toml").required(false)),
        }
        let c: Config = b
            .add_source(
                config::Environment::with_prefix("AULA")
                    .try_parsing(true)
                    .list_separator(",")
                    .with_list_parse_key("trusted_proxies"),
            )
            .build()?
            .try_deserialize()?;
        c.validate()?;
        Ok(c)
    }

    /// The built-in defaults alone (tests start from these and change what they need).
    pub fn defaults() -> Result<Self, ConfigError> {
        Ok(defaults()?.build()?.try_deserialize()?)
    }

    /// `trusted_proxies` parsed (validated at load).
    pub fn trusted_proxies(&self) -> Vec<ipnet::IpNet> {
        app::client_ip::parse_trusted(&self.trusted_proxies).unwrap_or_default()
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if app::activities::dto::jitsi_endpoint(self.jitsi_default_url.trim_end_matches('/'))
            .is_none()
        {
            return Err(ConfigError::Invalid(format!(
                "jitsi_default_url must be http(s)://host[:port], got {:?}",
                self.jitsi_default_url
            )));
        }
        if let Some(u) = &self.public_url
            && !(u.starts_with("http://") || u.starts_with("https://"))
        {
            return Err(ConfigError::Invalid(
                "public_url must start with http:// or https://".into(),
            ));
        }
        if !(5..=300).contains(&self.heartbeat_secs) {
            return Err(ConfigError::Invalid(
                "heartbeat_secs must be between 5 and 300".into(),
            ));
        }
        if self.grace_secs() < self.heartbeat_secs {
            return Err(ConfigError::Invalid(
                "attendance_grace_secs must be at least heartbeat_secs".into(),
            ));
        }
        for (name, url) in [
            ("google_auth_url", &self.google_auth_url),
            ("google_token_url", &self.google_token_url),
            ("google_revoke_url", &self.google_revoke_url),
            ("youtube_api_url", &self.youtube_api_url),
            ("youtube_embed_url", &self.youtube_embed_url),
        ] {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(ConfigError::Invalid(format!(
                    "{name} must start with http:// or https://"
                )));
            }
        }
        if !(1..=600).contains(&self.http_idle_secs) {
            return Err(ConfigError::Invalid(
                "http_idle_secs must be between 1 and 600".into(),
            ));
        }
        app::client_ip::parse_trusted(&self.trusted_proxies).map_err(ConfigError::Invalid)?;
        if self.attendance_backfill_secs > 86_400 {
            return Err(ConfigError::Invalid(
                "attendance_backfill_secs must be at most 86400 (a day)".into(),
            ));
        }
        if self.login_attempts < 1 || self.login_window_secs < 1 {
            return Err(ConfigError::Invalid(
                "login_attempts and login_window_secs must be at least 1".into(),
            ));
        }
        if self.session_days < 1 {
            return Err(ConfigError::Invalid(
                "session_days must be at least 1".into(),
            ));
        }
        Ok(())
    }

    pub fn smtp(&self) -> Option<mail::SmtpSettings> {
        self.smtp_host.as_ref().map(|host| mail::SmtpSettings {
            host: host.clone(),
            port: self.smtp_port,
            security: self.smtp_security,
            username: self.smtp_username.clone(),
            password: self.smtp_password.clone(),
            from: self.smtp_from.clone(),
        })
    }

    pub fn google(&self) -> app::recording::google::GoogleConfig {
        app::recording::google::GoogleConfig {
            auth_url: self.google_auth_url.clone(),
            token_url: self.google_token_url.clone(),
            revoke_url: self.google_revoke_url.clone(),
            youtube_api_url: self.youtube_api_url.clone(),
            embed_url: self.youtube_embed_url.clone(),
            timeout: std::time::Duration::from_secs(self.google_timeout_secs.max(1)),
        }
    }

    pub fn grace_secs(&self) -> u32 {
        self.attendance_grace_secs
            .unwrap_or(2 * self.heartbeat_secs)
    }

    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}/aula.db?mode=rwc", self.data_dir.display()))
    }

    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.bind))
            .trim_end_matches('/')
            .to_owned()
    }
}

/// The built-in defaults, before any file or environment variable.
fn defaults() -> Result<config::ConfigBuilder<config::builder::DefaultState>, ConfigError> {
    let google = app::recording::google::GoogleConfig::default();
    Ok(config::Config::builder()
        .set_default("bind", "127.0.0.1:3000")?
        .set_default("data_dir", "data")?
        .set_default("jitsi_default_url", "https://meet.jit.si")?
        .set_default("session_days", 14)?
        .set_default("login_attempts", 10)?
        .set_default("login_window_secs", 900)?
        .set_default("trusted_proxies", Vec::<String>::new())?
        .set_default("attendance_backfill_secs", 300)?
        .set_default("attendance_queue", 4096)?
        .set_default("db_max_connections", 10)?
        .set_default("heartbeat_secs", 30)?
        .set_default("clock_control", false)?
        .set_default("jwt_include_email", true)?
        .set_default("smtp_port", 587)?
        .set_default("smtp_security", "starttls")?
        .set_default("smtp_from", "Aula <aula@localhost>")?
        .set_default("google_auth_url", google.auth_url)?
        .set_default("google_token_url", google.token_url)?
        .set_default("google_revoke_url", google.revoke_url)?
        .set_default("youtube_api_url", google.youtube_api_url)?
        .set_default("youtube_embed_url", google.embed_url)?
        .set_default("google_timeout_secs", 15)?
        .set_default("bbb_timeout_secs", 10)?
        .set_default("jobs_interval_secs", 300)?
        .set_default("http_idle_secs", 3)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_passwords_are_redacted() {
        assert_eq!(
            redact_url("postgres://aula:s3cret@db:5432/aula"),
            "postgres://aula:<redacted>@db:5432/aula"
        );
        assert_eq!(redact_url("sqlite://data/aula.db"), "sqlite://data/aula.db");
    }

    #[test]
    fn the_built_in_defaults_are_a_valid_configuration() {
        let c = Config::defaults().unwrap();
        c.validate().unwrap();
        assert_eq!(c.attendance_backfill_secs, 300);
        assert!(c.trusted_proxies.is_empty());
    }

    #[test]
    fn trusted_proxies_must_be_addresses_or_blocks() {
        let mut c = Config::defaults().unwrap();
        c.trusted_proxies = vec!["10.0.0.0/8".into(), "192.0.2.1".into()];
        c.validate().unwrap();
        assert_eq!(c.trusted_proxies().len(), 2);
        c.trusted_proxies = vec!["proxy.example".into()];
        assert!(c.validate().is_err());
    }

    #[test]
    fn an_unknown_smtp_security_stops_the_configuration_from_loading() {
        let dir = std::env::temp_dir().join(format!("aula-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("aula.toml");
        std::fs::write(&file, "smtp_security = \"ssl\"\n").unwrap();
        let err = Config::load(Some(&file)).unwrap_err().to_string();
        assert!(err.contains("starttls, tls or none"), "{err}");
        std::fs::write(&file, "smtp_security = \"tls\"\n").unwrap();
        assert_eq!(
            Config::load(Some(&file)).unwrap().smtp_security,
            mail::SmtpSecurity::Tls
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn debug_output_never_shows_the_master_key() {
        let c = Config {
            database_url: Some("postgres://u:pw@h/db".into()),
            master_key: Some("c2VjcmV0".into()),
            smtp_username: Some("mailer".into()),
            smtp_password: Some("smtp-s3cret".into()),
            metrics_token: Some("scrape-s3cret".into()),
            ..Config::defaults().unwrap()
        };
        let s = format!("{c:?}");
        assert!(
            !s.contains("c2VjcmV0")
                && !s.contains(":pw@")
                && !s.contains("smtp-s3cret")
                && !s.contains("scrape-s3cret"),
            "{s}"
        );
    }
}
