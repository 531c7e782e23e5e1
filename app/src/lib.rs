//! Aula's isomorphic application: pages, server functions and shared types. Compiled twice — for
//! the server with `ssr` (server functions run, pages render to HTML) and for the browser with
//! `hydrate` (pages become interactive, server functions become HTTP calls).
//!
//! Each feature folder follows one shape: `model.rs` (browser-safe types and pure logic, tested),
//! `api.rs` (`#[server]` functions: authorise, call the service, map errors), `ssr.rs` (services
//! over the database, server only) and `view.rs` (components).

#![recursion_limit = "256"]

pub mod activities;
pub mod admin;
pub mod attendance;
pub mod auth;
pub mod capabilities;
pub mod components;
pub mod courses;
pub mod error;
pub mod guests;
pub mod i18n;
pub mod islands;
pub mod meetings;
pub mod moderation;
#[cfg(test)]
mod module_lint;
pub mod profile;
pub mod recording;
pub mod rooms;
pub mod servers;

#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod client_ip;
#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod crypto;
#[cfg(feature = "ssr")]
pub mod csp;
#[cfg(feature = "ssr")]
/// The sea-orm entities: their own crate (`crates/db`), re-exported under their old path.
pub use db::entities;
#[cfg(feature = "ssr")]
/// Outgoing e-mail: its own crate (`crates/mail`), re-exported for the services that send.
pub use mail;
#[cfg(feature = "ssr")]
pub mod request;
#[cfg(feature = "ssr")]
pub mod request_id;
#[cfg(feature = "ssr")]
pub mod settings;
#[cfg(feature = "ssr")]
pub mod spreadsheet;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod throttle;
#[cfg(feature = "ssr")]
pub mod txn;
#[cfg(feature = "ssr")]
pub use ics::tz;

use leptos::prelude::*;
use leptos_meta::{Html, Link, Meta, MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

use crate::{
    components::{error_page::NotFoundPage, layout::Layout},
    i18n::Lang,
};

/// The HTML document around the app (server only renders it). Island pages get the islands
/// loader instead of full hydration (see `islands`).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let island_page = use_context::<axum::http::request::Parts>()
        .is_some_and(|p| islands::is_island_page(p.uri.path()));
    #[cfg(not(feature = "ssr"))]
    let island_page = false;
    let scripts = if island_page {
        view! { <islands::IslandScripts options=options.clone() /> }.into_any()
    } else {
        view! { <HydrationScripts options=options.clone() /> }.into_any()
    };
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options />
                {scripts}
                <script nonce=use_nonce()>{components::UI_SCRIPT}</script>
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The language of this render: from the request on the server, from `<html lang>` in the browser
/// (the server wrote it there), so both sides pick the same texts.
fn detect_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        request::request_lang(&request::request_headers())
    }
    #[cfg(not(feature = "ssr"))]
    {
        i18n::document_lang()
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = detect_lang();
    provide_context(lang);
    view! {
        <Html attr:lang=lang.code() />
        // Every page's title is its heading (`PageHeading`) followed by the product's name.
        <Title
            text=""
            formatter=|text: String| {
                // A heading that names the product already ("Log in to Aula") stands alone.
                let title = if text.is_empty() {
                    "Aula".to_owned()
                } else if text.contains("Aula") {
                    text
                } else {
                    format!("{text} · Aula")
                };
                components::page_heading::title_text(&title)
            }
        />
        <Meta name="description" content=lang.texts().app_tagline />
        <Link rel="icon" href="/favicon.svg" />
        <Stylesheet id="leptos" href="/pkg/aula.css" />
        <Router>
            <Layout>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=crate::courses::view::DashboardPage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=crate::auth::view::LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/profile") view=crate::profile::view::ProfilePage ssr=SsrMode::Async />
                    <Route path=path!("/courses") view=crate::courses::view::CoursesPage ssr=SsrMode::Async />
                    <Route path=path!("/courses/:id") view=crate::courses::view::CoursePage ssr=SsrMode::Async />
                    <Route
                        path=path!("/courses/:id/activities/new")
                        view=crate::activities::form_view::NewActivityPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/courses/:id/activities/:aid/edit")
                        view=crate::activities::form_view::EditActivityPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/activities/:id") view=crate::activities::join_view::JoinPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/users") view=crate::admin::view::AdminUsersPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/servers") view=crate::servers::view::AdminServersPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/live") view=crate::rooms::live_view::AdminLivePage ssr=SsrMode::Async />
                    <Route path=path!("/admin/recording") view=crate::recording::admin_view::AdminRecordingPage ssr=SsrMode::Async />
                    <Route path=path!("/activities/:id/recordings") view=crate::recording::view::RecordingsTab ssr=SsrMode::Async />
                    <Route path=path!("/guest/:token") view=crate::guests::view::GuestPage ssr=SsrMode::Async />
                    <Route path=path!("/meetings") view=crate::meetings::list_view::MeetingsPage ssr=SsrMode::Async />
                    <Route path=path!("/meetings/new") view=crate::meetings::form_view::NewMeetingPage ssr=SsrMode::Async />
                    <Route path=path!("/meetings/:id/edit") view=crate::meetings::form_view::EditMeetingPage ssr=SsrMode::Async />
                    <Route path=path!("/meetings/:id/recordings") view=crate::rooms::recordings_view::MeetingRecordingsPage ssr=SsrMode::Async />
                    <Route path=path!("/m/:public_id") view=crate::meetings::join_view::MeetingJoinPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/activities/:id/attendance")
                        view=crate::attendance::view::ActivityAttendancePage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/activities/:id/attendance/:uid")
                        view=crate::attendance::view::PersonAttendancePage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/courses/:id/attendance")
                        view=crate::attendance::view::CourseAttendancePage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </Layout>
        </Router>
    }
}
