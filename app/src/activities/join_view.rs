//! The join page students and teachers land on: a live countdown before the session, a join
//! button while it is open, and the embedded meeting once joined.

use crate::components::page_heading::PageHeading;

use leptos::prelude::*;
use leptos_router::components::A;

use super::{
    dto::JoinInfo,
    get_join_info,
    model::{Phase, format_countdown},
};
use crate::{
    attendance::{dto::TrackerStatus, view::PresencePanel},
    components::{
        countdown::use_phase,
        error_page::{ErrorPage, Loading},
        param_id,
    },
    error::{AppError, ConflictReason},
    i18n::{fill, use_texts},
    moderation::{
        model::{ModAction, Participant},
        view::MeetingRoster,
    },
    recording::view::RecordingEvent,
};

#[component]
pub fn JoinPage() -> impl IntoView {
    let id = param_id("id");
    let info = Resource::new(id, get_join_info);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match info.await {
                    Ok(i) => view! { <JoinLayout info=i /> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The page around the meeting. Opened directly, the page is in islands mode (see
/// `crate::islands`): this part is server HTML only, and the meeting, the guest links and the live
/// presence are islands. Reached by a client-side navigation, it renders in the browser as usual.
#[component]
fn JoinLayout(info: JoinInfo) -> impl IntoView {
    let t = use_texts();
    let activity_id = info.id;
    view! {
        <nav aria-label=t.breadcrumb class="breadcrumb">
            <A href=format!("/courses/{}", info.course_id)>{info.course_name.clone()}</A>
            " › "
            <span aria-current="page">{info.name.clone()}</span>
        </nav>
        <div class="join-head">
            <PageHeading text={info.name.clone()} />
            {info.can_edit.then(|| view! {
                <A href=format!("/courses/{}/activities/{}/edit", info.course_id, info.id) attr:class="button">{t.edit}</A>
            })}
        </div>
        {(!info.description.is_empty()).then(|| view! { <p class="lead">{info.description.clone()}</p> })}
        <p class="muted">
            {fill(t.session_window, &[&info.opens_display, &info.closes_display, &info.time_zone])}
        </p>
        <MeetingPanel
            activity_id
            phase=info.phase
            window_len=info.window_len
            moderator=info.is_moderator
            bbb=info.bbb
            can_record=info.can_record
        />
        <p class="attendance-summary">
            <A href=format!("/activities/{activity_id}/attendance")>
                {if info.can_view_attendance { t.att_view_report } else { t.att_my_title }}
            </A>
            " · "
            <span data-testid="my-minutes">
                {match info.completion_minutes {
                    Some(th) => fill(t.att_minutes_of, &[&info.my_minutes.to_string(), &th.to_string()]),
                    None => fill(t.att_minutes_n, &[&info.my_minutes.to_string()]),
                }}
            </span>
            {info.completed.then(|| view! { " " <span class="badge badge-open">"✓ " {t.att_completed}</span> })}
            {info.can_view_records.then(|| view! {
                " · "
                <A href=format!("/activities/{activity_id}/recordings")>{t.rec_open_tab}</A>
            })}
        </p>
        {info.can_see_presence.then(|| view! { <PresencePanel activity_id /> })}
        {info.can_create_links.then(|| view! { <crate::guests::view::GuestLinksPanel activity_id /> })}
    }
}

/// Where the meeting frame stands in this tab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeetingState {
    Idle,
    Loading,
    /// The frame is up; `joined` once Jitsi reports the conference joined.
    Active {
        joined: bool,
        slow: bool,
    },
    Left,
    ScriptFailed,
    Refused(AppError),
}

/// The join button, countdown and meeting, with the moderator's dashboard and the recording
/// switch once joined: the page's main island (its own lazy wasm chunk).
#[cfg_attr(all(feature = "hydrate", not(aula_lean)), island(lazy))]
#[cfg_attr(any(not(feature = "hydrate"), aula_lean), island)]
fn MeetingPanel(
    activity_id: i32,
    phase: Phase,
    window_len: i64,
    moderator: bool,
    bbb: bool,
    can_record: bool,
) -> impl IntoView {
    let t = use_texts();
    let phase = use_phase(phase, window_len);
    let state = RwSignal::new(MeetingState::Idle);
    let attendance = RwSignal::new(None::<TrackerStatus>);
    let roster = MeetingRoster::new();
    let (rec_events, set_rec_events) = signal(None::<RecordingEvent>);

    #[cfg(feature = "hydrate")]
    let meeting = StoredValue::new_local(None::<super::jitsi::Meeting>);
    #[cfg(feature = "hydrate")]
    let tracker = StoredValue::new_local(None::<crate::attendance::client::Tracker>);
    #[cfg(feature = "hydrate")]
    {
        // Beats an earlier visit could not deliver go out now.
        Effect::new(move |_| crate::attendance::client::resend_saved());
        on_cleanup(move || {
            stop_attendance(tracker);
            meeting.try_with_value(|m| {
                if let Some(m) = m {
                    m.close();
                }
            });
        });
    }

    let join = move || {
        state.set(MeetingState::Loading);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(start(
            activity_id,
            Live {
                state,
                meeting,
                tracker,
                attendance,
                roster,
                recording: set_rec_events,
            },
        ));
        #[cfg(not(feature = "hydrate"))]
        let _ = activity_id;
    };
    let leave = move || {
        #[cfg(feature = "hydrate")]
        {
            stop_attendance(tracker);
            if let Some(m) = meeting.try_update_value(|m| m.take()).flatten() {
                m.close();
            }
        }
        state.set(MeetingState::Left);
    };

    // A moderator action: through the IFrame API first (Jitsi enforces it), then the audit log.
    let on_action = Callback::new(
        move |(action, who, password): (ModAction, Option<Participant>, String)| {
            let target = who.as_ref().map(|p| p.id.clone()).unwrap_or_default();
            let (command, args) = action.command(&target, &password);
            #[cfg(feature = "hydrate")]
            meeting.with_value(|m| {
                if let Some(m) = m {
                    m.command(command, &args);
                }
            });
            #[cfg(not(feature = "hydrate"))]
            let _ = (command, args);
            roster.after(action, who.as_ref().map(|p| p.id.as_str()));
            leptos::task::spawn_local(async move {
                let _ = crate::moderation::log_moderation(
                    activity_id,
                    action.as_str().to_owned(),
                    who.as_ref().map(|p| p.name.clone()),
                    who.and_then(|p| p.user_id),
                )
                .await;
                roster.logged.update(|n| *n += 1);
            });
        },
    );

    // The recording switch drives the meeting through the same IFrame API.
    let rec_command = Callback::new(
        move |(name, args): (&'static str, Vec<serde_json::Value>)| {
            #[cfg(feature = "hydrate")]
            meeting.with_value(|m| {
                if let Some(m) = m {
                    m.command(name, &args);
                }
            });
            #[cfg(not(feature = "hydrate"))]
            let _ = (name, args);
        },
    );
    #[cfg(not(feature = "hydrate"))]
    let _ = set_rec_events;

    let can_enter = move || phase.get().enterable();
    let in_meeting = move || {
        matches!(
            state.get(),
            MeetingState::Loading | MeetingState::Active { .. }
        )
    };

    view! {
        <section class="card join-card" aria-live="polite" data-testid="join-status">
            {move || {
                if in_meeting() {
                    return view! {
                        <div class="meeting-bar">
                            <span>{move || match state.get() {
                                MeetingState::Active { joined: true, .. } => t.in_meeting,
                                _ => t.connecting,
                            }}</span>
                            <button type="button" class="danger" on:click=move |_| leave()>{t.leave_meeting}</button>
                        </div>
                        <AttendanceLine status=attendance />
                        {move || matches!(state.get(), MeetingState::Active { slow: true, joined: false }).then(|| view! {
                            <div class="notice" role="alert">
                                <p>{t.meeting_slow}</p>
                                <button type="button" on:click=move |_| { leave(); join(); }>{t.retry}</button>
                            </div>
                        })}
                    }
                    .into_any();
                }
                match (state.get(), phase.get()) {
                    (MeetingState::ScriptFailed, _) => view! {
                        <div class="notice" role="alert" data-testid="meeting-error">
                            <p>{t.meeting_script_failed}</p>
                            <button type="button" class="primary" on:click=move |_| join()>{t.retry}</button>
                        </div>
                    }
                    .into_any(),
                    (MeetingState::Refused(e), _) => {
                        let msg = match e {
                            AppError::Conflict(ConflictReason::NotOpenYet) => t.not_open_yet,
                            AppError::Conflict(ConflictReason::Closed) => t.session_closed,
                            AppError::Forbidden => t.forbidden_body,
                            AppError::External(f) => t.external_message(f),
                            _ => t.request_refused,
                        };
                        view! {
                            <div class="notice" role="alert">
                                <p>{msg}</p>
                                <button type="button" on:click=move |_| join()>{t.retry}</button>
                            </div>
                        }
                        .into_any()
                    }
                    (_, Phase::Closed) => view! { <p class="state closed" data-phase="closed">{t.session_closed}</p> }.into_any(),
                    (s, _) if can_enter() => view! {
                        <p class="state open" data-phase="open">
                            {if matches!(phase.get(), Phase::Open { .. }) { t.session_open } else { t.early_entry_open }}
                        </p>
                        {(s == MeetingState::Left).then(|| view! { <p class="muted">{t.you_left}</p> })}
                        <button type="button" class="primary big" data-testid="join-button" on:click=move |_| join()>
                            {if s == MeetingState::Left { t.rejoin } else { t.join_meeting }}
                        </button>
                        {bbb.then(|| view! { <p class="muted small">{t.bbb_opens_in_page}</p> })}
                    }
                    .into_any(),
                    (_, Phase::Upcoming { opens_in, early_in }) => view! {
                        <p class="state upcoming" data-phase="upcoming">{t.starts_in}</p>
                        <p class="countdown" data-testid="countdown" role="timer">{format_countdown(opens_in)}</p>
                        {(moderator && early_in.is_some()).then(|| view! {
                            <p class="muted">{fill(t.early_entry_in, &[&format_countdown(early_in.unwrap_or(0))])}</p>
                        })}
                    }
                    .into_any(),
                    _ => ().into_any(),
                }
            }}
        </section>
        <div id="meeting" class="meeting-frame" class:hidden=move || !in_meeting() data-testid="meeting"></div>
        {move || (moderator && !bbb && matches!(state.get(), MeetingState::Active { joined: true, .. })).then(|| view! {
            <Suspense fallback=|| ()>{Suspend::new(moderator_panel(activity_id, roster, on_action))}</Suspense>
        })}
        {move || (can_record && !bbb && matches!(state.get(), MeetingState::Active { joined: true, .. })).then(|| view! {
            <Suspense fallback=|| ()>{Suspend::new(record_switch(activity_id, rec_command, rec_events))}</Suspense>
        })}
    }
}

// The moderator's dashboard and the recording switch appear only after joining, and only for
// those allowed to use them: each is a lazy chunk of its own, so a student's join page does not
// download them. The lean wasm (students only, see `crate::islands`) leaves them out entirely.

#[cfg(not(aula_lean))]
#[lazy]
fn moderator_panel(
    activity_id: i32,
    roster: MeetingRoster,
    on_action: Callback<(ModAction, Option<Participant>, String)>,
) -> AnyView {
    view! { <crate::moderation::view::ModeratorPanel activity_id roster on_action /> }.into_any()
}

#[cfg(not(aula_lean))]
#[lazy]
fn record_switch(
    activity_id: i32,
    command: Callback<(&'static str, Vec<serde_json::Value>)>,
    events: ReadSignal<Option<RecordingEvent>>,
) -> AnyView {
    view! { <crate::recording::view::RecordSwitch activity_id command events /> }.into_any()
}

#[cfg(aula_lean)]
async fn moderator_panel(
    _: i32,
    _: MeetingRoster,
    _: Callback<(ModAction, Option<Participant>, String)>,
) -> AnyView {
    ().into_any()
}

#[cfg(aula_lean)]
async fn record_switch(
    _: i32,
    _: Callback<(&'static str, Vec<serde_json::Value>)>,
    _: ReadSignal<Option<RecordingEvent>>,
) -> AnyView {
    ().into_any()
}

/// One line under the meeting bar saying whether this tab's attendance is being counted.
#[component]
fn AttendanceLine(status: RwSignal<Option<TrackerStatus>>) -> impl IntoView {
    let t = use_texts();
    move || {
        status.get().map(|s| {
            let (state, acked, text) = match s {
                TrackerStatus::Starting => ("starting", 0, t.att_starting.to_owned()),
                TrackerStatus::Counting { acked } => ("counting", acked, t.att_counting.to_owned()),
                TrackerStatus::Offline { pending } => {
                    ("offline", 0, fill(t.att_offline, &[&pending.to_string()]))
                }
                TrackerStatus::Stopped => ("stopped", 0, t.att_stopped.to_owned()),
                TrackerStatus::Failed => ("failed", 0, t.att_failed.to_owned()),
            };
            view! {
                <p class="attendance-status small" data-testid="attendance-status" data-state=state data-acked=acked>
                    {text}
                </p>
            }
        })
    }
}

/// The browser-side state of one meeting, handed to the code that drives it.
#[cfg(feature = "hydrate")]
#[derive(Clone, Copy)]
struct Live {
    state: RwSignal<MeetingState>,
    meeting: StoredValue<Option<super::jitsi::Meeting>, LocalStorage>,
    tracker: StoredValue<Option<crate::attendance::client::Tracker>, LocalStorage>,
    attendance: RwSignal<Option<TrackerStatus>>,
    roster: MeetingRoster,
    recording: WriteSignal<Option<RecordingEvent>>,
}

#[cfg(feature = "hydrate")]
fn stop_attendance(tracker: StoredValue<Option<crate::attendance::client::Tracker>, LocalStorage>) {
    if let Some(t) = tracker.try_update_value(|t| t.take()).flatten() {
        t.stop();
    }
}

#[cfg(feature = "hydrate")]
async fn start(activity_id: i32, live: Live) {
    let Live {
        state,
        meeting,
        tracker,
        attendance,
        roster,
        recording,
    } = live;
    use super::jitsi::{MeetingEvent, OpenError, open};

    let ticket = match super::join_activity(activity_id).await {
        Ok(t) => t,
        Err(e) => {
            state.set(MeetingState::Refused(e));
            return;
        }
    };
    // BigBlueButton runs in its own page: the server signed the join URL, the browser goes there.
    if let Some(url) = &ticket.redirect_url {
        if let Some(w) = web_sys::window()
            && w.location().assign(url).is_ok()
        {
            return;
        }
        state.set(MeetingState::ScriptFailed);
        return;
    }
    let Some(parent) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("meeting"))
    else {
        state.set(MeetingState::ScriptFailed);
        return;
    };
    parent.set_inner_html("");
    let on_event = move |e: MeetingEvent| match e {
        MeetingEvent::Joined => {
            state.set(MeetingState::Active {
                joined: true,
                slow: false,
            });
            // The dashboard starts from whoever is already in the room.
            leptos::task::spawn_local(async move {
                let people = meeting
                    .try_with_value(|m| m.as_ref().map(|m| m.participants()))
                    .flatten();
                if let Some(fut) = people {
                    roster.seed(fut.await);
                }
            });
            // Only time inside the conference counts: the session opens on the join event.
            if tracker.with_value(|t| t.is_none()) {
                let status = attendance;
                leptos::task::spawn_local(async move {
                    let opened =
                        crate::attendance::client::Tracker::start(activity_id, status).await;
                    let still_here = matches!(state.get_untracked(), MeetingState::Active { .. });
                    match opened {
                        Some(t) if still_here => tracker.set_value(Some(t)),
                        Some(t) => t.stop(),
                        None => {}
                    }
                });
            }
        }
        MeetingEvent::Left => {
            stop_attendance(tracker);
            if let Some(m) = meeting.try_update_value(|m| m.take()).flatten() {
                m.close();
            }
            state.set(MeetingState::Left);
        }
        MeetingEvent::Recording { on, error, .. } => {
            recording.set(Some(RecordingEvent { on, error }))
        }
        other => roster.apply(other),
    };
    match open(&ticket, &parent, on_event).await {
        Ok(m) => {
            meeting.set_value(Some(m));
            if state.get_untracked() == MeetingState::Loading {
                state.set(MeetingState::Active {
                    joined: false,
                    slow: false,
                });
            }
            // A frame blocked by the browser or a firewall never reports back: say so after a while.
            set_timeout(
                move || {
                    if state.get_untracked()
                        == (MeetingState::Active {
                            joined: false,
                            slow: false,
                        })
                    {
                        state.set(MeetingState::Active {
                            joined: false,
                            slow: true,
                        });
                    }
                },
                std::time::Duration::from_secs(20),
            );
        }
        Err(OpenError::Script | OpenError::Api) => state.set(MeetingState::ScriptFailed),
    }
}
