//! The Content-Security-Policy of every page (server only). Scripts run only from Aula's own
//! origin or with the response's nonce (the hydration and islands loaders, the small UI helper),
//! so markup that slipped into a page cannot run script; there are no inline event handlers and
//! no inline styles. Pages may frame, and load the IFrame API script from, meeting servers only:
//! a page that knows which server it embeds (the join page, a guest's page) names it, any other
//! page allows the servers in the registry (a client-side navigation may lead to any join page).
//!
//! The server's middleware makes the nonce and the holder of a page's servers, puts both in the
//! request's extensions, and writes the header from them once the page has rendered.

use std::{
    sync::{Arc, Mutex, RwLock},
    time::{Duration, Instant},
};

use sea_orm::{DatabaseConnection, EntityTrait};

/// This response's nonce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CspNonce(pub String);

/// The meeting-server origins the page being rendered embeds.
#[derive(Debug, Clone, Default)]
pub struct PageSources(Arc<Mutex<Vec<String>>>);

impl PageSources {
    pub fn push(&self, origin: String) {
        if let Ok(mut v) = self.0.lock()
            && !v.contains(&origin)
        {
            v.push(origin);
        }
    }

    pub fn take(&self) -> Vec<String> {
        self.0
            .lock()
            .map(|mut v| std::mem::take(&mut *v))
            .unwrap_or_default()
    }
}

/// `https://meet.example.org` of `https://meet.example.org/some/path`; None unless http(s).
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if !matches!(scheme, "https" | "http") {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next()?;
    let ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b));
    ok.then(|| format!("{scheme}://{}", host.to_ascii_lowercase()))
}

/// Called while rendering a page that embeds a meeting on `server_url`: the page's policy then
/// names that server only.
pub fn embeds_meeting_server(server_url: &str) {
    let Some(origin) = origin_of(server_url) else {
        return;
    };
    if let Some(sources) = leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|p| p.extensions.get::<PageSources>().cloned())
    {
        sources.push(origin);
    }
}

/// Provides this response's nonce to Leptos (`use_nonce`), which puts it on the scripts it writes.
pub fn provide_nonce() {
    use leptos::prelude::{provide_context, use_context};
    if let Some(n) = use_context::<axum::http::request::Parts>()
        .and_then(|p| p.extensions.get::<CspNonce>().cloned())
    {
        provide_context(leptos::nonce::Nonce::from_value(n.0));
    }
}

/// The origins of the registry's meeting servers, read at most every 30 seconds per replica (a
/// server added on another replica is allowed here within that time).
#[derive(Debug, Default)]
pub struct RegistryOrigins {
    cached: RwLock<Option<(Instant, Vec<String>)>>,
}

const REGISTRY_TTL: Duration = Duration::from_secs(30);

impl RegistryOrigins {
    pub async fn get(&self, db: &DatabaseConnection) -> Vec<String> {
        if let Ok(c) = self.cached.read()
            && let Some((at, v)) = c.as_ref()
            && at.elapsed() < REGISTRY_TTL
        {
            return v.clone();
        }
        let fresh: Vec<String> = match crate::entities::jitsi_server::Entity::find().all(db).await {
            Ok(rows) => rows.iter().filter_map(|s| origin_of(&s.base_url)).collect(),
            Err(e) => {
                tracing::warn!("meeting servers for the page policy: {e}");
                return Vec::new();
            }
        };
        if let Ok(mut c) = self.cached.write() {
            *c = Some((Instant::now(), fresh.clone()));
        }
        fresh
    }

    /// After a change to the registry on this replica.
    pub fn forget(&self) {
        if let Ok(mut c) = self.cached.write() {
            *c = None;
        }
    }
}

/// The policy for a page with this nonce, embedding these meeting servers (and YouTube's player
/// at `embed_origin`). `dev_reload` allows cargo-leptos's live-reload socket in development.
pub fn policy(nonce: &str, meetings: &[String], embed_origin: &str, dev_reload: bool) -> String {
    let servers = meetings.join(" ");
    let connect = if dev_reload { "'self' ws:" } else { "'self'" };
    format!(
        "default-src 'self'; \
         script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval' {servers}; \
         style-src 'self'; \
         img-src 'self' data: https: http:; \
         media-src 'self' https:; \
         font-src 'self'; \
         connect-src {connect}; \
         frame-src 'self' {servers} {embed_origin}; \
         object-src 'none'; \
         base-uri 'none'; \
         form-action 'self'; \
         frame-ancestors 'self'"
    )
}

/// 16 random bytes, base64url: a fresh nonce for one response.
pub fn new_nonce() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut b = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_keep_scheme_host_and_port_only() {
        assert_eq!(
            origin_of("https://Meet.Example.org/room?x=1").as_deref(),
            Some("https://meet.example.org")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8443").as_deref(),
            Some("http://127.0.0.1:8443")
        );
        for bad in [
            "javascript:alert(1)",
            "https://",
            "ftp://x",
            "https://a b",
            "https://x;y",
        ] {
            assert_eq!(origin_of(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_policy_allows_scripts_only_from_self_the_nonce_and_the_meeting_servers() {
        let p = policy(
            "abc",
            &["https://meet.example.org".into()],
            "https://www.youtube-nocookie.com",
            false,
        );
        assert!(p.contains(
            "script-src 'self' 'nonce-abc' 'wasm-unsafe-eval' https://meet.example.org;"
        ));
        assert!(p.contains(
            "frame-src 'self' https://meet.example.org https://www.youtube-nocookie.com;"
        ));
        assert!(p.contains("frame-ancestors 'self'"));
        assert!(p.contains("object-src 'none'"));
        assert!(!p.contains("unsafe-inline"));
        assert!(!p.contains("ws:"));
    }

    #[test]
    fn nonces_are_fresh_and_url_safe() {
        let (a, b) = (new_nonce(), new_nonce());
        assert_ne!(a, b);
        assert_eq!(a.len(), 22);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
    }
}
