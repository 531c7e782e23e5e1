//! The edit page's panels beside the form: slides (a plain multipart form to
//! `POST /meetings/{id}/slides`, which answers with a redirect back here), co-owners, delete.

use leptos::prelude::*;
use leptos_router::{components::Redirect, hooks::use_query_map};

use super::{
    AcceptCoOwnerInvitation, AddCoOwner, DeclineCoOwnerInvitation, DeleteMeeting, RemoveCoOwner,
    RemoveSlides, WithdrawCoOwnerInvitation,
    model::{CoOwnerOffer, CoOwners},
    texts::meeting_texts,
};
use crate::{
    components::forms::{Field, FormError, field_error, form_error},
    i18n::fill,
};

#[component]
pub fn SlidesPanel(meeting_id: i32, current: Option<String>) -> impl IntoView {
    let mt = meeting_texts();
    let query = use_query_map();
    let remove = ServerAction::<RemoveSlides>::new();
    let removed = move || matches!(remove.value().get(), Some(Ok(())));
    let outcome = move || {
        let (ok, text) = match query.read().get("slides").as_deref() {
            Some("saved") => (true, mt.slides_saved),
            Some("too-large") => (false, mt.slides_too_large),
            Some("invalid") => (false, mt.slides_invalid),
            Some("missing") => (false, mt.slides_missing),
            _ => return None,
        };
        Some(if ok {
            view! { <p class="ok" role="status" data-testid="slides-outcome">{text}</p> }.into_any()
        } else {
            view! { <p class="form-error" role="alert" data-testid="slides-outcome">{text}</p> }
                .into_any()
        })
    };
    let has_slides = current.is_some();
    view! {
        <section class="card" aria-labelledby="slides-h" data-testid="slides">
            <h2 id="slides-h">{mt.fs_slides}</h2>
            {outcome}
            <p data-testid="slides-current">
                {move || match (&current, removed()) {
                    (Some(name), false) => fill(mt.slides_current, &[name]),
                    _ => mt.slides_none.to_owned(),
                }}
            </p>
            <form method="post" action=format!("/meetings/{meeting_id}/slides") enctype="multipart/form-data" class="row-form">
                <div class="field">
                    <label for="f-slides">{mt.slides_file}</label>
                    <input id="f-slides" type="file" name="slides" required aria-describedby="f-slides-hint"
                        accept=".pdf,.pptx,.odp,.docx,.png,.jpg,.jpeg" />
                    <small id="f-slides-hint" class="hint">{mt.slides_hint}</small>
                </div>
                <button type="submit" data-testid="upload-slides">{mt.slides_upload}</button>
            </form>
            {move || (has_slides && !removed()).then(|| view! {
                <ActionForm action=remove attr:class="inline-form">
                    <FormError message=form_error(remove.value()) />
                    <input type="hidden" name="meeting_id" value=meeting_id />
                    <button type="submit" class="link-button danger" data-testid="remove-slides">{mt.slides_remove}</button>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
pub fn CoOwnersPanel(meeting_id: i32, rows: CoOwners, can_manage: bool) -> impl IntoView {
    let mt = meeting_texts();
    let add = ServerAction::<AddCoOwner>::new();
    let remove = ServerAction::<RemoveCoOwner>::new();
    let withdraw = ServerAction::<WithdrawCoOwnerInvitation>::new();
    let list = RwSignal::new(rows);
    // Each action answers with the co-owners and invitations as they now are.
    Effect::new(move |_| {
        if let Some(Ok(l)) = add.value().get() {
            list.set(l);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(l)) = remove.value().get() {
            list.set(l);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(l)) = withdraw.value().get() {
            list.set(l);
        }
    });
    view! {
        <section class="card" aria-labelledby="co-owners-h" data-testid="co-owners">
            <h2 id="co-owners-h">{mt.fs_co_owners}</h2>
            <p class="muted small">{mt.co_owners_hint}</p>
            <FormError message=form_error(remove.value()) />
            <FormError message=form_error(withdraw.value()) />
            {move || {
                let CoOwners { owners, pending } = list.get();
                if owners.is_empty() && pending.is_empty() {
                    return view! { <p class="muted">{mt.no_co_owners}</p> }.into_any();
                }
                view! {
                    <ul class="roster">
                        {owners.into_iter().map(|r| view! {
                            <li data-testid="co-owner">
                                <span>{r.name.clone()} " " <small class="muted">{r.email.clone()}</small></span>
                                {can_manage.then(|| view! {
                                    <ActionForm action=remove attr:class="inline-form">
                                        <input type="hidden" name="meeting_id" value=meeting_id />
                                        <input type="hidden" name="user_id" value=r.user_id />
                                        <button type="submit" class="link-button danger"
                                            aria-label=fill(mt.remove_co_owner, &[&r.name])>{mt.remove}</button>
                                    </ActionForm>
                                })}
                            </li>
                        }).collect_view()}
                        {pending.into_iter().map(|p| view! {
                            <li data-testid="co-owner-invited">
                                <span>{p.email.clone()} " " <small class="muted">{mt.co_owner_pending}</small></span>
                                {can_manage.then(|| view! {
                                    <ActionForm action=withdraw attr:class="inline-form">
                                        <input type="hidden" name="meeting_id" value=meeting_id />
                                        <input type="hidden" name="invitation_id" value=p.invitation_id />
                                        <button type="submit" class="link-button danger"
                                            aria-label=fill(mt.co_owner_withdraw, &[&p.email])>{mt.withdraw}</button>
                                    </ActionForm>
                                })}
                            </li>
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
            {can_manage.then(|| view! {
                <ActionForm action=add attr:class="row-form">
                    <FormError message=form_error(add.value()) />
                    <input type="hidden" name="meeting_id" value=meeting_id />
                    <Field label=mt.co_owner_email name="email" kind="email" required=true autocomplete="off"
                        error=field_error(add.value(), "email") />
                    <button type="submit" data-testid="add-co-owner">{mt.add_co_owner}</button>
                </ActionForm>
            })}
        </section>
    }
}

/// On "My meetings": invitations to co-own others' meetings, each accepted or declined here.
#[component]
pub fn OffersPanel(
    offers: Vec<CoOwnerOffer>,
    accept: ServerAction<AcceptCoOwnerInvitation>,
    decline: ServerAction<DeclineCoOwnerInvitation>,
) -> impl IntoView {
    let mt = meeting_texts();
    (!offers.is_empty()).then(|| {
        view! {
            <section class="card" aria-labelledby="offers-h" data-testid="co-owner-offers">
                <h2 id="offers-h">{mt.offers_title}</h2>
                <FormError message=form_error(accept.value()) />
                <FormError message=form_error(decline.value()) />
                <ul class="roster">
                    {offers.into_iter().map(|o| view! {
                        <li data-testid="co-owner-offer">
                            <span>{fill(mt.offer_line, &[&o.owner_name, &o.meeting_name])}</span>
                            <span class="actions">
                                <ActionForm action=accept attr:class="inline-form">
                                    <input type="hidden" name="invitation_id" value=o.invitation_id />
                                    <button type="submit" class="primary">{mt.accept}</button>
                                </ActionForm>
                                <ActionForm action=decline attr:class="inline-form">
                                    <input type="hidden" name="invitation_id" value=o.invitation_id />
                                    <button type="submit">{mt.decline}</button>
                                </ActionForm>
                            </span>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

#[component]
pub fn DeletePanel(meeting_id: i32) -> impl IntoView {
    let mt = meeting_texts();
    let action = ServerAction::<DeleteMeeting>::new();
    view! {
        <section class="card danger-zone">
            <h2>{mt.delete_meeting}</h2>
            <ActionForm action=action>
                <FormError message=form_error(action.value()) />
                <input type="hidden" name="meeting_id" value=meeting_id />
                <button type="submit" class="danger" data-testid="delete-meeting"
                    data-confirm=mt.confirm_delete>
                    {mt.delete_meeting}
                </button>
            </ActionForm>
            {move || matches!(action.value().get(), Some(Ok(()))).then(|| view! { <Redirect path="/meetings" /> })}
        </section>
    }
}
