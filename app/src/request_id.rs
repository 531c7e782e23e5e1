//! The id of the request being served (server only). The server's outermost middleware gives each
//! request a fresh one; it names the request's log span, comes back in the `x-request-id` header,
//! and is the reference id a user sees on a server error, so an admin can find that request's logs.
//!
//! Code reaches it two ways, because Leptos renders pages in spawned tasks where the task-local is
//! gone: the task-local (axum routes, server functions) or the request's extensions (SSR).

use axum::http::request::Parts;

/// A request's id: 12 lowercase hex digits, never taken from the client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestId(String);

impl RequestId {
    pub fn new() -> Self {
        Self(uuid::Uuid::new_v4().simple().to_string()[..12].to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for RequestId {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Display for RequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

tokio::task_local! {
    static CURRENT: RequestId;
}

/// Runs `fut` as the request `id`.
pub async fn scope<F: Future>(id: RequestId, fut: F) -> F::Output {
    CURRENT.scope(id, fut).await
}

/// The id of the request this code serves, if it serves one (jobs and the CLI do not).
pub fn current() -> Option<RequestId> {
    CURRENT.try_with(Clone::clone).ok().or_else(|| {
        leptos::prelude::use_context::<Parts>()
            .and_then(|p| p.extensions.get::<RequestId>().cloned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_twelve_hex_digits_and_fresh_each_time() {
        let (a, b) = (RequestId::new(), RequestId::new());
        assert_eq!(a.as_str().len(), 12);
        assert!(a.as_str().bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[tokio::test]
    async fn code_inside_a_scope_sees_its_request_and_code_outside_sees_none() {
        let id = RequestId::new();
        let seen = scope(id.clone(), async { current() }).await;
        assert_eq!(seen, Some(id));
        assert_eq!(current(), None);
    }
}
