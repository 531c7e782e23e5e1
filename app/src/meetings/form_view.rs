//! `/meetings/new` and `/meetings/:id/edit`: the meeting form (schedule and recurrence, who can
//! join, BigBlueButton options), and on the edit page the slides, co-owners and delete panels.

use crate::components::page_heading::PageHeading;

use leptos::prelude::*;
use leptos_router::components::{A, Redirect};

use super::{
    CreateMeeting, UpdateMeeting,
    form_parts::{CheckField, ErrorLine, Errors, RecurrenceFields},
    list_view::CopyLink,
    meeting_form,
    model::{Access, GuestPolicy, MeetingFormData},
    panels::{CoOwnersPanel, DeletePanel, SlidesPanel},
    texts::meeting_texts,
};
use crate::{
    components::{
        error_page::{ErrorPage, Loading},
        forms::{FormError, field_error, form_error, textarea_text},
        param_id,
    },
    i18n::{fill, use_texts},
};

#[component]
pub fn NewMeetingPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| meeting_form(None));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <MeetingForm d /> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn EditMeetingPage() -> impl IntoView {
    let id = param_id("id");
    let data = Resource::new(id, |id| meeting_form(Some(id)));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => {
                        let id = d.meeting_id.unwrap_or_default();
                        let (personal, owner) = (d.is_personal, d.is_owner);
                        view! {
                            <MeetingForm d=d.clone() />
                            <SlidesPanel meeting_id=id current=d.slides_name.clone() />
                            <CoOwnersPanel meeting_id=id rows=d.co_owners.clone() can_manage=owner />
                            {(!personal).then(|| view! { <super::invite_view::InvitePanel meeting_id=id /> })}
                            {(owner && !personal).then(|| view! { <DeletePanel meeting_id=id /> })}
                        }
                        .into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MeetingForm(d: MeetingFormData) -> impl IntoView {
    let mt = meeting_texts();
    let t = use_texts();
    let create = ServerAction::<CreateMeeting>::new();
    let update = ServerAction::<UpdateMeeting>::new();
    let editing = d.meeting_id;
    let errors: Errors = Callback::new(move |f: &'static str| {
        if editing.is_some() {
            field_error(update.value(), f)
        } else {
            field_error(create.value(), f)
        }
    });
    let general = if editing.is_some() {
        form_error(update.value())
    } else {
        form_error(create.value())
    };
    let done = move || {
        if editing.is_some() {
            matches!(update.value().get(), Some(Ok(_)))
        } else {
            matches!(create.value().get(), Some(Ok(_)))
        }
    };
    let title = match (editing, d.is_personal) {
        (_, true) => mt.personal_room,
        (Some(_), false) => mt.edit_meeting,
        (None, false) => mt.new_meeting,
    };
    if d.servers.is_empty() {
        return view! {
            <PageHeading text={title} />
            <div class="notice" role="status" data-testid="no-bbb-server"><p>{mt.no_bbb_server}</p></div>
        }
        .into_any();
    }
    let starts = RwSignal::new(d.starts_at.clone());
    let access = RwSignal::new(d.access);
    let record = RwSignal::new(d.record);
    let err_of = move |f: &'static str| errors.run(f);
    let name_error = err_of("name");
    let welcome_error = err_of("welcome");

    let identity = if d.is_personal {
        view! {
            <div class="field">
                <label for="f-name">{mt.f_name}</label>
                <input id="f-name" value=mt.personal_room readonly aria-describedby="f-name-hint" />
                <small id="f-name-hint" class="hint">{mt.f_name_fixed}</small>
            </div>
        }
        .into_any()
    } else {
        view! {
            <div class="field" class:has-error=move || name_error.get().is_some()>
                <label for="f-name">{mt.f_name}</label>
                <input id="f-name" name="name" value=d.name.clone() required minlength="2" maxlength="100"
                    aria-invalid=move || name_error.get().is_some().then_some("true") />
                <ErrorLine errors field="name" />
            </div>
        }
        .into_any()
    };
    let schedule = (!d.is_personal).then(|| {
        view! {
            <fieldset class="kind-fields">
                <legend>{mt.fs_schedule}</legend>
                <div class="two-col">
                    <div class="field">
                        <label for="f-starts_at">{mt.f_starts_at}</label>
                        <input id="f-starts_at" name="starts_at" type="datetime-local" required value=d.starts_at.clone()
                            aria-describedby="f-starts_at-hint" on:input=move |ev| starts.set(event_target_value(&ev)) />
                        <small id="f-starts_at-hint" class="hint">{fill(mt.f_time_zone, &[&d.time_zone])}</small>
                        <ErrorLine errors field="starts_at" />
                    </div>
                    <div class="field">
                        <label for="f-duration_minutes">{mt.f_duration}</label>
                        <input id="f-duration_minutes" name="duration_minutes" type="number" min="5" max="720" required
                            value=d.duration_minutes.clone() />
                        <ErrorLine errors field="duration_minutes" />
                    </div>
                </div>
                <RecurrenceFields r=d.recurrence.clone() starts=starts.into() errors />
            </fieldset>
        }
    });
    let choices = [
        (Access::Link, mt.access_link),
        (Access::Users, mt.access_users),
        (Access::Courses, mt.access_courses),
    ];
    let course_ids = d.course_ids.clone();
    let fields = view! {
        <FormError message=general />
        {identity}
        <div class="field" class:has-error=move || welcome_error.get().is_some()>
            <label for="f-welcome">{mt.f_welcome}</label>
            <textarea id="f-welcome" name="welcome" rows="3" maxlength="2000" aria-describedby="f-welcome-hint">{textarea_text(&d.welcome)}</textarea>
            <small id="f-welcome-hint" class="hint">{mt.f_welcome_hint}</small>
            <ErrorLine errors field="welcome" />
        </div>
        {schedule}
        <fieldset class="kind-fields">
            <legend>{mt.fs_access}</legend>
            {choices.into_iter().map(|(a, label)| {
                let id = format!("f-access-{}", a.as_str());
                view! {
                    <div class="field checkbox">
                        <input type="radio" id=id.clone() name="access" value=a.as_str() checked=d.access == a
                            on:change=move |_| access.set(a) />
                        <label for=id>{label}</label>
                    </div>
                }
            }).collect_view()}
            <ErrorLine errors field="access" />
            <div class:hidden=move || access.get() != Access::Link>
                <p class="hint">{mt.access_link_hint}</p>
                <div class="field">
                    <label for="f-access_code">{mt.f_access_code}</label>
                    <input id="f-access_code" name="access_code" value=d.access_code.clone() maxlength="32" autocomplete="off"
                        aria-describedby="f-access_code-hint" />
                    <small id="f-access_code-hint" class="hint">{mt.f_access_code_hint}</small>
                    <ErrorLine errors field="access_code" />
                </div>
                <CheckField label=mt.f_code_in_invitations name="code_in_invitations" checked=d.code_in_invitations errors />
            </div>
            <fieldset class="kind-fields" class:hidden=move || access.get() != Access::Courses>
                <legend>{mt.f_courses}</legend>
                {if d.courses.is_empty() {
                    view! { <p class="muted">{mt.no_courses}</p> }.into_any()
                } else {
                    d.courses.iter().map(|c| {
                        let id = format!("f-course-{}", c.id);
                        view! {
                            <div class="field checkbox">
                                <input type="checkbox" id=id.clone() name="course_ids[]" value=c.id
                                    checked=course_ids.contains(&c.id) />
                                <label for=id>{c.name.clone()}</label>
                            </div>
                        }
                    }).collect_view().into_any()
                }}
                <ErrorLine errors field="course_ids" />
            </fieldset>
        </fieldset>
        <fieldset class="kind-fields">
            <legend>{mt.fs_bbb}</legend>
            <div class="field">
                <label for="f-server_id">{mt.f_server}</label>
                <select id="f-server_id" name="server_id">
                    {d.servers.iter().map(|s| view! {
                        <option value=s.id selected=s.id == d.server_id>{s.name.clone()}</option>
                    }).collect_view()}
                </select>
                <ErrorLine errors field="server_id" />
            </div>
            <CheckField label=mt.f_guest_policy name="guest_policy" value=GuestPolicy::AskModerator.as_str()
                checked=d.guest_policy == GuestPolicy::AskModerator errors />
            <div class="field">
                <label for="f-max_duration_minutes">{mt.f_max_duration}</label>
                <input id="f-max_duration_minutes" name="max_duration_minutes" type="number" min="0" max="1440"
                    value=d.max_duration_minutes.clone() aria-describedby="f-max_duration_minutes-hint" />
                <small id="f-max_duration_minutes-hint" class="hint">{mt.f_max_duration_hint}</small>
                <ErrorLine errors field="max_duration_minutes" />
            </div>
            <CheckField label=mt.f_record name="record" checked=d.record errors
                on_toggle=Callback::new(move |on| record.set(on)) />
            // Off while recording is off: disabled boxes are not posted, so nothing contradicts it.
            <CheckField label=mt.f_auto_start name="auto_start_recording" checked=d.auto_start_recording errors
                disabled=Signal::derive(move || !record.get()) />
            <CheckField label=mt.f_allow_start_stop name="allow_start_stop_recording"
                checked=d.allow_start_stop_recording errors disabled=Signal::derive(move || !record.get()) />
        </fieldset>
        <div class="actions">
            <button type="submit" class="primary" data-testid="save-meeting">
                {if editing.is_some() { mt.save } else { mt.create }}
            </button>
            <A href="/meetings">{mt.cancel}</A>
        </div>
    };
    view! {
        <nav aria-label=t.breadcrumb class="breadcrumb">
            <A href="/meetings">{mt.my_meetings}</A>
            " › "
            <span aria-current="page">{title}</span>
        </nav>
        <PageHeading text={if editing.is_some() && !d.is_personal { d.name.clone() } else { title.to_owned() }} />
        {(!d.url.is_empty()).then(|| view! { <CopyLink url=d.url.clone() id="form-url" /> })}
        <section class="card">
            {match editing {
                Some(meeting_id) => view! {
                    <ActionForm action=update>
                        <input type="hidden" name="meeting_id" value=meeting_id />
                        {fields}
                    </ActionForm>
                }.into_any(),
                None => view! {
                    <ActionForm action=create>{fields}</ActionForm>
                    <p class="muted small">{mt.after_create}</p>
                }.into_any(),
            }}
        </section>
        {move || done().then(|| view! { <Redirect path="/meetings" /> })}
    }
    .into_any()
}
