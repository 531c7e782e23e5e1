//! A page's `<h1>`, which is also its document title: screen readers announce the title first and
//! tabs and history show it, so every page names itself the way its heading does ("… · Aula",
//! from the formatter in `App`).

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PageHeading(#[prop(into)] text: String) -> impl IntoView {
    view! {
        <Title text=text.clone() />
        <h1>{text}</h1>
    }
}

/// The document title as the server must write it: leptos_meta 0.8 puts the title's text into
/// `<title>` unescaped, so a name holding `</title><script>` would end it and run (the payload
/// sweep found it). The browser sets `document.title` as text, so it gets the text as it is.
pub fn title_text(text: &str) -> String {
    #[cfg(feature = "ssr")]
    {
        crate::components::forms::escape_html(text)
    }
    #[cfg(not(feature = "ssr"))]
    {
        text.to_owned()
    }
}
