//! A room's BigBlueButton recordings: the section in an activity's recordings tab
//! (`BbbRecordings`) and the meetings' "Recordings and sessions" page. Each recording shows its
//! name, date, length, previews and one link per playback format, with the actions the caller
//! holds: publish, protect, rename, delete (which asks for confirmation first).

use crate::components::page_heading::PageHeading;

use leptos::prelude::*;
use leptos_router::components::A;

use super::{
    DeleteBbbRecording, ProtectBbbRecording, PublishBbbRecording, RenameBbbRecording,
    bbb_recordings,
    log_view::BbbSessionLog,
    model::{BbbRecordingRow, BbbRecordingsPage, RoomRef},
    texts::room_texts,
};
use crate::{
    components::{
        error_page::{ErrorPage, Loading},
        forms::{FormError, form_error},
        param_id,
    },
    i18n::{fill, use_texts},
};

/// The four actions on recordings; the list reloads after any of them.
#[derive(Clone, Copy)]
struct Actions {
    publish: ServerAction<PublishBbbRecording>,
    protect: ServerAction<ProtectBbbRecording>,
    rename: ServerAction<RenameBbbRecording>,
    delete: ServerAction<DeleteBbbRecording>,
}

impl Actions {
    fn new() -> Self {
        Self {
            publish: ServerAction::new(),
            protect: ServerAction::new(),
            rename: ServerAction::new(),
            delete: ServerAction::new(),
        }
    }

    /// Changes whenever an action completes.
    fn version(&self) -> usize {
        self.publish.version().get()
            + self.protect.version().get()
            + self.rename.version().get()
            + self.delete.version().get()
    }
}

