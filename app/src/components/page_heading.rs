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
