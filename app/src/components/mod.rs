//! Shared UI pieces.

pub mod countdown;
pub mod error_page;
pub mod forms;
pub mod layout;

/// Reads a numeric route parameter; 0 (which never exists) when absent or malformed.
pub fn param_id(name: &'static str) -> impl Fn() -> i32 + Copy + Send + Sync + 'static {
    use leptos::prelude::*;
    let params = leptos_router::hooks::use_params_map();
    move || {
        params
            .read()
            .get(name)
            .and_then(|s| s.parse::<i32>().ok())
            .unwrap_or(0)
    }
}

/// Full page load: used after login, logout and language changes, which change cookies that the
/// whole page depends on.
pub fn reload_to(path: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        let _ = w.location().assign(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}
