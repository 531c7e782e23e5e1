use crate::components::page_heading::PageHeading;
use leptos::prelude::*;
use leptos_router::components::{A, Redirect};

use super::{
    CreateCourse, EnrolUser, ImportEnrolments, UnenrolUser, get_course, get_dashboard,
    list_courses, list_enrolments,
    model::{ActivitySummary, CourseDetail, UpcomingSession},
};
use crate::{
    capabilities::CourseRole,
    components::{
        countdown::{PhaseBadge, use_phase},
        error_page::{ErrorPage, Loading},
        forms::{Field, FormError, field_error, form_error},
        param_id,
    },
    i18n::{fill, use_texts},
};

#[component]
pub fn DashboardPage() -> impl IntoView {
    let t = use_texts();
    let data = Resource::new(|| (), |_| get_dashboard());
    view! {
        <PageHeading text={t.dashboard_title} />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! {
                        <div class="columns">
                            <section aria-labelledby="next-h" class="card">
                                <h2 id="next-h">{t.next_sessions}</h2>
                                {if d.next_sessions.is_empty() {
                                    view! { <p class="muted">{t.no_sessions}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="session-list">
                                            {d.next_sessions.into_iter().map(|s| view! { <SessionItem s /> }).collect_view()}
                                        </ul>
                                    }
                                    .into_any()
                                }}
                            </section>
                            <section aria-labelledby="courses-h" class="card">
                                <h2 id="courses-h">{t.my_courses}</h2>
                                {if d.courses.is_empty() {
                                    view! { <p class="muted">{t.no_courses}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="course-list">
                                            {d.courses
                                                .into_iter()
                                                .map(|c| {
                                                    view! {
                                                        <li>
                                                            <A href=format!("/courses/{}", c.id)>{c.name}</A>
                                                            <span class="muted">
                                                                " · " {c.role.map(|r| t.role_name(r)).unwrap_or(t.role_admin)}
                                                            </span>
                                                            {(c.completable > 0).then(|| view! {
                                                                <br />
                                                                <small class="muted" data-testid="course-completion">
                                                                    {fill(t.att_activities_completed, &[&c.completed.to_string(), &c.completable.to_string()])}
                                                                </small>
                                                            })}
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    }
                                    .into_any()
                                }}
                            </section>
                        </div>
                    }
                    .into_any(),
                    Err(e) => view! { <ErrorPage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SessionItem(s: UpcomingSession) -> impl IntoView {
    let phase = use_phase(s.phase, s.window_len);
    view! {
        <li>
            <A href=format!("/activities/{}", s.activity_id)>{s.activity_name}</A>
            " "
            <PhaseBadge phase />
            {s.completion.map(|c| view! { " " <CompletionNote c /> })}
            <br />
            <small class="muted">{s.course_name} " · " {s.opens_display}</small>
        </li>
    }
}

#[component]
pub fn CoursesPage() -> impl IntoView {
    let t = use_texts();
    let create = ServerAction::<CreateCourse>::new();
    let courses = Resource::new(move || create.version().get(), |_| list_courses());
    let me =
        use_context::<Resource<Result<Option<crate::auth::CurrentUser>, crate::error::AppError>>>();
    let is_admin = move || {
        me.and_then(|m| m.get())
            .and_then(|r| r.ok())
            .flatten()
            .is_some_and(|u| u.is_admin)
    };
    view! {
        <PageHeading text={t.nav_courses} />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match courses.await {
                    Ok(list) if list.is_empty() => view! { <p class="muted">{t.no_courses}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="course-list card">
                            {list
                                .into_iter()
                                .map(|c| view! {
                                    <li>
                                        <A href=format!("/courses/{}", c.id)>{c.name}</A>
                                        <span class="muted">" (" {c.short_name} ")"</span>
                                    </li>
                                })
                                .collect_view()}
                        </ul>
                    }
                    .into_any(),
                    Err(e) => view! { <ErrorPage error=e /> }.into_any(),
                }
            })}
        </Suspense>
        // The signed-in user comes from the layout's resource; read it inside a Transition so
        // hydration waits for it instead of guessing.
        <Transition fallback=|| ()>
        <Show when=is_admin>
            <section class="card" aria-labelledby="new-course-h">
                <h2 id="new-course-h">{t.new_course}</h2>
                <ActionForm action=create>
                    <FormError message=form_error(create.value()) />
                    <Field label=t.course_name name="name" required=true error=field_error(create.value(), "name") />
                    <Field label=t.short_name name="short_name" required=true error=field_error(create.value(), "short_name") />
                    <div class="field">
                        <label for="f-description">{t.description}</label>
                        <textarea id="f-description" name="description" rows="3"></textarea>
                    </div>
                    <button type="submit" class="primary">{t.create_course_button}</button>
                </ActionForm>
                {move || match create.value().get() {
                    Some(Ok(id)) => Some(view! { <Redirect path=format!("/courses/{id}") /> }),
                    _ => None,
                }}
            </section>
        </Show>
        </Transition>
    }
}

#[component]
pub fn CoursePage() -> impl IntoView {
    let id = param_id("id");
    let course = Resource::new(id, get_course);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match course.await {
                    Ok(c) => view! { <CourseView c /> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CourseView(c: CourseDetail) -> impl IntoView {
    let t = use_texts();
    let course_id = c.id;
    view! {
        <nav aria-label=t.breadcrumb class="breadcrumb">
            <A href="/courses">{t.nav_courses}</A>
            " › "
            <span aria-current="page">{c.short_name.clone()}</span>
        </nav>
        <PageHeading text={c.name.clone()} />
        {(!c.description.is_empty()).then(|| view! { <p class="lead">{c.description.clone()}</p> })}
        <section class="card" aria-labelledby="acts-h">
            <div class="card-head">
                <h2 id="acts-h">{t.activities}</h2>
                <div class="actions">
                    <A href=format!("/courses/{course_id}/attendance")>{t.att_title}</A>
                    <a href=format!("/courses/{course_id}/calendar.ics") download>{t.download_calendar}</a>
                    {c.can_add_activity.then(|| view! {
                        <A href=format!("/courses/{course_id}/activities/new") attr:class="button primary">
                            {t.add_activity}
                        </A>
                    })}
                </div>
            </div>
            <p class="muted small">{fill(t.times_shown_in, &[&c.time_zone])}</p>
            {if c.activities.is_empty() {
                view! { <p class="muted">{t.no_activities}</p> }.into_any()
            } else {
                view! {
                    <ul class="activity-list">
                        {c.activities
                            .into_iter()
                            .map(|a| view! { <ActivityItem a course_id can_edit=c.can_add_activity /> })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
        {c.can_manage_enrolments.then(|| view! { <EnrolmentPanel course_id /> })}
    }
}

#[component]
fn ActivityItem(a: ActivitySummary, course_id: i32, can_edit: bool) -> impl IntoView {
    let t = use_texts();
    let phase = use_phase(a.phase, a.window_len);
    view! {
        <li class="activity" data-activity-id=a.id>
            <div>
                <A href=format!("/activities/{}", a.id) attr:class="activity-name">{a.name}</A>
                " "
                <PhaseBadge phase />
            </div>
            <small class="muted">{a.opens_display} " – " {a.closes_display}</small>
            {a.completion.map(|c| view! { <CompletionNote c /> })}
            {can_edit.then(|| view! {
                <A href=format!("/courses/{course_id}/activities/{}/edit", a.id) attr:class="small">{t.edit}</A>
            })}
        </li>
    }
}

/// The viewer's own minutes and completion for one activity.
#[component]
fn CompletionNote(c: crate::attendance::dto::Completion) -> impl IntoView {
    let t = use_texts();
    if c.completed() {
        view! { <span class="badge badge-open completion" data-testid="completion">"✓ " {t.att_completed}</span> }.into_any()
    } else if c.minutes > 0 || c.threshold_minutes.is_some() {
        let text = match c.threshold_minutes {
            Some(th) => fill(t.att_minutes_of, &[&c.minutes.to_string(), &th.to_string()]),
            None => fill(t.att_minutes_n, &[&c.minutes.to_string()]),
        };
        view! { <small class="muted completion" data-testid="completion">{text}</small> }.into_any()
    } else {
        ().into_any()
    }
}

#[component]
fn EnrolmentPanel(course_id: i32) -> impl IntoView {
    let t = use_texts();
    let enrol = ServerAction::<EnrolUser>::new();
    let unenrol = ServerAction::<UnenrolUser>::new();
    let import = ServerAction::<ImportEnrolments>::new();
    let rows = Resource::new(
        move || {
            (
                enrol.version().get(),
                unenrol.version().get(),
                import.version().get(),
            )
        },
        move |_| list_enrolments(course_id),
    );
    view! {
        <section class="card" aria-labelledby="enrol-h">
            <h2 id="enrol-h">{t.participants}</h2>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(list) => view! {
                            <table class="table">
                                <thead>
                                    <tr>
                                        <th scope="col">{t.name}</th>
                                        <th scope="col">{t.email}</th>
                                        <th scope="col">{t.role}</th>
                                        <th scope="col"><span class="visually-hidden">{t.actions}</span></th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {list
                                        .into_iter()
                                        .map(|r| view! {
                                            <tr>
                                                <td>{r.display_name.clone()}</td>
                                                <td>{r.email.clone()}</td>
                                                <td>{t.role_name(r.role)}</td>
                                                <td>
                                                    <ActionForm action=unenrol attr:class="inline-form">
                                                        <input type="hidden" name="course_id" value=course_id />
                                                        <input type="hidden" name="user_id" value=r.user_id />
                                                        <button type="submit" class="link-button danger"
                                                            aria-label=fill(t.remove_named, &[&r.display_name])>
                                                            {t.remove}
                                                        </button>
                                                    </ActionForm>
                                                </td>
                                            </tr>
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        }
                        .into_any(),
                        Err(e) => view! { <ErrorPage error=e /> }.into_any(),
                    }
                })}
            </Transition>
            <h3>{t.enrol_someone}</h3>
            <ActionForm action=enrol attr:class="row-form">
                <input type="hidden" name="course_id" value=course_id />
                <FormError message=form_error(enrol.value()) />
                <Field label=t.email name="email" kind="email" required=true error=field_error(enrol.value(), "email") />
                <RoleSelect />
                <button type="submit" class="primary">{t.enrol_button}</button>
            </ActionForm>
            <h3>{t.import_csv}</h3>
            <ActionForm action=import>
                <input type="hidden" name="course_id" value=course_id />
                <div class="field">
                    <label for="f-csv">{t.csv_label}</label>
                    <textarea id="f-csv" name="csv" rows="5" placeholder="email,role\nana@example.org,student" aria-describedby="f-csv-hint"></textarea>
                    <small id="f-csv-hint" class="hint">{t.csv_hint}</small>
                </div>
                <button type="submit">{t.import_button}</button>
            </ActionForm>
            {move || import.value().get().map(|r| match r {
                Ok(report) => view! {
                    <div class="import-report" role="status">
                        <p>{fill(t.import_summary, &[&report.enrolled.to_string(), &report.updated.to_string(), &report.errors.len().to_string()])}</p>
                        {(!report.errors.is_empty()).then(|| view! {
                            <ul class="row-errors">
                                {report.errors.iter().map(|e| view! {
                                    <li>{fill(t.import_row_error, &[&e.line.to_string(), &e.email, &t.field_message(e.code)])}</li>
                                }).collect_view()}
                            </ul>
                        })}
                    </div>
                }.into_any(),
                Err(e) => view! { <FormError message=Signal::derive(move || Some(format!("{} ({})", t.request_refused, e.status()))) /> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn RoleSelect() -> impl IntoView {
    let t = use_texts();
    view! {
        <div class="field">
            <label for="f-role">{t.role}</label>
            <select id="f-role" name="role">
                {CourseRole::ALL
                    .into_iter()
                    .map(|r| view! { <option value=r.as_str() selected=r == CourseRole::Student>{t.role_name(r)}</option> })
                    .collect_view()}
            </select>
        </div>
    }
}
