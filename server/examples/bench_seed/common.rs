//! Helpers shared by the subcommands: clock, random numbers, percentiles, database and HTTP.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sea_orm::DatabaseConnection;

pub(crate) fn now_s() -> i64 {
    now_ms() / 1000
}

pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// A fresh 64-hex-character session cookie value.
pub(crate) fn new_token() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// Splitmix64: reproducible data without another dependency.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..hi`.
    pub(crate) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo).max(1) as u64) as i64
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
}

pub(crate) fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

pub(crate) async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    server::db::connect_url(url, 4).await
}

pub(crate) fn http_client() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .timeout(Duration::from_secs(60))
        .build()?)
}

/// `POST base+path` as a same-origin browser form submission with the given login cookie.
pub(crate) async fn post_form(
    http: &reqwest::Client,
    base: &str,
    path: &str,
    cookie: &str,
    form: &[(&str, String)],
    accept_encoding: Option<&str>,
) -> anyhow::Result<(reqwest::StatusCode, Vec<u8>)> {
    let mut r = http
        .post(format!("{base}{path}"))
        .header("cookie", format!("aula_session={cookie}"))
        .header("sec-fetch-site", "same-origin")
        .form(form);
    // reqwest is built without decompression: the body stays as the server compressed it.
    if let Some(e) = accept_encoding {
        r = r.header("accept-encoding", e);
    }
    let r = r.send().await?;
    let status = r.status();
    let body = r.bytes().await?;
    Ok((status, body.to_vec()))
}

pub(crate) fn text(body: &[u8]) -> String {
    String::from_utf8_lossy(body).into_owned()
}
