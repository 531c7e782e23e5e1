//! The teacher's guest-link panel (on the activity page) and the guest's own page.

use crate::components::page_heading::PageHeading;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::{
    CreateGuestLink, InviteGuests, RevokeGuestLink, guest_info, guest_links,
    model::{GuestLinkInfo, LinkState},
};
use crate::{
    activities::model::Phase,
    components::{
        error_page::Loading,
        forms::{Field, FormError, field_error, form_error},
    },
    error::AppError,
    i18n::{Texts, fill, use_texts},
};

fn state_text(t: &Texts, s: LinkState) -> &'static str {
    match s {
        LinkState::Valid => t.guest_state_valid,
        LinkState::Expired => t.guest_state_expired,
        LinkState::Revoked => t.guest_state_revoked,
        LinkState::UsedUp => t.guest_state_used_up,
        LinkState::Unknown => t.guest_state_unknown,
    }
}

/// An island on the join page (its own lazy chunk: students never load it).
#[cfg_attr(all(feature = "hydrate", not(aula_lean)), island(lazy))]
#[cfg_attr(not(feature = "hydrate"), island)]
#[cfg_attr(all(feature = "hydrate", aula_lean), component)]
pub fn GuestLinksPanel(activity_id: i32) -> impl IntoView {
    let t = use_texts();
    let create = ServerAction::<CreateGuestLink>::new();
    let revoke = ServerAction::<RevokeGuestLink>::new();
    let invite = ServerAction::<InviteGuests>::new();
    let links = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        move |_| guest_links(activity_id),
    );
    view! {
        <section class="card" aria-labelledby="guest-h" data-testid="guest-links">
            <h2 id="guest-h">{t.guest_links_title}</h2>
            <ActionForm action=create attr:class="row-form">
                <FormError message=form_error(create.value()) />
                <input type="hidden" name="activity_id" value=activity_id />
                <Field label=t.guest_label name="label" required=true error=field_error(create.value(), "label") />
                <Field label=t.guest_expires name="expires_at" kind="datetime-local" required=true error=field_error(create.value(), "expires_at") />
                <Field label=t.guest_max_uses name="max_uses" kind="number" error=field_error(create.value(), "max_uses") />
                <button type="submit" class="primary">{t.guest_create}</button>
            </ActionForm>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let list = links.await.unwrap_or_default();
                    view! {
                        <ul class="guest-list">
                            {list.into_iter().map(|l| {
                                let valid = l.state == LinkState::Valid;
                                let qr = l.qr_svg.clone();
                                view! {
                                    <li data-testid="guest-link">
                                        <div class="qr" role="img" aria-label=fill(t.guest_qr_of, &[&l.label]) inner_html=qr></div>
                                        <div>
                                            <strong>{l.label.clone()}</strong>
                                            " " <span class="badge" class:badge-open=valid>{state_text(t, l.state)}</span>
                                            <br />
                                            <input class="link-url" readonly value=l.url.clone() aria-label=t.guest_url data-testid="guest-url" />
                                            <br />
                                            <small class="muted">
                                                {fill(t.guest_until, &[&l.expires])} " · "
                                                {match l.max_uses {
                                                    Some(m) => fill(t.guest_uses_of, &[&l.uses.to_string(), &m.to_string()]),
                                                    None => fill(t.guest_uses, &[&l.uses.to_string()]),
                                                }}
                                            </small>
                                            {(!l.guests.is_empty()).then(|| view! {
                                                <details>
                                                    <summary>{t.guest_who}</summary>
                                                    <ul>{l.guests.iter().map(|g| view! { <li>{g.name.clone()} " · " <small class="muted">{g.at.clone()}</small></li> }).collect_view()}</ul>
                                                </details>
                                            })}
                                            {valid.then(|| view! {
                                                <details class="invite">
                                                    <summary>{t.guest_invite}</summary>
                                                    <ActionForm action=invite>
                                                        <FormError message=form_error(invite.value()) />
                                                        <input type="hidden" name="activity_id" value=activity_id />
                                                        <input type="hidden" name="link_id" value=l.id />
                                                        <div class="field">
                                                            <label for=format!("invite-{}", l.id)>{t.guest_invite_emails}</label>
                                                            <textarea id=format!("invite-{}", l.id) name="emails" rows="3" required></textarea>
                                                            {move || field_error(invite.value(), "emails").get().map(|m| view! { <small class="field-error">{m}</small> })}
                                                        </div>
                                                        <button type="submit">{t.guest_invite_send}</button>
                                                        {move || match invite.value().get() {
                                                            Some(Ok(n)) => Some(view! { <p role="status" class="ok">{fill(t.guest_invite_sent, &[&n.to_string()])}</p> }),
                                                            _ => None,
                                                        }}
                                                    </ActionForm>
                                                </details>
                                                <ActionForm action=revoke attr:class="inline-form">
                                                    <input type="hidden" name="activity_id" value=activity_id />
                                                    <input type="hidden" name="link_id" value=l.id />
                                                    <button type="submit" class="link-button danger">{t.guest_revoke}</button>
                                                </ActionForm>
                                            })}
                                        </div>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }
                })}
            </Transition>
        </section>
    }
}

