//! Islands mode for the pages most people open: the join page is the first page a student
//! loads, often on a phone, so it does not hydrate the whole app. The server renders it in full
//! as usual, marks its interactive parts as `<leptos-island>`s (components declared with
//! `#[island]`), and the browser hydrates only those, each from its own lazy wasm chunk. The
//! other pages hydrate whole (`HydrationScripts`).
//!
//! Code inside an island runs in the browser without the app's router or contexts: links are
//! plain `<a>`s (the router still intercepts them on fully hydrated pages), the language comes from
//! `<html lang>` (`i18n::use_lang`), and errors are shown inline (`InlineError`).

use leptos::prelude::*;

/// Whether a request path is served in islands mode: the activity join page `/activities/<id>`.
pub fn is_island_page(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let path = path.strip_suffix('/').unwrap_or(path);
    path.strip_prefix("/activities/")
        .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
}

/// Picks the wasm, hydrates the page's islands one after the other, then marks the body. Islands
/// are not nested in Aula, so the walk does not descend into one.
///
/// Two builds of the browser code exist. The full one (`aula`, from cargo-leptos) carries the
/// whole app and every island. The lean one (`aula_lean`, from `scripts/build-lean.sh`, built with
/// `--cfg aula_lean`) carries only the meeting panel, without the moderator's dashboard and the
/// recording switch; it is what a participant who may not moderate or record needs, which is
/// every student. Its module holds only the meeting panel's own data, where the full module holds
/// every page's strings. A page whose only island is such a meeting panel loads the lean build,
/// and falls back to the full one if the lean build is missing (a development build).
const ISLANDS_SCRIPT: &str = r#"(async (js, wasm, leanJs, leanWasm) => {
  const islands = [...document.querySelectorAll('leptos-island')];
  const plain = (el) => {
    if (!/MeetingPanel/.test(el.dataset.component || '')) return false;
    try {
      const p = JSON.parse(el.dataset.props || '{}');
      return !p.moderator && !p.can_record;
    } catch (_) {
      return false;
    }
  };
  const load = async (j, w) => {
    const m = await import(j);
    await m.default({ module_or_path: w });
    return m;
  };
  let mod = null;
  if (islands.length > 0 && islands.every(plain)) {
    try {
      mod = await load(leanJs, leanWasm);
    } catch (e) {
      console.warn('lean build unavailable, loading the full one', e);
    }
  }
  if (!mod) mod = await load(js, wasm);
  mod.hydrate_islands();
  const walk = async (node) => {
    for (const el of node.children) {
      if (el.tagName === 'LEPTOS-ISLAND') {
        const hydrate = mod[el.dataset.component];
        if (hydrate) await hydrate(el);
        else console.warn('no wasm function for island', el.dataset.component);
      } else {
        await walk(el);
      }
    }
  };
  await walk(document.body);
  document.body.dataset.hydrated = 'true';
})"#;

/// The file name of the lean build (see `ISLANDS_SCRIPT`).
pub const LEAN_NAME: &str = "aula_lean";

/// The `<head>` script of an island page, in place of `HydrationScripts`. No preload hints: which
/// build to fetch is decided in the browser from the islands on the page.
#[component]
pub fn IslandScripts(options: LeptosOptions) -> impl IntoView {
    // Outside islands nothing hydrates, so the server writes no hydration markers or resource
    // data there (what `HydrationScripts islands=true` does).
    if let Some(sc) = Owner::current_shared_context() {
        sc.set_is_hydrating(false);
    }
    let pkg = format!("/{}", options.site_pkg_dir);
    let name = options.output_name.to_string();
    // wasm-bindgen names the module `<name>_bg.wasm` unless cargo-leptos set an output name.
    let wasm_name = if option_env!("LEPTOS_OUTPUT_NAME").is_some() {
        name.clone()
    } else {
        format!("{name}_bg")
    };
    let js = format!("{pkg}/{name}.js");
    let wasm = format!("{pkg}/{wasm_name}.wasm");
    let lean_js = format!("{pkg}/{LEAN_NAME}.js");
    let lean_wasm = format!("{pkg}/{LEAN_NAME}_bg.wasm");
    let script = format!("{ISLANDS_SCRIPT}({js:?}, {wasm:?}, {lean_js:?}, {lean_wasm:?});");
    view! { <script type="module" nonce=use_nonce()>{script}</script> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_activity_join_page_is_an_island_page() {
        assert!(is_island_page("/activities/12"));
        assert!(is_island_page("/activities/12/"));
        assert!(is_island_page("/activities/7?x=1"));
        assert!(!is_island_page("/activities/12/attendance"));
        assert!(!is_island_page("/activities/12/recordings"));
        assert!(!is_island_page("/activities/"));
        assert!(!is_island_page("/activities/abc"));
        assert!(!is_island_page("/courses/3"));
        assert!(!is_island_page("/"));
    }
}
