//! The edit page's panels beside the form: slides (a plain multipart form to
//! `POST /meetings/{id}/slides`, which answers with a redirect back here), co-owners, delete.

use leptos::prelude::*;
use leptos_router::{components::Redirect, hooks::use_query_map};

use super::{
    AddCoOwner, DeleteMeeting, RemoveCoOwner, RemoveSlides, model::CoOwnerRow, texts::meeting_texts,
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
pub fn CoOwnersPanel(meeting_id: i32, rows: Vec<CoOwnerRow>, can_manage: bool) -> impl IntoView {
    let mt = meeting_texts();
    let add = ServerAction::<AddCoOwner>::new();
    let remove = ServerAction::<RemoveCoOwner>::new();
    let list = RwSignal::new(rows);
    // Both actions answer with the whole list as it now is.
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
    view! {
        <section class="card" aria-labelledby="co-owners-h" data-testid="co-owners">
            <h2 id="co-owners-h">{mt.fs_co_owners}</h2>
            <p class="muted small">{mt.co_owners_hint}</p>
            <FormError message=form_error(remove.value()) />
            {move || {
                let rows = list.get();
                if rows.is_empty() {
                    return view! { <p class="muted">{mt.no_co_owners}</p> }.into_any();
                }
                view! {
                    <ul class="roster">
                        {rows.into_iter().map(|r| view! {
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
                    </ul>
                }
                .into_any()
            }}
            {can_manage.then(|| view! {
                <ActionForm action=add attr:class="row-form">
                    <input type="hidden" name="meeting_id" value=meeting_id />
                    <Field label=mt.co_owner_email name="email" kind="email" required=true autocomplete="off"
                        error=field_error(add.value(), "email") />
                    <button type="submit" data-testid="add-co-owner">{mt.add_co_owner}</button>
                </ActionForm>
            })}
        </section>
    }
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
                    onclick=format!("return confirm({:?})", mt.confirm_delete)>
                    {mt.delete_meeting}
                </button>
            </ActionForm>
            {move || matches!(action.value().get(), Some(Ok(()))).then(|| view! { <Redirect path="/meetings" /> })}
        </section>
    }
}
