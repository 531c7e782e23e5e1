//! Admin → Live meetings: what runs on each BigBlueButton server now, who is in it, and an
//! "End meeting" button (with a confirmation step).

use crate::components::page_heading::PageHeading;

use leptos::prelude::*;
use leptos_router::components::A;

use super::{EndLiveMeeting, list_live_meetings, model::LiveMeeting};
use crate::{
    components::{
        error_page::{ErrorPage, Loading},
        forms::{FormError, form_error},
    },
    i18n::{fill, use_texts},
};

#[component]
pub fn AdminLivePage() -> impl IntoView {
    let t = use_texts();
    let end = ServerAction::<EndLiveMeeting>::new();
    let refresh = RwSignal::new(0u32);
    let servers = Resource::new(
        move || (end.version().get(), refresh.get()),
        |_| list_live_meetings(),
    );
    view! {
        <div class="join-head">
            <PageHeading text={t.live_title} />
            <button type="button" on:click=move |_| refresh.update(|n| *n += 1)>{t.live_refresh}</button>
        </div>
        <p class="muted">{t.live_intro}</p>
        <FormError message=form_error(end.value()) />
        {move || matches!(end.value().get(), Some(Ok(_))).then(|| view! {
            <p role="status" class="ok">{t.live_ended}</p>
        })}
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match servers.await {
                    Ok(list) if list.is_empty() => view! {
                        <p class="card">{t.live_no_servers}</p>
                    }.into_any(),
                    Ok(list) => list.into_iter().map(|s| {
                        let heading = format!("live-{}", s.id);
                        let labelled_by = heading.clone();
                        view! {
                            <section class="card" aria-labelledby=labelled_by data-testid="live-server">
                                <h2 id=heading>{s.name.clone()}</h2>
                                {s.error.map(|f| view! { <p class="form-error" role="alert">{t.external_message(f)}</p> })}
                                {(s.error.is_none() && s.meetings.is_empty()).then(|| view! {
                                    <p class="muted">{t.live_none}</p>
                                })}
                                {(!s.meetings.is_empty()).then(|| view! {
                                    <ul class="live-list">
                                        {s.meetings.into_iter().map(|m| view! { <LiveRow server_id=s.id m end /> }).collect_view()}
                                    </ul>
                                })}
                            </section>
                        }
                    }).collect_view().into_any(),
                    Err(e) => view! { <ErrorPage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn LiveRow(server_id: i32, m: LiveMeeting, end: ServerAction<EndLiveMeeting>) -> impl IntoView {
    let t = use_texts();
    let confirming = RwSignal::new(false);
    let row_id = m.meeting_id.clone();
    view! {
        <li class="live-meeting" data-meeting=row_id>
            <p>
                <strong>
                    {match m.aula_link.clone() {
                        Some(href) => view! { <A href=href>{m.name.clone()}</A> }.into_any(),
                        None => view! { <span>{m.name.clone()}</span> }.into_any(),
                    }}
                </strong>
                " "
                {if m.running {
                    view! { <span class="badge badge-live">{t.live_running}</span> }.into_any()
                } else {
                    view! { <span class="badge">{t.live_waiting}</span> }.into_any()
                }}
            </p>
            <p class="small muted">
                {fill(t.live_since, &[&m.started])} " · "
                {fill(t.live_people, &[&m.participants.to_string(), &m.moderators.to_string()])}
            </p>
            {(!m.attendees.is_empty()).then(|| view! { <p class="small">{m.attendees.join(", ")}</p> })}
            <ActionForm action=end attr:class="inline-form">
                <input type="hidden" name="server_id" value=server_id />
                <input type="hidden" name="meeting_id" value=m.meeting_id.clone() />
                <button type="button" class="danger" hidden=move || confirming.get() on:click=move |_| confirming.set(true)>
                    {t.live_end}
                </button>
                <button type="submit" class="danger" hidden=move || !confirming.get()>{t.live_confirm_end}</button>
            </ActionForm>
        </li>
    }
}
