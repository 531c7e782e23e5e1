//! The calendar-feed panel on the profile page: the secret URL to paste into a calendar app, a
//! copy button, and a reset that asks for confirmation first (the old URL stops working).

use leptos::prelude::*;

use super::feed::{ResetCalendarFeed, calendar_feed_link};
use crate::{
    components::{
        error_page::Loading,
        forms::{FormError, form_error},
    },
    meetings::invite_texts::feed_texts,
};

#[component]
pub fn CalendarFeedPanel() -> impl IntoView {
    let ft = feed_texts();
    let reset = ServerAction::<ResetCalendarFeed>::new();
    let link = Resource::new(|| (), |_| calendar_feed_link());
    let confirming = RwSignal::new(false);
    let was_reset = move || matches!(reset.value().get(), Some(Ok(_)));
    Effect::new(move |_| {
        if was_reset() {
            confirming.set(false);
        }
    });
    view! {
        <section class="card" aria-labelledby="feed-h" data-testid="calendar-feed">
            <h2 id="feed-h">{ft.title}</h2>
            <p>{ft.intro}</p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let first = link.await;
                    let error = Signal::derive({
                        let first = first.clone();
                        move || first.clone().err().map(Err::<(), _>)
                    });
                    let first = first.ok().map(|l| l.url).unwrap_or_default();
                    // After a reset the new URL replaces the first one.
                    let url = move || match reset.value().get() {
                        Some(Ok(l)) => l.url,
                        _ => first.clone(),
                    };
                    view! {
                        <FormError message=form_error(error) />
                        <div class="copy-link">
                            <label for="feed-url" class="visually-hidden">{ft.url_label}</label>
                            <input id="feed-url" class="link-url" readonly value=url data-testid="feed-url"
                                aria-describedby="feed-hint" />
                            <button type="button" class="small-button" data-done=ft.copied data-copy-from="feed-url">
                                {ft.copy}
                            </button>
                        </div>
                    }
                })}
            </Transition>
            <p id="feed-hint" class="hint small">{ft.hint}</p>
            <ActionForm action=reset attr:class="inline-form">
                <FormError message=form_error(reset.value()) />
                // Two buttons, not one that changes type: a button turned into a submit button
                // inside its own click handler would submit on that same click.
                <button type="button" class="link-button danger" hidden=move || confirming.get()
                    on:click=move |_| confirming.set(true) data-testid="feed-reset">
                    {ft.reset}
                </button>
                <button type="submit" class="danger" hidden=move || !confirming.get() data-testid="feed-reset-confirm">
                    {ft.reset_confirm}
                </button>
                <button type="button" class="link-button" hidden=move || !confirming.get()
                    on:click=move |_| confirming.set(false)>
                    {ft.reset_cancel}
                </button>
            </ActionForm>
            {move || was_reset().then(|| view! { <p role="status" class="ok" data-testid="feed-reset-done">{ft.reset_done}</p> })}
        </section>
    }
}
