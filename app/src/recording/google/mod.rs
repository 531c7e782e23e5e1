//! Google: OAuth 2.0 for YouTube accounts and the YouTube Data API v3 (server only). Every base
//! URL comes from configuration, so tests point the real client at a local fake.

pub mod oauth;
pub mod youtube;

use std::time::Duration;

/// Where Google lives. The defaults are Google's real endpoints.
#[derive(Debug, Clone)]
pub struct GoogleConfig {
    pub auth_url: String,
    pub token_url: String,
    pub revoke_url: String,
    /// e.g. `https://www.googleapis.com/youtube/v3`
    pub youtube_api_url: String,
    /// The player shown in the recordings tab, e.g. `https://www.youtube-nocookie.com/embed`.
    pub embed_url: String,
    pub timeout: Duration,
}

impl Default for GoogleConfig {
    fn default() -> Self {
        Self {
            auth_url: "https://accounts.google.com/o/oauth2/v2/auth".into(),
            token_url: "https://oauth2.googleapis.com/token".into(),
            revoke_url: "https://oauth2.googleapis.com/revoke".into(),
            youtube_api_url: "https://www.googleapis.com/youtube/v3".into(),
            embed_url: "https://www.youtube-nocookie.com/embed".into(),
            timeout: Duration::from_secs(15),
        }
    }
}

/// The configuration and one HTTP client (connection pool) for every Google call.
#[derive(Debug, Clone)]
pub struct Google {
    pub config: GoogleConfig,
    pub http: reqwest::Client,
}

impl Google {
    pub fn new(config: GoogleConfig) -> Self {
        // Redirects are never followed: OAuth endpoints answer with data, and a redirect from
        // them would be a misconfiguration worth seeing as an error.
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        Self { config, http }
    }
}
