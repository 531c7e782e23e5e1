//! `/meetings`: the caller's personal room (with its link to copy) and the meetings they own or
//! co-own, each with its next session.

use crate::components::page_heading::PageHeading;

use leptos::prelude::*;
use leptos_router::components::A;

use super::{
    AcceptCoOwnerInvitation, CreatePersonalRoom, DeclineCoOwnerInvitation, DeleteMeeting,
    list_meetings,
    model::{Access, MeetingList, MeetingRow},
    panels::OffersPanel,
    texts::{MeetingTexts, meeting_texts},
};
use crate::{
    components::{
        error_page::{ErrorPage, Loading},
        forms::{FormError, form_error},
    },
    i18n::fill,
};

#[component]
pub fn MeetingsPage() -> impl IntoView {
    let mt = meeting_texts();
    let delete = ServerAction::<DeleteMeeting>::new();
    let setup = ServerAction::<CreatePersonalRoom>::new();
    let accept = ServerAction::<AcceptCoOwnerInvitation>::new();
    let decline = ServerAction::<DeclineCoOwnerInvitation>::new();
    let data = Resource::new(
        move || {
            (
                delete.version().get(),
                setup.version().get(),
                accept.version().get(),
                decline.version().get(),
            )
        },
        |_| list_meetings(),
    );
    view! {
        <PageHeading text={mt.my_meetings} />
        <FormError message=form_error(delete.value()) />
        <FormError message=form_error(setup.value()) />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(mut list) => {
                        let offers = std::mem::take(&mut list.offers);
                        view! {
                            <OffersPanel offers accept decline />
                            <MeetingsView list delete setup />
                        }
                        .into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn access_label(mt: &MeetingTexts, a: Access) -> &'static str {
    match a {
        Access::Link => mt.access_link,
        Access::Users => mt.access_users,
        Access::Courses => mt.access_courses,
    }
}

/// The link, readable and selectable, and a button that copies it (plain JavaScript, so it works
/// before the page's code has loaded).
#[component]
pub fn CopyLink(url: String, #[prop(into)] id: String) -> impl IntoView {
    let mt = meeting_texts();
    view! {
        <div class="copy-link">
            <label for=id.clone() class="visually-hidden">{mt.meeting_link}</label>
            <input id=id class="link-url" readonly value=url.clone() data-testid="meeting-url" />
            <button
                type="button"
                class="small-button"
                data-copy=url
                data-done=mt.link_copied
            >
                {mt.copy_link}
            </button>
        </div>
    }
}

#[component]
fn MeetingsView(
    list: MeetingList,
    delete: ServerAction<DeleteMeeting>,
    setup: ServerAction<CreatePersonalRoom>,
) -> impl IntoView {
    let mt = meeting_texts();
    if !list.bbb_ready {
        return view! {
            <div class="notice" role="status" data-testid="no-bbb-server">
                <p>{mt.no_bbb_server}</p>
            </div>
        }
        .into_any();
    }
    let (personal, others): (Vec<MeetingRow>, Vec<MeetingRow>) =
        list.rows.into_iter().partition(|r| r.is_personal);
    let setup_card = personal.is_empty().then(|| {
        view! {
            <section class="card" aria-labelledby="personal-h" data-testid="personal-room-setup">
                <h2 id="personal-h">{mt.personal_room}</h2>
                <p class="muted">{mt.personal_room_setup_hint}</p>
                <ActionForm action=setup>
                    <button type="submit" class="primary" disabled=move || setup.pending().get()>
                        {mt.personal_room_setup}
                    </button>
                </ActionForm>
            </section>
        }
    });
    view! {
        {setup_card}
        {personal.into_iter().map(|p| view! {
            <section class="card" aria-labelledby="personal-h" data-testid="personal-room">
                <div class="card-head">
                    <h2 id="personal-h">{mt.personal_room}</h2>
                    <div class="actions">
                        <A href=format!("/m/{}", p.public_id) attr:class="button primary">{mt.join}</A>
                        <A href=format!("/meetings/{}/edit", p.id) attr:class="button">{mt.edit}</A>
                        <A href=format!("/meetings/{}/recordings", p.id) attr:class="button">{mt.recordings}</A>
                    </div>
                </div>
                <p class="muted">{mt.personal_room_hint}</p>
                <CopyLink url=p.url.clone() id="personal-url" />
            </section>
        }).collect_view()}
        <section class="card" aria-labelledby="meetings-h">
            <div class="card-head">
                <h2 id="meetings-h">{mt.other_meetings}</h2>
                <div class="actions">
                    <A href="/meetings/new" attr:class="button primary" attr:data-testid="new-meeting">{mt.new_meeting}</A>
                </div>
            </div>
            {if others.is_empty() {
                view! { <p class="muted">{mt.no_meetings}</p> }.into_any()
            } else {
                view! {
                    <ul class="meeting-list">
                        {others.into_iter().map(|r| view! { <Row r delete /> }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
    .into_any()
}

#[component]
fn Row(r: MeetingRow, delete: ServerAction<DeleteMeeting>) -> impl IntoView {
    let mt = meeting_texts();
    let label = format!("{}: {}", mt.delete, r.name);
    view! {
        <li data-testid="meeting-row" data-public-id=r.public_id.clone()>
            <div class="meeting-main">
                <A href=format!("/m/{}", r.public_id)><strong>{r.name.clone()}</strong></A>
                {r.recurring.then(|| view! { " " <span class="badge">{mt.recurring}</span> })}
                {(!r.is_owner).then(|| view! {
                    " " <span class="badge badge-upcoming">{fill(mt.co_owner_of, &[&r.owner_name])}</span>
                })}
                <br />
                <small class="muted">
                    {match &r.next_session {
                        Some(s) => fill(mt.next_session, &[s]),
                        None => mt.series_over.to_owned(),
                    }}
                    " · " {access_label(mt, r.access)}
                </small>
                <CopyLink url=r.url.clone() id=format!("url-{}", r.id) />
            </div>
            <div class="row-actions">
                <A href=format!("/m/{}", r.public_id) attr:class="button">{mt.join}</A>
                <A href=format!("/meetings/{}/edit", r.id) attr:class="button">{mt.edit}</A>
                <A href=format!("/meetings/{}/recordings", r.id) attr:class="button">{mt.recordings}</A>
                {r.is_owner.then(|| view! {
                    <ActionForm action=delete attr:class="inline-form">
                        <input type="hidden" name="meeting_id" value=r.id />
                        <button type="submit" class="danger" aria-label=label
                            data-confirm=mt.confirm_delete>
                            {mt.delete}
                        </button>
                    </ActionForm>
                })}
            </div>
        </li>
    }
}
