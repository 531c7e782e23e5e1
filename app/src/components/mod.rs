//! Shared UI pieces.

pub mod countdown;
pub mod error_page;
pub mod forms;
pub mod layout;
#[cfg(test)]
mod markup_lint;
pub mod messages;
pub mod page_heading;

/// Small behaviours that must work before (or without) the page's wasm, done by one script with
/// the page's nonce instead of inline handlers, which the Content-Security-Policy forbids:
/// `data-copy` (copy this text) or `data-copy-from` (copy that input's value), with `data-done`
/// shown after; `data-confirm` (ask before the click goes through); `data-autosubmit` on a
/// select (submit its form when it changes).
pub const UI_SCRIPT: &str = r#"(() => {
  document.addEventListener('click', (e) => {
    const el = e.target.closest && e.target.closest('[data-confirm],[data-copy],[data-copy-from]');
    if (!el) return;
    if (el.dataset.confirm !== undefined) {
      if (!window.confirm(el.dataset.confirm)) { e.preventDefault(); e.stopImmediatePropagation(); }
      return;
    }
    const from = el.dataset.copyFrom && document.getElementById(el.dataset.copyFrom);
    const text = el.dataset.copy !== undefined ? el.dataset.copy : from && from.value;
    if (text == null || !navigator.clipboard) return;
    navigator.clipboard.writeText(text).then(() => { if (el.dataset.done) el.textContent = el.dataset.done; });
  }, true);
  document.addEventListener('change', (e) => {
    const el = e.target;
    if (el.dataset && el.dataset.autosubmit !== undefined && el.form) el.form.requestSubmit();
  });
})();"#;

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
