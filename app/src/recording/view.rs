//! The "Record and stream" switch beside the meeting, and the activity's recordings tab.

use crate::components::page_heading::PageHeading;

use leptos::prelude::*;
use leptos_router::components::A;

use super::{
    DeleteRecording, RenameRecording, SetRecordingVisible, list_recordings,
    model::{RecordingRow, RecordingsPage, SwitchState},
};
use crate::{
    components::{
        error_page::{ErrorPage, Loading},
        forms::{FormError, form_error},
        messages::error_message,
        param_id,
    },
    i18n::{fill, use_texts},
};

/// A `recordingStatusChanged` from the meeting, as the switch needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordingEvent {
    pub on: bool,
    pub error: Option<String>,
}

/// What the switch is doing right now.
#[derive(Debug, Clone, PartialEq)]
enum Busy {
    Idle,
    Starting,
    Stopping,
}

/// The switch for holders of `record`. It asks the server for a stream key, tells the meeting to
/// stream (`startRecording`), and turns off (`stopRecording`) when flipped or when the meeting
/// stops streaming on its own. `command` sends one IFrame API command.
#[component]
pub fn RecordSwitch(
    activity_id: i32,
    command: Callback<(&'static str, Vec<serde_json::Value>)>,
    events: ReadSignal<Option<RecordingEvent>>,
) -> impl IntoView {
    let t = use_texts();
    let state = RwSignal::new(None::<SwitchState>);
    let busy = RwSignal::new(Busy::Idle);
    let error = RwSignal::new(None::<String>);
    // Plain signals and spawned calls, not a Resource: a suspending read here would hold the
    // join page (and its meeting) back.
    let refresh = move || {
        leptos::task::spawn_local(async move {
            if let Ok(s) = super::recording_state(activity_id).await {
                state.set(Some(s));
            }
        });
    };
    Effect::new(move |_| refresh());
    #[cfg(feature = "hydrate")]
    {
        // Another moderator's recording, or its author leaving, shows up without a reload.
        if let Ok(h) = set_interval_with_handle(refresh, std::time::Duration::from_secs(10)) {
            on_cleanup(move || h.clear());
        }
    }

    let stop = move |notify_meeting: bool| {
        busy.set(Busy::Stopping);
        if notify_meeting {
            command.run(("stopRecording", vec![serde_json::json!("stream")]));
        }
        leptos::task::spawn_local(async move {
            if let Err(e) = super::stop_recording(activity_id).await {
                error.set(Some(error_message(t, &e)));
            }
            busy.set(Busy::Idle);
            refresh();
        });
    };
    let start = move || {
        busy.set(Busy::Starting);
        error.set(None);
        leptos::task::spawn_local(async move {
            match super::start_recording(activity_id).await {
                Ok(s) => command.run((
                    "startRecording",
                    vec![serde_json::json!({
                        "mode": "stream",
                        "youtubeStreamKey": s.stream_key,
                        "youtubeBroadcastID": s.broadcast_id,
                    })],
                )),
                Err(e) => error.set(Some(error_message(t, &e))),
            }
            busy.set(Busy::Idle);
            refresh();
        });
    };

    // The meeting's own word: a stream that went off (or failed) ends our recording too.
    Effect::new(move |_| {
        let Some(ev) = events.get() else { return };
        let mine = state
            .get_untracked()
            .and_then(|s| s.live)
            .filter(|l| l.mine);
        let Some(live) = mine else { return };
        if ev.on || busy.get_untracked() != Busy::Idle {
            return;
        }
        match ev.error {
            Some(reason) => {
                error.set(Some(fill(t.rec_meeting_failed, &[&reason])));
                leptos::task::spawn_local(async move {
                    let _ = super::recording_failed(activity_id, live.id).await;
                    refresh();
                });
            }
            None => stop(false),
        }
    });

    move || {
        let s = state.get()?;
        if !s.can_record {
            return None;
        }
        let live = s.live.clone();
        let on = live.is_some();
        let may_flip = live.as_ref().is_none_or(|l| l.mine || l.can_take_over);
        let status = match (&live, busy.get()) {
            (_, Busy::Starting) => t.rec_starting.to_owned(),
            (_, Busy::Stopping) => t.rec_stopping.to_owned(),
            (Some(l), _) if l.mine => t.rec_live_mine.to_owned(),
            (Some(l), _) if l.can_take_over => fill(t.rec_take_over, &[&l.author]),
            (Some(l), _) => fill(t.rec_live_other, &[&l.author]),
            (None, _) => t.rec_off_hint.to_owned(),
        };
        Some(view! {
            <section class="card record-card" aria-labelledby="rec-h" data-testid="record-panel">
                <div class="record-row">
                    <h2 id="rec-h" class="visually-hidden">{t.rec_switch}</h2>
                    <button
                        type="button"
                        role="switch"
                        class="switch"
                        class:on=on
                        aria-checked=if on { "true" } else { "false" }
                        data-testid="record-switch"
                        disabled=move || !may_flip || busy.get() != Busy::Idle
                        on:click=move |_| if on { stop(true) } else { start() }
                    >
                        <span class="switch-track" aria-hidden="true"><span class="switch-thumb"></span></span>
                        <span>{t.rec_switch}</span>
                    </button>
                    {on.then(|| view! { <span class="badge badge-live">{t.rec_live_badge}</span> })}
                </div>
                <p class="small muted" role="status" data-testid="record-status">{status}</p>
                {move || error.get().map(|m| view! { <p class="form-error" role="alert" data-testid="record-error">{m}</p> })}
            </section>
        })
    }
}

/// The recordings tab's three actions, shared by every recording on it.
#[derive(Clone, Copy)]
struct RecordingActions {
    rename: ServerAction<RenameRecording>,
    visible: ServerAction<SetRecordingVisible>,
    delete: ServerAction<DeleteRecording>,
}

/// What the viewer may do with the activity's recordings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RecordingPermissions {
    can_rename: bool,
    can_hide: bool,
    can_delete: bool,
}

