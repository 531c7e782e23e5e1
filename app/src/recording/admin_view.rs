//! The admin page for recording: the Google OAuth client and YouTube options, the streaming
//! accounts, the deletion queue and the audit trail.

use crate::components::page_heading::PageHeading;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{
    ConnectAccount, RecordingAdminAction, SaveRecordingSettings, admin_recording,
    model::{AccountRow, AdminRecordingPage, AuditRow, Latency, QueueRow, RecordingSettings},
};
use crate::{
    components::{
        error_page::{ErrorPage, Loading},
        forms::{Field, FormError, field_error, form_error},
    },
    error::{AppError, ConflictReason},
    i18n::{Texts, fill, use_texts},
};

fn latency_label(t: &Texts, l: Latency) -> &'static str {
    match l {
        Latency::Normal => t.lat_normal,
        Latency::Low => t.lat_low,
        Latency::UltraLow => t.lat_ultra,
    }
}

fn oauth_message(t: &Texts, outcome: &str) -> Option<(bool, &'static str)> {
    Some(match outcome {
        "added" => (true, t.adm_oauth_added),
        "state" => (false, t.adm_oauth_state),
        "denied" => (false, t.adm_oauth_denied),
        "refused" => (false, t.adm_oauth_refused),
        "unreachable" => (false, t.adm_oauth_unreachable),
        _ => return None,
    })
}