/// `/guest/:token`: no account needed. The link is checked again at every step.
#[component]
pub fn GuestPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let info = Resource::new(token, guest_info);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match info.await {
                    Ok(i) => view! { <GuestView i token=token() /> }.into_any(),
                    Err(e) => view! { <crate::components::error_page::ErrorPage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn GuestView(i: GuestLinkInfo, token: String) -> impl IntoView {
    let t = use_texts();
    if i.state != LinkState::Valid {
        return view! {
            <div class="card error-page" data-testid="guest-refused">
                <PageHeading text={t.guest_cannot_join} />
                <p class="lead">{state_text(t, i.state)}</p>
            </div>
        }
        .into_any();
    }
    let name = RwSignal::new(String::new());
    let status = RwSignal::new(None::<Result<(), AppError>>);
    let attendance = RwSignal::new(None::<crate::attendance::dto::TrackerStatus>);
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    let activity_id = i.activity_id;
    #[cfg(feature = "hydrate")]
    let meeting = StoredValue::new_local(None::<crate::activities::jitsi::Meeting>);
    #[cfg(feature = "hydrate")]
    let tracker = StoredValue::new_local(None::<crate::attendance::client::Tracker>);
    #[cfg(feature = "hydrate")]
    on_cleanup(move || {
        if let Some(t) = tracker.try_update_value(|t| t.take()).flatten() {
            t.stop();
        }
        meeting.try_with_value(|m| {
            if let Some(m) = m {
                m.close();
            }
        });
    });
    let open_now = matches!(i.phase, Phase::Open { .. });
    let token = StoredValue::new(token);
    let join = move |_| {
        let (token, who) = (token.get_value(), name.get_untracked());
        leptos::task::spawn_local(async move {
            match super::guest_join(token, who).await {
                Ok(ticket) => {
                    status.set(Some(Ok(())));
                    // BigBlueButton: the server signed a guest join URL; go there.
                    #[cfg(feature = "hydrate")]
                    if let Some(url) = &ticket.redirect_url {
                        if let Some(w) = web_sys::window() {
                            let _ = w.location().assign(url);
                        }
                        return;
                    }
                    #[cfg(feature = "hydrate")]
                    if let Some(parent) = web_sys::window()
                        .and_then(|w| w.document())
                        .and_then(|d| d.get_element_by_id("meeting"))
                    {
                        use crate::activities::jitsi::MeetingEvent;
                        // Guests' time counts too, under their guest identity, from the join
                        // event on.
                        let on_event = move |e: MeetingEvent| match e {
                            MeetingEvent::Joined if tracker.with_value(|t| t.is_none()) => {
                                leptos::task::spawn_local(async move {
                                    let t = crate::attendance::client::Tracker::start(
                                        activity_id,
                                        attendance,
                                    )
                                    .await;
                                    tracker.set_value(t);
                                });
                            }
                            MeetingEvent::Left => {
                                if let Some(t) = tracker.try_update_value(|t| t.take()).flatten() {
                                    t.stop();
                                }
                            }
                            _ => {}
                        };
                        if let Ok(m) =
                            crate::activities::jitsi::open(&ticket, &parent, on_event).await
                        {
                            meeting.set_value(Some(m));
                        }
                    }
                    #[cfg(not(feature = "hydrate"))]
                    let _ = ticket;
                }
                Err(e) => status.set(Some(Err(e))),
            }
        });
    };
    view! {
        <PageHeading text={i.activity_name.clone()} />
        <p class="lead">{i.course_name.clone()}</p>
        <section class="card join-card" data-testid="guest-join">
            {move || match status.get() {
                Some(Ok(())) => view! {
                    <p class="state open">{t.in_meeting}</p>
                    <p class="attendance-status small" data-testid="attendance-status"
                        data-state=move || match attendance.get() {
                            Some(crate::attendance::dto::TrackerStatus::Counting { .. }) => "counting",
                            Some(_) => "other",
                            None => "",
                        }>
                        {move || matches!(attendance.get(), Some(crate::attendance::dto::TrackerStatus::Counting { .. })).then_some(t.att_counting)}
                    </p>
                }.into_any(),
                other => view! {
                    {other.and_then(|r| r.err()).map(|e| view! {
                        <p class="form-error" role="alert">{match e {
                            AppError::Invalid(_) => t.guest_name_needed,
                            AppError::RateLimited => t.rate_limited,
                            AppError::Conflict(_) | AppError::NotFound => t.guest_cannot_join,
                            _ => t.request_refused,
                        }}</p>
                    })}
                    {if open_now {
                        view! {
                            <form class="guest-form" on:submit=move |ev| { ev.prevent_default(); join(()); }>
                                <div class="field">
                                    <label for="guest-name">{t.guest_your_name}</label>
                                    <input id="guest-name" required maxlength="60" autocomplete="name"
                                        on:input=move |ev| name.set(event_target_value(&ev)) />
                                </div>
                                <button type="submit" class="primary big">{t.join_meeting}</button>
                            </form>
                        }.into_any()
                    } else {
                        view! { <p>{fill(t.guest_not_open, &[&i.opens_display])}</p> }.into_any()
                    }}
                }.into_any(),
            }}
        </section>
        <div id="meeting" class="meeting-frame" class:hidden=move || !matches!(status.get(), Some(Ok(())))></div>
    }
    .into_any()
}
