//! Error pages. On the server they also set the response status, so a 403 page is a real 403.

use crate::components::page_heading::PageHeading;

use leptos::prelude::*;
use leptos_router::components::{A, Redirect};

use super::messages::{error_message, error_title};
use crate::{
    error::AppError,
    i18n::{Texts, use_texts},
};

#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    error.set_response_status();
    let t = use_texts();
    let (title, body) = match &error {
        AppError::Unauthenticated => {
            let here = leptos_router::hooks::use_location()
                .pathname
                .get_untracked();
            let next: String = here
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || "/-_".contains(c) {
                        c.to_string()
                    } else {
                        String::new()
                    }
                })
                .collect();
            return view! { <Redirect path=format!("/login?next={next}") /> }.into_any();
        }
        other => describe(t, other),
    };
    view! {
        <section class="error-page" role="alert" data-status=error.status()>
            <PageHeading text={title} />
            <p>{body}</p>
            <p>
                <A href="/">{t.back_to_dashboard}</A>
            </p>
        </section>
    }
    .into_any()
}

/// An error inside a panel or an island: no router needed (islands hydrate without one), and a
/// lapsed session links to the login page rather than redirecting the whole page away.
#[component]
pub fn InlineError(error: AppError) -> impl IntoView {
    let t = use_texts();
    let body = match &error {
        AppError::Unauthenticated => {
            return view! {
                <p class="notice" role="alert">
                    <a href="/login">{t.login_button}</a>
                </p>
            }
            .into_any();
        }
        other => describe(t, other).1,
    };
    view! { <p class="notice" role="alert" data-status=error.status()>{body}</p> }.into_any()
}

/// The title and message for an error, shared by the page and the inline form. (A lapsed session
/// is handled by each caller before this: the page redirects, the inline form links.)
fn describe(t: &Texts, error: &AppError) -> (&'static str, String) {
    (error_title(t, error), error_message(t, error))
}

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! { <ErrorPage error=AppError::NotFound /> }
}

#[component]
pub fn Loading() -> impl IntoView {
    let t = use_texts();
    view! { <p class="loading" aria-busy="true">{t.loading}</p> }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn each_error_is_described_with_its_own_title_and_the_internal_id_is_shown() {
        let t = Lang::En.texts();
        assert_eq!(describe(t, &AppError::Forbidden).0, t.forbidden_title);
        assert_eq!(describe(t, &AppError::NotFound).1, t.not_found_body);
        let (title, body) = describe(t, &AppError::Internal("abc123".into()));
        assert_eq!(title, t.server_error_title);
        assert!(body.contains("abc123"));
    }
}
