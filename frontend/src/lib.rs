//! The browser entry points. Most pages hydrate whole (`hydrate`); the join page, which every
//! student opens, is served in islands mode (`hydrate_islands`): only its interactive parts
//! hydrate, so it does not download the router and the other pages. Either way the body is marked
//! `data-hydrated` when done, so end-to-end tests and the page-weight benchmark can wait for
//! interactivity deterministically.
//!
//! Built a second time with `--cfg aula_lean` (`scripts/build-lean.sh`), the crate is the join
//! page's lean wasm for students: only `hydrate_islands` and the meeting panel island, no app.

use wasm_bindgen::prelude::wasm_bindgen;

/// Full hydration of the app. The app itself (router, layout, route table) is a lazy chunk of its
/// own, so the island pages' first download does not carry it.
#[cfg(not(aula_lean))]
#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    _ = any_spawner::Executor::init_wasm_bindgen();
    leptos::task::spawn_local(hydrate_app());
}

#[cfg(not(aula_lean))]
#[leptos::prelude::lazy]
async fn hydrate_app() {
    let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    else {
        return;
    };
    // Pages are lazy routes (split into their own wasm chunks), so hydration waits for the
    // current page's chunk before attaching to the server's HTML.
    let owner = leptos::mount::hydrate_from_async(body.clone(), app::App).await;
    owner.forget();
    let _ = body.set_attribute("data-hydrated", "true");
}

/// Islands mode: sets up the reactive root the islands hydrate under. The page's script then
/// hydrates each `<leptos-island>` and marks the body (see `app::islands`).
#[wasm_bindgen]
pub fn hydrate_islands() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    app::components::layout::report_time_zone();
}