#[component]
pub fn AdminRecordingPage() -> impl IntoView {
    let t = use_texts();
    let save = ServerAction::<SaveRecordingSettings>::new();
    let connect = ServerAction::<ConnectAccount>::new();
    let act = ServerAction::<RecordingAdminAction>::new();
    let data = Resource::new(
        move || (save.version().get(), act.version().get()),
        |_| admin_recording(),
    );
    // Off to Google's consent screen; it comes back to the OAuth callback.
    Effect::new(move |_| {
        if let Some(Ok(url)) = connect.value().get() {
            #[cfg(feature = "hydrate")]
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_href(&url);
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = url;
        }
    });
    let query = use_query_map();
    let outcome = move || {
        query
            .with(|q| q.get("oauth"))
            .and_then(|o| oauth_message(t, &o))
    };
    let act_error = Signal::derive(move || match act.value().get() {
        Some(Err(AppError::Conflict(ConflictReason::InUse))) => Some(t.adm_account_owns.to_owned()),
        Some(Err(e)) => Some(crate::components::messages::error_message(t, &e)),
        _ => None,
    });
    view! {
        <PageHeading text={t.adm_rec_title} />
        {move || outcome().map(|(ok, m)| view! {
            <p class=if ok { "notice ok" } else { "form-error" } role="status" data-testid="oauth-outcome">{m}</p>
        })}
        <FormError message=act_error />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => view! { <AdminRecordingBody page=p save connect act /> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AdminRecordingBody(
    page: AdminRecordingPage,
    save: ServerAction<SaveRecordingSettings>,
    connect: ServerAction<ConnectAccount>,
    act: ServerAction<RecordingAdminAction>,
) -> impl IntoView {
    let t = use_texts();
    let AdminRecordingPage {
        settings,
        accounts,
        queue,
        audit,
    } = page;
    let no_accounts = accounts.is_empty();
    view! {
        <SettingsForm s=settings save />
        <section class="card" aria-labelledby="acc-h">
            <h2 id="acc-h">{t.adm_accounts}</h2>
            {no_accounts.then(|| view! { <p class="muted">{t.adm_no_accounts}</p> })}
            <div class="table-scroll" hidden=no_accounts>
                <table class="table" data-testid="youtube-accounts">
                    <thead>
                        <tr>
                            <th scope="col">{t.adm_account_name}</th>
                            <th scope="col">{t.adm_col_status}</th>
                            <th scope="col" class="num">{t.recordings}</th>
                            <th scope="col">{t.actions}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {accounts.into_iter().map(|a| view! { <AccountRowView a act connect /> }).collect_view()}
                    </tbody>
                </table>
            </div>
            <ActionForm action=connect attr:class="inline-form">
                <Field label=t.adm_account_name name="name" required=true error=field_error(connect.value(), "name") />
                <button type="submit" class="primary">{t.adm_connect}</button>
            </ActionForm>
            <FormError message=Signal::derive(move || match connect.value().get() {
                Some(Err(AppError::Conflict(ConflictReason::NotConfigured))) => Some(t.adm_client_missing.to_owned()),
                Some(Err(AppError::Invalid(_))) | None | Some(Ok(_)) => None,
                Some(Err(e)) => Some(crate::components::messages::error_message(t, &e)),
            }) />
        </section>
        <QueueView queue act />
        <AuditView audit />
    }
}

#[component]
fn SettingsForm(s: RecordingSettings, save: ServerAction<SaveRecordingSettings>) -> impl IntoView {
    let t = use_texts();
    view! {
        <section class="card" aria-labelledby="client-h">
            <h2 id="client-h">{t.adm_rec_client}</h2>
            // The URI is one long word: let it wrap on narrow screens instead of overflowing.
            <p class="small muted wrap-anywhere">{fill(t.adm_rec_client_hint, &[&s.redirect_uri])}</p>
            <ActionForm action=save attr:class="stack" attr:data-testid="recording-settings">
                <Field label=t.adm_client_id name="client_id" value=s.client_id.clone() error=field_error(save.value(), "client_id") />
                <Field
                    label=t.adm_client_secret
                    name="client_secret"
                    kind="password"
                    autocomplete="off"
                    hint=if s.has_secret { t.adm_secret_stored.to_owned() } else { String::new() }
                    error=field_error(save.value(), "client_secret")
                />
                <div class="field">
                    <label for="f-latency">{t.adm_latency}</label>
                    <select id="f-latency" name="latency">
                        {Latency::ALL.into_iter().map(|l| view! {
                            <option value=l.as_api() selected=l == s.latency>{latency_label(t, l)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field checkbox">
                    <input type="checkbox" id="f-kids" name="made_for_kids" value="on" checked=s.made_for_kids />
                    <label for="f-kids">{t.adm_kids}</label>
                </div>
                <div class="field checkbox">
                    <input type="checkbox" id="f-rr" name="round_robin" value="on" checked=s.round_robin />
                    <label for="f-rr">{t.adm_round_robin}</label>
                </div>
                <Field label=t.adm_retention name="retention_days" kind="number" value=s.retention_days.to_string() error=field_error(save.value(), "retention_days") />
                <Field label=t.adm_batch name="purge_batch" kind="number" value=s.purge_batch.to_string() error=field_error(save.value(), "purge_batch") />
                <button type="submit" class="primary">{t.adm_save_settings}</button>
                <FormError message=form_error(save.value()) />
                {move || matches!(save.value().get(), Some(Ok(()))).then(|| view! { <p class="ok" role="status">{t.adm_saved}</p> })}
            </ActionForm>
        </section>
    }
}

#[component]
fn AccountRowView(
    a: AccountRow,
    act: ServerAction<RecordingAdminAction>,
    connect: ServerAction<ConnectAccount>,
) -> impl IntoView {
    let t = use_texts();
    let button = move |action: &'static str, label: &'static str, danger: bool| {
        view! {
            <ActionForm action=act attr:class="inline-form">
                <input type="hidden" name="action" value=action />
                <input type="hidden" name="id" value=a.id />
                <button type="submit" class="link-button" class:danger=danger>{label}</button>
            </ActionForm>
        }
    };
    let status = match (&a.failing_reason, a.connected) {
        (Some(r), _) => fill(t.adm_failing, &[r]),
        (None, true) => t.adm_connected.to_owned(),
        (None, false) => t.adm_not_connected.to_owned(),
    };
    view! {
        <tr data-account=a.id>
            <th scope="row">
                {a.name.clone()}
                {a.in_use.then(|| view! { " " <span class="badge badge-open">{t.adm_in_use}</span> })}
                {a.in_queue.then(|| view! { " " <span class="badge">{t.adm_queued}</span> })}
            </th>
            <td class:form-error=a.failing_reason.is_some()>{status}</td>
            <td class="num">{a.recordings}</td>
            <td class="row-actions">
                {(!a.in_use && a.connected && a.failing_reason.is_none()).then(|| button("in_use", t.adm_use, false))}
                {if a.in_queue { button("unqueue", t.adm_unqueue, false) } else { button("queue", t.adm_queue, false) }}
                <ActionForm action=connect attr:class="inline-form">
                    <input type="hidden" name="name" value=a.name.clone() />
                    <input type="hidden" name="account_id" value=a.id />
                    <button type="submit" class="link-button">{t.adm_reauthorise}</button>
                </ActionForm>
                {button("remove", t.adm_remove, true)}
            </td>
        </tr>
    }
}

#[component]
fn QueueView(queue: Vec<QueueRow>, act: ServerAction<RecordingAdminAction>) -> impl IntoView {
    let t = use_texts();
    let empty = queue.is_empty();
    view! {
        <section class="card" aria-labelledby="queue-h">
            <h2 id="queue-h">{t.adm_queue_title}</h2>
            {empty.then(|| view! { <p class="muted">{t.adm_queue_empty}</p> })}
            <div class="table-scroll" hidden=empty>
                <table class="table" data-testid="deletion-queue">
                    <thead>
                        <tr>
                            <th scope="col">{t.rec_title}</th>
                            <th scope="col">{t.adm_col_activity}</th>
                            <th scope="col">{t.adm_marked}</th>
                            <th scope="col">{t.adm_due}</th>
                            <th scope="col">{t.actions}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {queue.into_iter().map(|q| view! {
                            <tr data-queued=q.id>
                                <th scope="row">{q.title.clone()}</th>
                                <td>{q.activity.clone().unwrap_or_default()}</td>
                                <td>{q.marked.clone()}</td>
                                <td class:form-error=q.overdue>{q.due.clone()}</td>
                                <td class="row-actions">
                                    <ActionForm action=act attr:class="inline-form">
                                        <input type="hidden" name="action" value="purge" />
                                        <input type="hidden" name="id" value=q.id />
                                        <button type="submit" class="link-button danger">{t.adm_delete_now}</button>
                                    </ActionForm>
                                    {q.activity.is_some().then(|| view! {
                                        <ActionForm action=act attr:class="inline-form">
                                            <input type="hidden" name="action" value="restore" />
                                            <input type="hidden" name="id" value=q.id />
                                            <button type="submit" class="link-button">{t.adm_restore}</button>
                                        </ActionForm>
                                    })}
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn AuditView(audit: Vec<AuditRow>) -> impl IntoView {
    let t = use_texts();
    let empty = audit.is_empty();
    view! {
        <section class="card" aria-labelledby="audit-h">
            <h2 id="audit-h">{t.adm_audit}</h2>
            <div class="table-scroll" hidden=empty>
                <table class="table" data-testid="recording-audit">
                    <thead>
                        <tr>
                            <th scope="col">{t.adm_col_when}</th>
                            <th scope="col">{t.adm_col_who}</th>
                            <th scope="col">{t.adm_col_action}</th>
                            <th scope="col">{t.adm_col_subject}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {audit.into_iter().map(|a| view! {
                            <tr>
                                <td>{a.at}</td>
                                <td>{a.actor}</td>
                                <td><code>{a.action}</code></td>
                                <td>{a.subject} {(!a.detail.is_empty()).then(|| format!(" — {}", a.detail))}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
