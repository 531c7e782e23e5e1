//! Attendance pages: the activity report (table, timeline, per-day, filters, exports), one
//! person's intervals, the course matrix, and the live presence panel.

use crate::components::page_heading::PageHeading;

use leptos::prelude::*;
use leptos_router::{
    components::{A, Form},
    hooks::use_query_map,
};

use super::{
    activity_attendance, chart::Timeline, course_attendance, dto::ActivityReport, live_presence,
    person_attendance,
};
use crate::{
    components::{
        error_page::{ErrorPage, InlineError, Loading},
        param_id,
    },
    i18n::{fill, use_texts},
};

fn minutes_of(minutes: i64, threshold: Option<i64>) -> String {
    let t = use_texts();
    match threshold {
        Some(th) => fill(t.att_minutes_of, &[&minutes.to_string(), &th.to_string()]),
        None => fill(t.att_minutes_n, &[&minutes.to_string()]),
    }
}

#[component]
pub fn ActivityAttendancePage() -> impl IntoView {
    let id = param_id("id");
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        (id(), q.get("from"), q.get("to"))
    };
    let report = Resource::new(filter, |(id, from, to)| activity_attendance(id, from, to));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(r) => view! { <ReportView r /> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ReportView(r: ActivityReport) -> impl IntoView {
    let t = use_texts();
    let aid = r.activity_id;
    let export = |ext: &str| {
        format!(
            "/activities/{aid}/attendance.{ext}?from={}&to={}",
            r.from, r.to
        )
    };
    let csv = export("csv");
    let xlsx = export("xlsx");
    let threshold = r.completion_minutes;
    let any_buffered = r.rows.iter().any(|p| p.buffered_minutes > 0);
    let title = if r.own_only {
        t.att_my_title
    } else {
        t.att_title
    };
    let heading = format!("{title}: {}", r.activity_name);
    view! {
        <nav aria-label=t.breadcrumb class="breadcrumb">
            <A href=format!("/courses/{}", r.course_id)>{r.course_name.clone()}</A>
            " › "
            <A href=format!("/activities/{aid}")>{r.activity_name.clone()}</A>
            " › "
            <span aria-current="page">{title}</span>
        </nav>
        <div class="join-head">
            <PageHeading text={heading} />
            <A href=format!("/courses/{}/attendance", r.course_id) attr:class="button">{t.att_course_report}</A>
        </div>
        <p class="muted small">
            {fill(t.times_shown_in, &[&r.time_zone])}
            {threshold.map(|m| view! { " · " {fill(t.att_completion_threshold, &[&m.to_string()])} })}
        </p>
        <section class="card">
            <Form method="GET" action="" attr:class="filters">
                <div class="field inline">
                    <label for="f-from">{t.att_from}</label>
                    <input id="f-from" type="date" name="from" value=r.from.clone() />
                </div>
                <div class="field inline">
                    <label for="f-to">{t.att_to}</label>
                    <input id="f-to" type="date" name="to" value=r.to.clone() />
                </div>
                <button type="submit">{t.att_apply}</button>
                {(!r.own_only).then(|| view! {
                    <span class="actions">
                        <a href=csv.clone() download rel="external" data-testid="export-csv">{t.att_export_csv}</a>
                        <a href=xlsx.clone() download rel="external" data-testid="export-xlsx">{t.att_export_xlsx}</a>
                    </span>
                })}
            </Form>
        </section>
        {r.can_see_presence.then(|| view! { <PresencePanel activity_id=aid /> })}
        <section class="card" aria-labelledby="people-h">
            <h2 id="people-h">{t.att_participants} " (" {r.rows.len()} ")"</h2>
            {any_buffered.then(|| view! { <p class="muted small" id="buffered-hint">{t.att_buffered_hint}</p> })}
            <div class="table-scroll">
                <table class="table" data-testid="attendance-table">
                    <thead>
                        <tr>
                            <th scope="col">{t.att_participant}</th>
                            <th scope="col" class="num">{t.att_minutes}</th>
                            {any_buffered.then(|| view! {
                                <th scope="col" class="num" aria-describedby="buffered-hint">{t.att_buffered}</th>
                            })}
                            <th scope="col">{t.att_completed}</th>
                            <th scope="col">{t.att_first_join}</th>
                            <th scope="col">{t.att_last_leave}</th>
                            <th scope="col" class="num">{t.att_sessions}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {r.rows.iter().cloned().map(|p| view! {
                            <tr data-user=p.user_id>
                                <th scope="row">
                                    {if p.user_id > 0 {
                                        view! { <A href=format!("/activities/{aid}/attendance/{}", p.user_id)>{p.name.clone()}</A> }.into_any()
                                    } else {
                                        view! { <span>{p.name.clone()}</span> }.into_any()
                                    }}
                                </th>
                                <td class="num" data-testid="minutes">{p.minutes}</td>
                                {any_buffered.then(|| view! {
                                    <td class="num" data-testid="buffered-minutes">{p.buffered_minutes}</td>
                                })}
                                <td>
                                    {if p.completed {
                                        view! { <span class="badge badge-open" title=p.completed_at.clone().unwrap_or_default()>"✓ " {t.att_completed}</span> }.into_any()
                                    } else {
                                        view! { <span class="muted">{minutes_of(p.minutes, threshold)}</span> }.into_any()
                                    }}
                                </td>
                                <td>{p.first_join.clone().unwrap_or_else(|| "—".into())}</td>
                                <td>{p.last_leave.clone().unwrap_or_else(|| "—".into())}</td>
                                <td class="num">{p.sessions}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                    <tfoot>
                        <tr>
                            <th scope="row">{t.att_total}</th>
                            <td class="num">{r.total_minutes}</td>
                            <td colspan=if any_buffered { "5" } else { "4" }></td>
                        </tr>
                    </tfoot>
                </table>
            </div>
        </section>
        <section class="card" aria-labelledby="timeline-h">
            <h2 id="timeline-h">{t.att_timeline}</h2>
            <Timeline rows=r.rows.clone() ticks=r.ticks.clone() />
        </section>
        <section class="card" aria-labelledby="days-h">
            <h2 id="days-h">{t.att_per_day}</h2>
            <DayTable days=r.days.clone() />
        </section>
        // BigBlueButton's own report of each session (shows nothing for activities on Jitsi).
        {(!r.own_only).then(|| view! {
            <crate::rooms::log_view::BbbSessionLog owner=crate::rooms::model::RoomRef::Activity(aid) />
        })}
    }
}

#[component]
fn DayTable(days: Vec<super::dto::DayRow>) -> impl IntoView {
    let t = use_texts();
    let max = days.iter().map(|d| d.minutes).max().unwrap_or(0).max(1);
    view! {
        <table class="table compact days" data-testid="days-table">
            <thead>
                <tr>
                    <th scope="col">{t.att_day}</th>
                    <th scope="col" class="num">{t.att_people}</th>
                    <th scope="col" class="num">{t.att_minutes}</th>
                    <th scope="col" aria-hidden="true"></th>
                </tr>
            </thead>
            <tbody>
                {days.into_iter().map(|d| {
                    let pct = d.minutes as f64 * 100.0 / max as f64;
                    view! {
                        <tr>
                            <th scope="row">{d.day}</th>
                            <td class="num">{d.people}</td>
                            <td class="num">{d.minutes}</td>
                            // An SVG bar: its width is an attribute, which the CSP allows, not a style.
                            <td class="spark" aria-hidden="true">
                                <svg viewBox="0 0 100 6" preserveAspectRatio="none" focusable="false">
                                    <rect width=format!("{:.1}", pct.max(0.5)) height="6" rx="1.5"></rect>
                                </svg>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
pub fn PersonAttendancePage() -> impl IntoView {
    let t = use_texts();
    let aid = param_id("id");
    let uid = param_id("uid");
    let report = Resource::new(move || (aid(), uid()), |(a, u)| person_attendance(a, u));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(p) => view! {
                        <nav aria-label=t.breadcrumb class="breadcrumb">
                            <A href=format!("/activities/{}", p.activity_id)>{p.activity_name.clone()}</A>
                            " › "
                            <A href=format!("/activities/{}/attendance", p.activity_id)>{t.att_title}</A>
                            " › "
                            <span aria-current="page">{p.name.clone()}</span>
                        </nav>
                        <PageHeading text={p.name.clone()} />
                        <p class="lead" data-testid="person-minutes">
                            {minutes_of(p.minutes, p.completion_minutes)}
                            {p.completed_at.clone().map(|at| view! { " · ✓ " {fill(t.att_completed_at, &[&at])} })}
                        </p>
                        <p class="muted small">{fill(t.times_shown_in, &[&p.time_zone])}</p>
                        <section class="card" aria-labelledby="iv-h">
                            <h2 id="iv-h">{t.att_intervals}</h2>
                            {if p.intervals.is_empty() {
                                view! { <p class="muted">{t.att_no_attendance}</p> }.into_any()
                            } else {
                                view! {
                                    <table class="table" data-testid="intervals-table">
                                        <thead>
                                            <tr>
                                                <th scope="col">{t.att_session_n}</th>
                                                <th scope="col">{t.att_start}</th>
                                                <th scope="col">{t.att_end}</th>
                                                <th scope="col" class="num">{t.att_minutes}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {p.intervals.iter().cloned().map(|i| view! {
                                                <tr>
                                                    <td>"#" {i.session}</td>
                                                    <td>{i.start}</td>
                                                    <td>
                                                        {i.end}
                                                        {i.live.then(|| view! { " " <span class="badge badge-open">{t.att_live}</span> })}
                                                        {i.buffered.then(|| view! { " " <span class="badge" title=t.att_buffered>{t.att_buffered_badge}</span> })}
                                                    </td>
                                                    <td class="num">{i.minutes}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }}
                        </section>
                        <section class="card" aria-labelledby="pd-h">
                            <h2 id="pd-h">{t.att_per_day}</h2>
                            <DayTable days=p.days.clone() />
                        </section>
                    }.into_any(),
                    Err(e) => view! { <ErrorPage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn CourseAttendancePage() -> impl IntoView {
    let t = use_texts();
    let id = param_id("id");
    let report = Resource::new(id, course_attendance);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(c) => {
                        let heading = format!("{}: {}", t.att_course_report, c.course_name);
                        let course_link = format!("/courses/{}", c.course_id);
                        let course_name = c.course_name.clone();
                        let grand_total: i64 = c.totals.iter().sum();
                        view! {
                        <nav aria-label=t.breadcrumb class="breadcrumb">
                            <A href=course_link>{course_name}</A>
                            " › "
                            <span aria-current="page">{t.att_course_report}</span>
                        </nav>
                        <PageHeading text={heading} />
                        <section class="card">
                            {if c.activities.is_empty() {
                                view! { <p class="muted">{t.no_activities}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-scroll">
                                        <table class="table compact matrix" data-testid="course-matrix">
                                            <thead>
                                                <tr>
                                                    <th scope="col">{t.att_participant}</th>
                                                    {c.activities.clone().into_iter().map(|a| view! {
                                                        <th scope="col" class="num">
                                                            <A href=format!("/activities/{}/attendance", a.id)>{a.name.clone()}</A>
                                                            <br />
                                                            <small class="muted">{a.opens.clone()}</small>
                                                        </th>
                                                    }).collect_view()}
                                                    <th scope="col" class="num">{t.att_total}</th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {c.rows.clone().into_iter().map(|row| view! {
                                                    <tr>
                                                        <th scope="row">{row.name.clone()}</th>
                                                        {row.cells.into_iter().map(|cell| view! {
                                                            <td class="num" class:done=cell.completed>
                                                                {cell.minutes}
                                                                {cell.completed.then(|| view! { " " <span aria-label=t.att_completed>"✓"</span> })}
                                                            </td>
                                                        }).collect_view()}
                                                        <td class="num"><strong>{row.total_minutes}</strong></td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                            <tfoot>
                                                <tr>
                                                    <th scope="row">{t.att_total}</th>
                                                    {c.totals.clone().into_iter().map(|m| view! { <td class="num">{m}</td> }).collect_view()}
                                                    <td class="num">{grand_total}</td>
                                                </tr>
                                            </tfoot>
                                        </table>
                                    </div>
                                }.into_any()
                            }}
                        </section>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Who is in the meeting now, refreshed every 5 seconds in the browser. An island on the join
/// page (its own lazy chunk: students never load it).
#[cfg_attr(all(feature = "hydrate", not(aula_lean)), island(lazy))]
#[cfg_attr(not(feature = "hydrate"), island)]
#[cfg_attr(all(feature = "hydrate", aula_lean), component)]
pub fn PresencePanel(activity_id: i32) -> impl IntoView {
    let t = use_texts();
    let tick = RwSignal::new(0u32);
    #[cfg(feature = "hydrate")]
    {
        if let Ok(h) = set_interval_with_handle(
            move || tick.update(|n| *n += 1),
            std::time::Duration::from_secs(5),
        ) {
            on_cleanup(move || h.clear());
        }
    }
    let presence = Resource::new(move || tick.get(), move |_| live_presence(activity_id));
    view! {
        <section class="card presence" aria-labelledby="presence-h" data-testid="presence">
            <h2 id="presence-h">{t.att_present_now}</h2>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match presence.await {
                        Ok(p) if p.people.is_empty() => view! {
                            <p class="muted">{t.att_nobody_present}</p>
                            <p class="muted small">{fill(t.att_as_of, &[&p.as_of])}</p>
                        }.into_any(),
                        Ok(p) => view! {
                            <ul class="presence-list" aria-live="polite">
                                {p.people.into_iter().map(|x| view! {
                                    <li data-user=x.user_id>
                                        <span class="dot" aria-hidden="true"></span>
                                        {x.name}
                                        <small class="muted">
                                            " · " {fill(t.att_since, &[&x.since])}
                                            {(x.tabs > 1).then(|| format!(" · {}", fill(t.att_tabs, &[&x.tabs.to_string()])))}
                                        </small>
                                    </li>
                                }).collect_view()}
                            </ul>
                            <p class="muted small">{fill(t.att_as_of, &[&p.as_of])}</p>
                        }.into_any(),
                        Err(e) => view! { <InlineError error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