/// The recordings of `owner`'s room, loaded on its own. Shows `children` instead when the room has
/// never been on BigBlueButton (the activity meets on Jitsi).
#[component]
pub fn BbbRecordings(
    owner: RoomRef,
    #[prop(optional)] children: Option<ChildrenFn>,
) -> impl IntoView {
    let t = use_texts();
    let actions = Actions::new();
    let page = Resource::new(move || actions.version(), move |_| bbb_recordings(owner));
    view! {
        <Suspense fallback=Loading>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    match page.await {
                        Ok(p) if p.bbb => view! { <RecordingsSection p actions /> }.into_any(),
                        Ok(_) => children.map(|c| c()).into_any(),
                        Err(e) => view! {
                            <p class="form-error" role="alert">{crate::components::messages::error_message(t, &e)}</p>
                        }
                        .into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// `/meetings/:id/recordings`: the meeting's recordings, and for its owners the session log.
#[component]
pub fn MeetingRecordingsPage() -> impl IntoView {
    let id = param_id("id");
    let actions = Actions::new();
    let page = Resource::new(
        move || (id(), actions.version()),
        |(id, _)| bbb_recordings(RoomRef::Meeting(id)),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <MeetingRecordings p actions /> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MeetingRecordings(p: BbbRecordingsPage, actions: Actions) -> impl IntoView {
    let t = use_texts();
    let rt = room_texts();
    let owner = p.owner;
    let sessions = p.can_see_sessions;
    let heading = format!("{}: {}", p.title, rt.page_title);
    view! {
        <nav aria-label=t.breadcrumb class="breadcrumb">
            <A href="/meetings">{rt.meetings}</A>
            " › "
            <span>{p.title.clone()}</span>
            " › "
            <span aria-current="page">{rt.page_title}</span>
        </nav>
        <PageHeading text={heading} />
        <RecordingsSection p actions />
        {sessions.then(|| view! { <BbbSessionLog owner /> })}
    }
}

#[component]
fn RecordingsSection(p: BbbRecordingsPage, actions: Actions) -> impl IntoView {
    let t = use_texts();
    let rt = room_texts();
    let BbbRecordingsPage {
        owner,
        processing,
        can_publish,
        can_rename,
        can_delete,
        recordings,
        error,
        ..
    } = p;
    let empty = recordings.is_empty() && error.is_none();
    view! {
        <section class="card" aria-labelledby="bbb-rec-h" data-testid="bbb-recordings">
            <h2 id="bbb-rec-h">{rt.title}</h2>
            <FormError message=form_error(actions.publish.value()) />
            <FormError message=form_error(actions.protect.value()) />
            <FormError message=form_error(actions.rename.value()) />
            <FormError message=form_error(actions.delete.value()) />
            {processing.then(|| view! { <p class="notice" role="status" data-testid="bbb-processing">{rt.processing}</p> })}
            {error.map(|f| view! { <p class="form-error" role="alert">{t.external_message(f)}</p> })}
            {empty.then(|| view! { <p class="muted" data-testid="no-bbb-recordings">{rt.none}</p> })}
            <ul class="recordings">
                {recordings.into_iter().map(|r| view! {
                    <RecordingItem r owner can_publish can_rename can_delete actions />
                }).collect_view()}
            </ul>
            {can_delete.then(|| view! { <p class="small muted">{rt.deleted_note}</p> })}
        </section>
    }
}

#[component]
fn RecordingItem(
    r: BbbRecordingRow,
    owner: RoomRef,
    can_publish: bool,
    can_rename: bool,
    can_delete: bool,
    actions: Actions,
) -> impl IntoView {
    let rt = room_texts();
    let confirming = RwSignal::new(false);
    let title_id = format!("bbb-rec-{}", r.record_id);
    let name_id = format!("bbb-name-{}", r.record_id);
    let labelled_by = title_id.clone();
    // Copy, so each form below can take the two hidden fields without moving anything.
    let keys = StoredValue::new((owner.to_string(), r.record_id.clone()));
    let ids = move || {
        let (owner, record) = keys.get_value();
        view! {
            <input type="hidden" name="owner" value=owner />
            <input type="hidden" name="record_id" value=record />
        }
    };
    let name = r.name.clone();
    view! {
        <li class="card recording" data-record=r.record_id.clone() aria-labelledby=labelled_by>
            <h3 id=title_id class="recording-title">{r.name.clone()}</h3>
            <p class="small muted">
                {r.date.clone()} " · " {fill(rt.minutes, &[&r.minutes.to_string()])}
                {(!r.published).then(|| view! { " " <span class="badge" data-testid="badge-unpublished">{rt.unpublished}</span> })}
                {r.protected.then(|| view! { " " <span class="badge" data-testid="badge-protected">{rt.protected}</span> })}
            </p>
            {(!r.previews.is_empty()).then(|| view! {
                <div class="preview-strip">
                    {r.previews.iter().map(|img| {
                        let alt = if img.alt.is_empty() { fill(rt.preview_alt, &[&name]) } else { img.alt.clone() };
                        view! {
                            <img src=img.url.clone() alt=alt width="160" loading="lazy" class="preview" />
                        }
                    }).collect_view()}
                </div>
            })}
            <p class="row-actions">
                {r.links.iter().map(|l| view! {
                    <a class="button" href=l.url.clone() target="_blank" rel="noopener noreferrer external">
                        {rt.format_label(&l.kind)}
                    </a>
                }).collect_view()}
            </p>
            <div class="row-actions">
                {can_rename.then(|| view! {
                    <ActionForm action=actions.rename attr:class="inline-form">
                        {ids()}
                        <label class="visually-hidden" for=name_id.clone()>{rt.name_label}</label>
                        <input id=name_id.clone() name="name" value=r.name.clone() maxlength="100" required />
                        <button type="submit">{rt.rename}</button>
                    </ActionForm>
                })}
                {can_publish.then(|| view! {
                    <ActionForm action=actions.publish attr:class="inline-form">
                        {ids()}
                        <input type="hidden" name="publish" value=if r.published { "false" } else { "true" } />
                        <button type="submit" class="link-button">{if r.published { rt.unpublish } else { rt.publish }}</button>
                    </ActionForm>
                    <ActionForm action=actions.protect attr:class="inline-form">
                        {ids()}
                        <input type="hidden" name="protect" value=if r.protected { "false" } else { "true" } />
                        <button type="submit" class="link-button">{if r.protected { rt.unprotect } else { rt.protect }}</button>
                    </ActionForm>
                })}
                {can_delete.then(|| view! {
                    <ActionForm action=actions.delete attr:class="inline-form">
                        {ids()}
                        // Two buttons, not one that changes type: a button turned into a submit
                        // button inside its own click handler would submit on that same click.
                        <button type="button" class="link-button danger" hidden=move || confirming.get() on:click=move |_| confirming.set(true)>
                            {rt.delete}
                        </button>
                        <button type="submit" class="danger" hidden=move || !confirming.get()>{rt.confirm_delete}</button>
                    </ActionForm>
                })}
            </div>
        </li>
    }
}