#[component]
pub fn RecordingsTab() -> impl IntoView {
    let id = param_id("id");
    let actions = RecordingActions {
        rename: ServerAction::<RenameRecording>::new(),
        visible: ServerAction::<SetRecordingVisible>::new(),
        delete: ServerAction::<DeleteRecording>::new(),
    };
    let page = Resource::new(
        move || {
            (
                id(),
                actions.rename.version().get(),
                actions.visible.version().get(),
                actions.delete.version().get(),
            )
        },
        |(id, ..)| list_recordings(id),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <RecordingsList page=p actions /> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RecordingsList(page: RecordingsPage, actions: RecordingActions) -> impl IntoView {
    let t = use_texts();
    let RecordingsPage {
        activity_id,
        activity_name,
        course_id,
        course_name,
        rows,
        can_rename,
        can_hide,
        can_delete,
    } = page;
    let can = RecordingPermissions {
        can_rename,
        can_hide,
        can_delete,
    };
    let heading = fill(t.rec_page_title, &[activity_name.as_str()]);
    let none = rows.is_empty();
    view! {
        <nav aria-label=t.breadcrumb class="breadcrumb">
            <A href=format!("/courses/{course_id}")>{course_name}</A>
            " › "
            <A href=format!("/activities/{activity_id}")>{activity_name}</A>
            " › "
            <span aria-current="page">{t.recordings}</span>
        </nav>
        <PageHeading text={heading} />
        <FormError message=form_error(actions.rename.value()) />
        <FormError message=form_error(actions.visible.value()) />
        <FormError message=form_error(actions.delete.value()) />
        // An activity on BigBlueButton lists BBB's recordings here; the YouTube empty note inside
        // is shown instead when the room is not on BBB.
        <crate::rooms::recordings_view::BbbRecordings owner=crate::rooms::model::RoomRef::Activity(activity_id)>
            {none.then(|| view! { <p class="muted" data-testid="no-recordings">{t.rec_none}</p> })}
        </crate::rooms::recordings_view::BbbRecordings>
        <ul class="recordings" data-testid="recordings">
            {rows.into_iter().map(|r| view! {
                <RecordingItem r activity_id can actions />
            }).collect_view()}
        </ul>
        {(can_delete && !none).then(|| view! { <p class="small muted">{t.rec_deleted_note}</p> })}
    }
}

#[component]
fn RecordingItem(
    r: RecordingRow,
    activity_id: i32,
    can: RecordingPermissions,
    actions: RecordingActions,
) -> impl IntoView {
    let t = use_texts();
    let RecordingPermissions {
        can_rename,
        can_hide,
        can_delete,
    } = can;
    let RecordingActions {
        rename,
        visible,
        delete,
    } = actions;
    let confirming = RwSignal::new(false);
    let title_id = format!("rec-{}-title", r.id);
    let labelled_by = title_id.clone();
    view! {
        <li class="card recording" data-recording=r.id aria-labelledby=labelled_by>
            <h2 id=title_id class="recording-title">{r.title.clone()}</h2>
            <p class="small muted">
                {r.date.clone()} " · " {fill(t.rec_by, &[&r.author])}
                {r.live.then(|| view! { " " <span class="badge badge-live">{t.rec_live_badge}</span> })}
                {(!r.visible).then(|| view! { " " <span class="badge">{t.rec_hidden}</span> })}
            </p>
            {r.embed_url.clone().filter(|_| !r.live).map(|src| view! {
                <div class="player">
                    <iframe
                        src=src
                        title=fill(t.rec_player, &[&r.title])
                        allow="encrypted-media; picture-in-picture; fullscreen"
                        referrerpolicy="strict-origin-when-cross-origin"
                    ></iframe>
                </div>
            })}
            <div class="row-actions">
                {can_rename.then(|| view! {
                    <ActionForm action=rename attr:class="inline-form">
                        <input type="hidden" name="activity_id" value=activity_id />
                        <input type="hidden" name="recording_id" value=r.id />
                        <label class="visually-hidden" for=format!("rt-{}", r.id)>{t.rec_title}</label>
                        <input id=format!("rt-{}", r.id) name="title" value=r.title.clone() maxlength="100" required aria-label=t.rec_title />
                        <button type="submit">{t.rec_rename}</button>
                    </ActionForm>
                })}
                {can_hide.then(|| view! {
                    <ActionForm action=visible attr:class="inline-form">
                        <input type="hidden" name="activity_id" value=activity_id />
                        <input type="hidden" name="recording_id" value=r.id />
                        <input type="hidden" name="visible" value=if r.visible { "false" } else { "true" } />
                        <button type="submit" class="link-button">{if r.visible { t.rec_hide } else { t.rec_show }}</button>
                    </ActionForm>
                })}
                {(can_delete && !r.live).then(|| view! {
                    <ActionForm action=delete attr:class="inline-form">
                        <input type="hidden" name="activity_id" value=activity_id />
                        <input type="hidden" name="recording_id" value=r.id />
                        // Two buttons, not one that changes type: a button turned into a submit
                        // button inside its own click handler would submit on that same click.
                        <button type="button" class="link-button danger" hidden=move || confirming.get() on:click=move |_| confirming.set(true)>
                            {t.rec_delete}
                        </button>
                        <button type="submit" class="danger" hidden=move || !confirming.get()>{t.rec_confirm_delete}</button>
                    </ActionForm>
                })}
            </div>
        </li>
    }
}
