//! The browser entry point: hydrate the server-rendered page and mark the body when done, so
//! end-to-end tests (and the page-weight benchmark) can wait for interactivity deterministically.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Pages are lazy routes (split into their own wasm chunks), so hydration waits for the
    // current page's chunk before attaching to the server's HTML: `hydrate_lazy`, done by hand
    // so the body can be marked once it has finished.
    _ = any_spawner::Executor::init_wasm_bindgen();
    leptos::task::spawn_local(async {
        let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        else {
            return;
        };
        let owner = leptos::mount::hydrate_from_async(body.clone(), app::App).await;
        owner.forget();
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
