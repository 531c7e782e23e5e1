//! `/m/:public_id`: the meeting's own page. Owners start it; everyone else waits until it runs
//! (the page asks every 5 s) and then joins. People without an account give a name, and the
//! access code when the meeting has one. Joining sends the browser to BigBlueButton's signed URL.

use crate::components::page_heading::PageHeading;

use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_params_map};

use super::{
    get_meeting_page,
    list_view::CopyLink,
    model::MeetingPage,
    texts::{MeetingTexts, meeting_texts},
};
use crate::{
    components::error_page::{ErrorPage, Loading},
    error::{AppError, ConflictReason, FieldCode},
    i18n::{fill, use_texts},
};

#[component]
pub fn MeetingJoinPage() -> impl IntoView {
    let params = use_params_map();
    let public_id = move || params.read().get("public_id").unwrap_or_default();
    let info = Resource::new(public_id, get_meeting_page);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match info.await {
                    Ok(p) => view! { <JoinPanel p /> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Where this tab stands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Ready,
    Joining,
    Refused(AppError),
}

/// The words for a refused join.
fn refusal(mt: &MeetingTexts, e: &AppError) -> String {
    match e {
        AppError::Invalid(_) if e.field("access_code") == Some(FieldCode::Required) => {
            mt.code_needed.to_owned()
        }
        AppError::Invalid(_) if e.field("access_code").is_some() => mt.code_wrong.to_owned(),
        AppError::Invalid(_) if e.field("name").is_some() => mt.name_needed.to_owned(),
        AppError::Conflict(ConflictReason::NotStarted) => mt.not_started.to_owned(),
        AppError::RateLimited => mt.rate_limited.to_owned(),
        AppError::External(f) => use_texts().external_message(*f).to_owned(),
        _ => format!("{} ({})", mt.refused, e.status()),
    }
}

#[component]
fn JoinPanel(p: MeetingPage) -> impl IntoView {
    let mt = meeting_texts();
    let running = RwSignal::new(p.running);
    let step = RwSignal::new(Step::Ready);
    let name = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let owner = p.is_owner;
    let anonymous = !p.signed_in;
    let public_id = StoredValue::new(p.public_id.clone());
    let title = if p.is_personal {
        fill(mt.personal_room_of, &[&p.owner_name])
    } else {
        p.name.clone()
    };

    // Ask whether the meeting runs every 5 s while waiting (owners start it themselves).
    #[cfg(feature = "hydrate")]
    if !owner {
        let handle = set_interval_with_handle(
            move || {
                if running.get_untracked() || step.get_untracked() == Step::Joining {
                    return;
                }
                let id = public_id.get_value();
                leptos::task::spawn_local(async move {
                    if let Ok(s) = super::get_meeting_status(id).await {
                        running.set(s.running);
                    }
                });
            },
            std::time::Duration::from_secs(5),
        )
        .ok();
        on_cleanup(move || {
            if let Some(h) = handle {
                h.clear();
            }
        });
    }

    let join = move || {
        step.set(Step::Joining);
        let (id, who, secret) = (
            public_id.get_value(),
            name.get_untracked(),
            code.get_untracked(),
        );
        leptos::task::spawn_local(async move {
            match super::join_meeting(id, who, secret).await {
                Ok(r) => {
                    #[cfg(feature = "hydrate")]
                    if let Some(w) = web_sys::window()
                        && w.location().assign(&r.redirect_url).is_ok()
                    {
                        return;
                    }
                    #[cfg(not(feature = "hydrate"))]
                    let _ = r;
                    step.set(Step::Refused(AppError::Internal("redirect".into())));
                }
                Err(e) => {
                    if e == AppError::Conflict(ConflictReason::NotStarted) {
                        running.set(false);
                    }
                    step.set(Step::Refused(e));
                }
            }
        });
    };
    let can_join = move || (owner || running.get()) && step.get() != Step::Joining;

    view! {
        <div class="join-head">
            <PageHeading text={title} />
            {p.meeting_id.map(|id| view! {
                <A href=format!("/meetings/{id}/edit") attr:class="button">{mt.edit}</A>
            })}
        </div>
        <p class="lead">{fill(mt.organised_by, &[&p.owner_name])}</p>
        <p class="muted" data-testid="next-session">
            {match (&p.next_session, p.is_personal) {
                (_, true) => mt.always_open.to_owned(),
                (Some(s), false) => fill(
                    mt.next_session,
                    &[&fill(mt.session_line, &[&format!("{s} ({})", p.time_zone), &p.session_minutes.to_string()])],
                ),
                (None, false) => mt.series_over.to_owned(),
            }}
            {p.recurring.then(|| view! { " " <span class="badge">{mt.recurring}</span> })}
        </p>
        {p.url.clone().map(|url| view! { <CopyLink url id="share-url" /> })}
        <section class="card join-card" data-testid="meeting-join" data-running=move || running.get().to_string()>
            <div aria-live="polite" data-testid="meeting-state">
                {move || match step.get() {
                    Step::Joining => view! { <p class="state open" aria-busy="true">{mt.joining}</p> }.into_any(),
                    _ if owner && running.get() => view! { <p class="state open" data-phase="running">{mt.running}</p> }.into_any(),
                    _ if owner => view! { <p class="muted">{mt.owner_hint}</p> }.into_any(),
                    _ if running.get() => view! { <p class="state open" data-phase="running">{mt.running}</p> }.into_any(),
                    _ => view! {
                        <p class="state upcoming" data-phase="waiting">{mt.waiting}</p>
                        <p class="muted small">{mt.waiting_hint}</p>
                    }.into_any(),
                }}
                {move || match step.get() {
                    Step::Refused(e) => Some(view! {
                        <p class="form-error" role="alert" data-testid="join-error">{refusal(mt, &e)}</p>
                    }),
                    _ => None,
                }}
            </div>
            <form class="guest-form" on:submit=move |ev| { ev.prevent_default(); if can_join() { join(); } }>
                {anonymous.then(|| view! {
                    <div class="field">
                        <label for="guest-name">{mt.your_name}</label>
                        <input id="guest-name" required maxlength="60" autocomplete="name"
                            on:input=move |ev| name.set(event_target_value(&ev)) />
                    </div>
                })}
                {p.needs_code.then(|| view! {
                    <div class="field">
                        <label for="access-code">{mt.access_code}</label>
                        <input id="access-code" required maxlength="32" autocomplete="off"
                            on:input=move |ev| code.set(event_target_value(&ev)) />
                    </div>
                })}
                {if owner {
                    view! {
                        <button type="submit" class="primary big" data-testid="start-meeting" disabled=move || !can_join()>
                            {move || if running.get() { mt.join } else { mt.start_meeting }}
                        </button>
                    }.into_any()
                } else {
                    view! {
                        <button type="submit" class="primary big" data-testid="join-meeting" disabled=move || !can_join()>
                            {mt.join}
                        </button>
                    }.into_any()
                }}
                <p class="muted small">{mt.opens_in_tab} {anonymous.then_some(" ")} {anonymous.then_some(mt.lobby_hint)}</p>
            </form>
            {anonymous.then(|| view! {
                <p class="small">
                    {mt.sign_in_instead} " "
                    <a href=format!("/login?next=/m/{}", p.public_id)>{mt.sign_in}</a>
                </p>
            })}
        </section>
    }
}
