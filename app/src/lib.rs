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
pub mod meetings;
pub mod moderation;
pub mod profile;
pub mod recording;
pub mod rooms;
pub mod servers;

#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod bbb;
#[cfg(feature = "ssr")]
pub mod crypto;
#[cfg(feature = "ssr")]
pub mod entities;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod request;
#[cfg(feature = "ssr")]
pub mod settings;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod tz;

use leptos::prelude::*;
use leptos_meta::{Html, Link, Meta, MetaTags, Stylesheet, provide_meta_context};
use leptos_router::{
    Lazy, LazyRoute, SsrMode,
    components::{Route, Router, Routes},
    lazy_route, path,
};

use crate::{
    components::{error_page::NotFoundPage, layout::Layout},
    i18n::Lang,
};

/// Declares a page as a lazy route: with `cargo leptos build --split`, the page's code goes into
/// its own wasm chunk, so a student opening the join page downloads the join page and the shared
/// frame, not the admin and course-management screens. Pages load their own data, so a client-side
/// navigation fetches the chunk first and then the data; first visits get both in the HTML.
macro_rules! lazy_page {
    ($route:ident, $page:path) => {
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page /> }.into_any()
            }
        }
    };
}

/// The routes, one lazy chunk per page.
pub mod pages {
    use super::*;

    lazy_page!(Dashboard, crate::courses::view::DashboardPage);
    lazy_page!(Login, crate::auth::view::LoginPage);
    lazy_page!(Profile, crate::profile::view::ProfilePage);
    lazy_page!(Courses, crate::courses::view::CoursesPage);
    lazy_page!(Course, crate::courses::view::CoursePage);
    lazy_page!(NewActivity, crate::activities::form_view::NewActivityPage);
    lazy_page!(EditActivity, crate::activities::form_view::EditActivityPage);
    lazy_page!(Join, crate::activities::join_view::JoinPage);
    lazy_page!(AdminUsers, crate::admin::view::AdminUsersPage);
    lazy_page!(AdminServers, crate::servers::view::AdminServersPage);
    lazy_page!(AdminLive, crate::rooms::live_view::AdminLivePage);
    lazy_page!(Guest, crate::guests::view::GuestPage);
    lazy_page!(Meetings, crate::meetings::list_view::MeetingsPage);
    lazy_page!(NewMeeting, crate::meetings::form_view::NewMeetingPage);
    lazy_page!(EditMeeting, crate::meetings::form_view::EditMeetingPage);
    lazy_page!(MeetingJoin, crate::meetings::join_view::MeetingJoinPage);
    lazy_page!(Recordings, crate::recording::view::RecordingsTab);
    lazy_page!(
        MeetingRecordings,
        crate::rooms::recordings_view::MeetingRecordingsPage
    );
    lazy_page!(
        AdminRecording,
        crate::recording::admin_view::AdminRecordingPage
    );
    lazy_page!(
        ActivityAttendance,
        crate::attendance::view::ActivityAttendancePage
    );
    lazy_page!(
        PersonAttendance,
        crate::attendance::view::PersonAttendancePage
    );
    lazy_page!(
        CourseAttendance,
        crate::attendance::view::CourseAttendancePage
    );
}

/// The HTML document around the app (server only renders it).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
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
        #[cfg(feature = "hydrate")]
        {
            web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
                .and_then(|e| e.get_attribute("lang"))
                .and_then(|l| Lang::parse(&l))
                .unwrap_or_default()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            Lang::default()
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = detect_lang();
    provide_context(lang);
    view! {
        <Html attr:lang=lang.code() />
        <Meta name="description" content=lang.texts().app_tagline />
        <Link rel="icon" href="/favicon.svg" />
        <Stylesheet id="leptos" href="/pkg/aula.css" />
        <Router>
            <Layout>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view={Lazy::<pages::Dashboard>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/login") view={Lazy::<pages::Login>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/profile") view={Lazy::<pages::Profile>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/courses") view={Lazy::<pages::Courses>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/courses/:id") view={Lazy::<pages::Course>::new()} ssr=SsrMode::Async />
                    <Route
                        path=path!("/courses/:id/activities/new")
                        view={Lazy::<pages::NewActivity>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/courses/:id/activities/:aid/edit")
                        view={Lazy::<pages::EditActivity>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/activities/:id") view={Lazy::<pages::Join>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/admin/users") view={Lazy::<pages::AdminUsers>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/admin/servers") view={Lazy::<pages::AdminServers>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/admin/live") view={Lazy::<pages::AdminLive>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/admin/recording") view={Lazy::<pages::AdminRecording>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/activities/:id/recordings") view={Lazy::<pages::Recordings>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/guest/:token") view={Lazy::<pages::Guest>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/meetings") view={Lazy::<pages::Meetings>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/meetings/new") view={Lazy::<pages::NewMeeting>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/meetings/:id/edit") view={Lazy::<pages::EditMeeting>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/meetings/:id/recordings") view={Lazy::<pages::MeetingRecordings>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/m/:public_id") view={Lazy::<pages::MeetingJoin>::new()} ssr=SsrMode::Async />
                    <Route
                        path=path!("/activities/:id/attendance")
                        view={Lazy::<pages::ActivityAttendance>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/activities/:id/attendance/:uid")
                        view={Lazy::<pages::PersonAttendance>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/courses/:id/attendance")
                        view={Lazy::<pages::CourseAttendance>::new()}
                        ssr=SsrMode::Async
                    />
                </Routes>
            </Layout>
        </Router>
    }
}
