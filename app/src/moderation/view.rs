//! The moderator dashboard beside the meeting: who is in (and in what role), who knocks at the
//! lobby, and the actions Jitsi lets a moderator take. Each action goes through the IFrame API
//! (`on_action`) and into the audit log.

use leptos::prelude::*;

use super::{
    meeting_people,
    model::{LogEntry, ModAction, Participant, Person},
    moderation_entries,
};
use crate::i18n::{Texts, use_texts};

/// What the join page gives the dashboard: the live lists it keeps from IFrame events.
#[derive(Clone, Copy)]
pub struct MeetingRoster {
    pub participants: RwSignal<Vec<Participant>>,
    pub knocking: RwSignal<Vec<Participant>>,
    pub lobby: RwSignal<bool>,
    /// This tab's own participant id, left out of the list (no muting oneself from here).
    pub me: RwSignal<Option<String>>,
    /// Bumped after each logged action so the log refreshes.
    pub logged: RwSignal<u32>,
}

impl MeetingRoster {
    pub fn new() -> Self {
        Self {
            participants: RwSignal::new(Vec::new()),
            knocking: RwSignal::new(Vec::new()),
            lobby: RwSignal::new(false),
            me: RwSignal::new(None),
            logged: RwSignal::new(0),
        }
    }
}

impl MeetingRoster {
    /// Replaces the list with what `getRoomsInfo` reported.
    pub fn seed(&self, people: Vec<Participant>) {
        let me = self.me.get_untracked();
        self.participants.update(|list| {
            for p in people {
                if Some(&p.id) != me.as_ref() && !list.iter().any(|x| x.id == p.id) {
                    list.push(p);
                }
            }
        });
    }

    /// What an action changes at once, before Jitsi's own events confirm it.
    pub fn after(&self, action: ModAction, participant: Option<&str>) {
        match (action, participant) {
            (ModAction::LobbyOn, _) => self.lobby.set(true),
            (ModAction::LobbyOff, _) => self.lobby.set(false),
            (ModAction::Admit | ModAction::Deny, Some(id)) => {
                self.knocking.update(|k| k.retain(|p| p.id != id));
            }
            (ModAction::Remove, Some(id)) => {
                self.participants.update(|l| l.retain(|p| p.id != id));
            }
            (ModAction::GrantModerator, Some(id)) => self.participants.update(|l| {
                if let Some(p) = l.iter_mut().find(|p| p.id == id) {
                    p.role = "moderator".into();
                }
            }),
            _ => {}
        }
    }

    /// Follows the IFrame API's participant events.
    #[cfg(feature = "hydrate")]
    pub fn apply(&self, e: crate::activities::jitsi::MeetingEvent) {
        use crate::activities::jitsi::MeetingEvent as E;
        match e {
            E::ParticipantJoined(p) => self.seed(vec![p]),
            E::ParticipantLeft(id) | E::KickedOut(id) => {
                self.participants.update(|l| l.retain(|p| p.id != id));
            }
            E::RoleChanged { id, role } => self.participants.update(|l| {
                if let Some(p) = l.iter_mut().find(|p| p.id == id) {
                    p.role = role;
                }
            }),
            E::Knocking(p) => self.knocking.update(|k| {
                if !k.iter().any(|x| x.id == p.id) {
                    k.push(p);
                }
            }),
            E::Me(id) => {
                self.participants.update(|l| l.retain(|p| p.id != id));
                self.me.set(Some(id));
            }
            E::Joined | E::Left | E::Recording { .. } => {}
        }
    }
}

impl Default for MeetingRoster {
    fn default() -> Self {
        Self::new()
    }
}

pub fn action_label(t: &Texts, a: ModAction) -> &'static str {
    match a {
        ModAction::MuteEveryone => t.mod_mute_everyone,
        ModAction::Mute => t.mod_mute,
        ModAction::Remove => t.mod_remove,
        ModAction::GrantModerator => t.mod_grant,
        ModAction::LobbyOn => t.mod_lobby_on,
        ModAction::LobbyOff => t.mod_lobby_off,
        ModAction::Admit => t.mod_admit,
        ModAction::Deny => t.mod_deny,
        ModAction::SetPassword => t.mod_set_password,
        ModAction::RemovePassword => t.mod_remove_password,
        ModAction::EndMeeting => t.mod_end,
    }
}

