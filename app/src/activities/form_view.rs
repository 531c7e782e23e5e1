//! Create and edit forms for activities, with the per-activity capability overrides.

use crate::components::page_heading::PageHeading;

use leptos::prelude::*;
use leptos_router::{
    components::{A, Redirect},
    hooks::use_params_map,
};

use super::{
    CreateActivity, DeleteActivity, SetCapabilityOverride, UpdateActivity,
    dto::{ActivityFormData, OverrideRow},
    get_activity_form,
};
use crate::{
    capabilities::{Capability, CourseRole},
    components::{
        error_page::{ErrorPage, Loading},
        forms::{Field, FormError, field_error, form_error, textarea_text},
        param_id,
    },
    i18n::{fill, use_texts},
};

#[component]
pub fn NewActivityPage() -> impl IntoView {
    let course_id = param_id("id");
    let data = Resource::new(course_id, |c| get_activity_form(c, None));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <ActivityForm d /> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn EditActivityPage() -> impl IntoView {
    let params = use_params_map();
    let ids = move || {
        let p = params.read();
        let get = |k: &str| p.get(k).and_then(|s| s.parse::<i32>().ok()).unwrap_or(0);
        (get("id"), get("aid"))
    };
    let data = Resource::new(ids, |(c, a)| get_activity_form(c, Some(a)));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => {
                        let id = d.activity_id.unwrap_or_default();
                        view! {
                            <ActivityForm d />
                            <super::share::SharePanel activity_id=id />
                        }
                        .into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Signals for the fields of either form, so one view serves create and update.
fn field_errors<T: 'static>(
    v: impl crate::components::forms::ActionResult<T>,
) -> impl Fn(&'static str) -> Signal<Option<String>> + Clone {
    move |f| field_error(v.clone(), f)
}

#[component]
fn ActivityForm(d: ActivityFormData) -> impl IntoView {
    let t = use_texts();
    let create = ServerAction::<CreateActivity>::new();
    let update = ServerAction::<UpdateActivity>::new();
    let course_id = d.course_id;
    let editing = d.activity_id;
    let title = if editing.is_some() {
        t.edit_activity
    } else {
        t.new_activity
    };
    let fe_create = field_errors(create.value());
    let fe_update = field_errors(update.value());
    let fe = move |f: &'static str| {
        if editing.is_some() {
            fe_update.clone()(f)
        } else {
            fe_create.clone()(f)
        }
    };
    let description_error = fe.clone()("description");
    let done = move || {
        if editing.is_some() {
            matches!(update.value().get(), Some(Ok(_)))
        } else {
            matches!(create.value().get(), Some(Ok(_)))
        }
    };
    let fields = view! {
        <FormError message=if editing.is_some() { form_error(update.value()) } else { form_error(create.value()) } />
        <Field label=t.activity_name name="name" value=d.values.name.clone() required=true error=fe("name") />
        <div class="field" class:has-error=move || description_error.get().is_some()>
            <label for="f-description">{t.description}</label>
            <textarea id="f-description" name="description" rows="3">{textarea_text(&d.values.description)}</textarea>
            {move || description_error.get().map(|m| view! { <small class="field-error">{m}</small> })}
        </div>
        <div class="two-col">
            <Field label=t.opens_at name="opens_at" kind="datetime-local" step="1" value=d.values.opens_at.clone() required=true
                hint=fill(t.time_zone_hint, &[&d.time_zone]) error=fe("opens_at") />
            <Field label=t.closes_at name="closes_at" kind="datetime-local" step="1" value=d.values.closes_at.clone() required=true
                error=fe("closes_at") />
        </div>
        <div class="two-col">
            <Field label=t.early_entry name="early_entry_minutes" kind="number" value=d.values.early_entry_minutes.clone()
                hint=t.early_entry_hint.to_owned() error=fe("early_entry_minutes") />
            <Field label=t.completion_minutes name="completion_minutes" kind="number" value=d.values.completion_minutes.clone()
                hint=t.completion_hint.to_owned() error=fe("completion_minutes") />
        </div>
        <div class="field">
            <label for="f-server">{t.jitsi_server}</label>
            <select id="f-server" name="server_id" aria-describedby="f-server-hint">
                {[(false, "Jitsi Meet"), (true, "BigBlueButton")].into_iter().filter_map(|(bbb, label)| {
                    let group: Vec<_> = d.servers.iter().filter(|s| s.bbb == bbb).cloned().collect();
                    (!group.is_empty()).then(|| view! {
                        <optgroup label=label>
                            {group.into_iter().map(|s| view! {
                                <option value=s.id selected=s.id == d.values.server_id>{s.name}</option>
                            }).collect_view()}
                        </optgroup>
                    })
                }).collect_view()}
            </select>
            <small id="f-server-hint" class="hint">{t.server_choice_hint}</small>
        </div>
        <button type="submit" class="primary">{t.save}</button>
    };
    view! {
        <nav aria-label=t.breadcrumb class="breadcrumb">
            <A href=format!("/courses/{course_id}")>{d.course_name.clone()}</A>
            " › "
            <span aria-current="page">{title}</span>
        </nav>
        <PageHeading text={title} />
        <section class="card">
            {match editing {
                Some(activity_id) => view! {
                    <ActionForm action=update>
                        <input type="hidden" name="activity_id" value=activity_id />
                        {fields}
                    </ActionForm>
                }.into_any(),
                None => view! {
                    <ActionForm action=create>
                        <input type="hidden" name="course_id" value=course_id />
                        {fields}
                    </ActionForm>
                }.into_any(),
            }}
        </section>
        {move || done().then(|| view! { <Redirect path=format!("/courses/{course_id}") /> })}
        {editing.map(|activity_id| view! {
            <OverridesTable activity_id rows=d.overrides.clone() />
            <DeleteActivityForm activity_id course_id />
        })}
    }
}

#[component]
fn OverridesTable(activity_id: i32, rows: Vec<OverrideRow>) -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<SetCapabilityOverride>::new();
    // One row per capability, one column per role: the same grid Moodle's permission page shows.
    let mut capabilities: Vec<Capability> = Vec::new();
    for r in &rows {
        if !capabilities.contains(&r.capability) {
            capabilities.push(r.capability);
        }
    }
    let cell = move |r: &OverrideRow| {
        let r = r.clone();
        let current = match r.setting {
            None => "inherit",
            Some(true) => "allow",
            Some(false) => "prevent",
        };
        let default_label = if r.default { t.allow } else { t.prevent };
        let label = format!("{} – {}", r.capability.as_str(), t.role_name(r.role));
        view! {
            <td class=if r.setting.is_some() { "overridden" } else { "" }>
                <ActionForm action=action attr:class="inline-form">
                    <input type="hidden" name="activity_id" value=activity_id />
                    <input type="hidden" name="role" value=r.role.as_str() />
                    <input type="hidden" name="capability" value=r.capability.as_str() />
                    <select name="setting" aria-label=label data-autosubmit="true">
                        <option value="inherit" selected=current == "inherit">{fill(t.inherit_default, &[default_label])}</option>
                        <option value="allow" selected=current == "allow">{t.allow}</option>
                        <option value="prevent" selected=current == "prevent">{t.prevent}</option>
                    </select>
                    <noscript><button type="submit">{t.save}</button></noscript>
                </ActionForm>
            </td>
        }
    };
    view! {
        <section class="card" aria-labelledby="perm-h">
            <h2 id="perm-h">{t.permissions}</h2>
            <p class="muted small">{t.permissions_hint}</p>
            <FormError message=form_error(action.value()) />
            <div class="table-scroll">
                <table class="table compact permissions">
                    <thead>
                        <tr>
                            <th scope="col">{t.capability}</th>
                            {CourseRole::ALL.into_iter().map(|r| view! { <th scope="col">{t.role_name(r)}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {capabilities.into_iter().map(|cap| view! {
                            <tr>
                                <th scope="row"><code>{cap.as_str()}</code></th>
                                {rows.iter().filter(|r| r.capability == cap).map(cell).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn DeleteActivityForm(activity_id: i32, course_id: i32) -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<DeleteActivity>::new();
    view! {
        <section class="card danger-zone">
            <h2>{t.delete_activity}</h2>
            <ActionForm action=action>
                <input type="hidden" name="activity_id" value=activity_id />
                <button type="submit" class="danger" data-confirm=t.confirm_delete>
                    {t.delete_activity}
                </button>
            </ActionForm>
            {move || matches!(action.value().get(), Some(Ok(_))).then(|| view! { <Redirect path=format!("/courses/{course_id}") /> })}
        </section>
    }
}
