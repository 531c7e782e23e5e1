//! The page frame: skip link, header with navigation, language picker and account menu.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::{
    auth::get_me,
    i18n::{Lang, use_lang, use_texts},
};

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let t = use_texts();
    let me = Resource::new(|| (), |_| get_me());
    provide_context(me);
    // Tell the server the browser's time zone, so times are shown in it until the user picks one.
    Effect::new(move |_| report_time_zone());
    view! {
        <a class="skip-link" href="#main">{t.skip_to_content}</a>
        <header class="site-header">
            <nav aria-label=t.main_navigation class="nav">
                <A href="/" attr:class="brand">
                    <span aria-hidden="true">"◎ "</span>
                    "Aula"
                </A>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match me.await {
                            Ok(Some(user)) => view! {
                                <ul class="nav-links">
                                    <li><A href="/">{t.nav_dashboard}</A></li>
                                    <li><A href="/courses">{t.nav_courses}</A></li>
                                    <li><A href="/meetings">{crate::meetings::texts::nav_label(use_lang())}</A></li>
                                    {user.is_admin.then(|| view! {
                                        <li><A href="/admin/users">{t.nav_admin}</A></li>
                                        <li><A href="/admin/servers">{t.nav_servers}</A></li>
                                        <li><A href="/admin/live">{t.nav_live}</A></li>
                                        <li><A href="/admin/recording">{t.nav_recording}</A></li>
                                    })}
                                    <li><A href="/profile">{t.nav_profile}</A></li>
                                    <li><LogoutButton /></li>
                                </ul>
                                <span class="nav-user" data-testid="current-user">{user.display_name}</span>
                            }
                            .into_any(),
                            _ => view! {
                                <ul class="nav-links">
                                    <li><A href="/login">{t.login_button}</A></li>
                                </ul>
                            }
                            .into_any(),
                        }
                    })}
                </Transition>
                <LanguagePicker />
            </nav>
        </header>
        <main id="main" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <p>{t.app_tagline}</p>
        </footer>
    }
}

// The header's two forms are plain HTML posts to their server functions, which answer a browser
// form with a redirect back to the page: a full reload is what both need anyway (the session or the
// language changes), and it keeps client-side form machinery out of the wasm every page loads.

#[component]
fn LogoutButton() -> impl IntoView {
    let t = use_texts();
    view! {
        <form method="post" action="/api/auth/logout" class="inline-form">
            <button type="submit" class="link-button">{t.logout_button}</button>
        </form>
    }
}

#[component]
fn LanguagePicker() -> impl IntoView {
    let t = use_texts();
    let current = use_lang();
    view! {
        <form method="post" action="/api/prefs/language" class="lang-form">
            <label for="lang-select" class="visually-hidden">{t.language}</label>
            // An explicit button rather than submit-on-change: arrowing through a select with the
            // keyboard must not reload the page at the first key press.
            <select id="lang-select" name="lang">
                {Lang::ALL
                    .into_iter()
                    .map(|l| view! { <option value=l.code() selected=l == current>{l.native_name()}</option> })
                    .collect_view()}
            </select>
            <button type="submit" class="small-button">{t.save}</button>
        </form>
    }
}

/// Stores the browser's time zone in a cookie the server reads (a no-op on the server). Called by
/// the layout on hydrated pages and by the islands entry point on island pages.
pub fn report_time_zone() {
    #[cfg(feature = "hydrate")]
    browser_time_zone_cookie();
}

#[cfg(feature = "hydrate")]
fn browser_time_zone_cookie() {
    use wasm_bindgen::JsCast;
    let zone = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options()
        .pipe_get("timeZone");
    let Some(zone) = zone else { return };
    if let Some(doc) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
    {
        let _ = doc.set_cookie(&format!(
            "aula_tz={}; Path=/; SameSite=Lax; Max-Age=31536000",
            zone.replace('/', "%2F")
        ));
    }
}

#[cfg(feature = "hydrate")]
trait PipeGet {
    fn pipe_get(&self, key: &str) -> Option<String>;
}

#[cfg(feature = "hydrate")]
impl PipeGet for js_sys::Object {
    fn pipe_get(&self, key: &str) -> Option<String> {
        js_sys::Reflect::get(self, &key.into())
            .ok()
            .and_then(|v| v.as_string())
    }
}