/// `on_action(action, participant, password)`.
#[component]
pub fn ModeratorPanel(
    activity_id: i32,
    roster: MeetingRoster,
    on_action: Callback<(ModAction, Option<Participant>, String)>,
) -> impl IntoView {
    let t = use_texts();
    let password = RwSignal::new(String::new());
    let log = Resource::new(
        move || roster.logged.get(),
        move |_| moderation_entries(activity_id),
    );
    let act =
        move |a: ModAction, p: Option<Participant>| on_action.run((a, p, password.get_untracked()));
    // Who the participants are in Aula, from the user ids their tokens carried. A plain signal
    // filled from an effect, not a resource: a resource read here would suspend the whole join
    // page, and re-attaching the page re-attaches (reloads) the meeting frame.
    let people = RwSignal::new(Vec::<Person>::new());
    Effect::new(move |prev: Option<String>| {
        let mut ids: Vec<i32> = roster
            .participants
            .get()
            .iter()
            .filter_map(|p| p.user_id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let key = ids
            .iter()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(",");
        if prev.as_deref() != Some(key.as_str()) && !key.is_empty() {
            let ids = key.clone();
            leptos::task::spawn_local(async move {
                if let Ok(list) = meeting_people(activity_id, ids).await {
                    people.set(list);
                }
            });
        }
        key
    });
    let person = move |uid: Option<i32>| -> Option<Person> {
        let uid = uid?;
        people.with(|list| list.iter().find(|p| p.user_id == uid).cloned())
    };
    view! {
        <section class="card moderator-panel" aria-labelledby="mod-h" data-testid="moderator-panel">
            <h2 id="mod-h">{t.mod_title}</h2>
            <div class="actions">
                <button type="button" data-testid="mute-everyone" on:click=move |_| act(ModAction::MuteEveryone, None)>
                    {t.mod_mute_everyone}
                </button>
                {move || if roster.lobby.get() {
                    view! { <button type="button" data-testid="lobby" on:click=move |_| act(ModAction::LobbyOff, None)>{t.mod_lobby_off}</button> }.into_any()
                } else {
                    view! { <button type="button" data-testid="lobby" on:click=move |_| act(ModAction::LobbyOn, None)>{t.mod_lobby_on}</button> }.into_any()
                }}
                <button type="button" class="danger" data-testid="end-meeting" on:click=move |_| {
                    let sure = web_confirm(t.mod_end_confirm);
                    if sure {
                        act(ModAction::EndMeeting, None);
                    }
                }>{t.mod_end}</button>
            </div>
            <form class="inline-form password-form" on:submit=move |ev| {
                ev.prevent_default();
                if !password.get_untracked().is_empty() {
                    act(ModAction::SetPassword, None);
                }
            }>
                <label for="room-password">{t.mod_password}</label>
                <input id="room-password" type="text" autocomplete="off"
                    prop:value=move || password.get()
                    on:input=move |ev| password.set(event_target_value(&ev)) />
                <button type="submit">{t.mod_set_password}</button>
                <button type="button" class="link-button" on:click=move |_| act(ModAction::RemovePassword, None)>{t.mod_remove_password}</button>
            </form>
            {move || {
                let knocking = roster.knocking.get();
                (!knocking.is_empty()).then(|| view! {
                    <h3>{t.mod_knocking}</h3>
                    <ul class="roster" data-testid="knocking">
                        {knocking.into_iter().map(|p| {
                            let (a, d) = (p.clone(), p.clone());
                            view! {
                                <li>
                                    <span>{p.name.clone()}</span>
                                    <span class="actions">
                                        <button type="button" on:click=move |_| act(ModAction::Admit, Some(a.clone()))>{t.mod_admit}</button>
                                        <button type="button" on:click=move |_| act(ModAction::Deny, Some(d.clone()))>{t.mod_deny}</button>
                                    </span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })
            }}
            <h3>{t.mod_participants}</h3>
            {move || {
                let people = roster.participants.get();
                if people.is_empty() {
                    return view! { <p class="muted">{t.mod_nobody_else}</p> }.into_any();
                }
                view! {
                    <ul class="roster" data-testid="roster">
                        {people.into_iter().map(|p| {
                            let (m, r, g) = (p.clone(), p.clone(), p.clone());
                            let is_mod = p.role == "moderator";
                            view! {
                                <li data-participant=p.id.clone()>
                                    <span class="who">
                                        {p.name.clone()}
                                        {is_mod.then(|| view! { " " <span class="badge">{t.mod_role_moderator}</span> })}
                                        {move || person(p.user_id).map(|who| view! {
                                            " " <span class="badge" title=t.mod_aula_account data-testid="aula-person">
                                                {who.name} " · " {t.role_name(who.role)}
                                            </span>
                                        })}
                                    </span>
                                    <span class="row-actions">
                                        <button type="button" class="link-button" on:click=move |_| act(ModAction::Mute, Some(m.clone()))>{t.mod_mute}</button>
                                        {(!is_mod).then(|| view! {
                                            <button type="button" class="link-button" on:click=move |_| act(ModAction::GrantModerator, Some(g.clone()))>{t.mod_grant}</button>
                                        })}
                                        <button type="button" class="link-button danger" on:click=move |_| act(ModAction::Remove, Some(r.clone()))>{t.mod_remove}</button>
                                    </span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <details class="mod-log">
                <summary>{t.mod_log}</summary>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let entries: Vec<LogEntry> = log.await.unwrap_or_default();
                        view! {
                            <ul data-testid="moderation-log">
                                {entries.into_iter().map(|e| view! {
                                    <li>
                                        <small class="muted">{e.at}</small> " " {e.actor} ": " {action_label(t, e.action)}
                                        {e.target.map(|x| format!(" — {x}"))}
                                    </li>
                                }).collect_view()}
                            </ul>
                        }
                    })}
                </Transition>
            </details>
        </section>
    }
}

/// `window.confirm`, true without a browser (the server never runs click handlers).
fn web_confirm(message: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.confirm_with_message(message).ok())
            .unwrap_or(false)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = message;
        true
    }
}
