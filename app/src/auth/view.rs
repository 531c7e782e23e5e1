use crate::components::page_heading::PageHeading;
use leptos::prelude::*;
use leptos_router::{components::Redirect, hooks::use_query_map};

use super::{Login, get_me, model::safe_next};
use crate::{
    components::{
        forms::{Field, FormError, form_error},
        reload_to,
    },
    i18n::use_texts,
};

#[component]
pub fn LoginPage() -> impl IntoView {
    let t = use_texts();
    let me = Resource::new(|| (), |_| get_me());
    let action = ServerAction::<Login>::new();
    let query = use_query_map();
    // Only paths on this site: `next` must never send the user anywhere else.
    let next = move || safe_next(query.read().get("next").as_deref());
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            reload_to(&next());
        }
    });
    let error = form_error(action.value());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                if let Ok(Some(_)) = me.await {
                    return view! { <Redirect path="/" /> }.into_any();
                }
                view! {
                    <section class="card narrow">
                        <PageHeading text={t.login_title} />
                        <ActionForm action=action>
                            <FormError message=error />
                            <Field label=t.email name="email" kind="email" required=true autocomplete="username" />
                            <Field
                                label=t.password
                                name="password"
                                kind="password"
                                required=true
                                autocomplete="current-password"
                            />
                            <button type="submit" class="primary" disabled=move || action.pending().get()>
                                {t.login_button}
                            </button>
                        </ActionForm>
                    </section>
                }
                .into_any()
            })}
        </Suspense>
    }
}
