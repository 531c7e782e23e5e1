//! The owners' "Invite by e-mail" panel on a meeting's edit page: addresses, "send me a copy",
//! whether the access code travels with the invitations, each address's outcome, and the
//! invitations sent so far.

use leptos::prelude::*;

use super::{
    InviteToMeeting,
    invite_dto::{AddressResult, AddressStatus, CodeNote, Invitations, InviteReport},
    invite_texts::{InviteTexts, invite_texts},
    meeting_invitations,
};
use crate::{
    components::{
        error_page::Loading,
        forms::{field_error, form_error},
    },
    error::{AppError, ConflictReason, FieldCode},
    i18n::{Texts, fill, use_texts},
};

#[component]
pub fn InvitePanel(meeting_id: i32) -> impl IntoView {
    let it = invite_texts();
    let send = ServerAction::<InviteToMeeting>::new();
    let sent = Resource::new(
        move || send.version().get(),
        move |_| meeting_invitations(meeting_id),
    );
    let general = form_error(send.value());
    let problem = Signal::derive(move || match send.value().get() {
        Some(Err(AppError::Conflict(ConflictReason::Closed))) => Some(it.series_over.to_owned()),
        _ => general.get(),
    });
    let emails_error = field_error(send.value(), "emails");
    let pending = send.pending();
    view! {
        <section class="card" aria-labelledby="invite-h" data-testid="invite-panel">
            <h2 id="invite-h">{it.title}</h2>
            <p class="muted small">{it.intro}</p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    sent.await.ok().map(|info| view! { <Notes info it /> })
                })}
            </Transition>
            <ActionForm action=send>
                {move || problem.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
                <input type="hidden" name="meeting_id" value=meeting_id />
                <div class="field" class:has-error=move || emails_error.get().is_some()>
                    <label for="invite-emails">{it.emails}</label>
                    <textarea id="invite-emails" name="emails" rows="3" required autocomplete="off"
                        aria-describedby="invite-emails-hint invite-emails-error"></textarea>
                    <small id="invite-emails-hint" class="hint">{it.emails_hint}</small>
                    <small id="invite-emails-error" class="field-error" role="alert">{move || emails_error.get()}</small>
                </div>
                <div class="field checkbox">
                    <input type="checkbox" id="invite-copy" name="owner_copy" />
                    <label for="invite-copy">{it.owner_copy}</label>
                </div>
                <button type="submit" class="primary" data-testid="send-invitations" disabled=move || pending.get()>
                    {move || if pending.get() { it.sending } else { it.send }}
                </button>
            </ActionForm>
            {move || send.value().get().and_then(Result::ok).map(|r| view! { <Outcome r it /> })}
            <h3>{it.sent_title}</h3>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    sent.await.ok().map(|info| view! { <SentList info it /> })
                })}
            </Transition>
        </section>
    }
}

/// Whether mail works here and what invitations say about the access code.
#[component]
fn Notes(info: Invitations, it: &'static InviteTexts) -> impl IntoView {
    let code = match info.code {
        CodeNote::NoCode => it.code_none,
        CodeNote::Included => it.code_included,
        CodeNote::Separate => it.code_separate,
    };
    view! {
        {(!info.mail_ready).then(|| view! {
            <p class="notice" role="status" data-testid="mail-not-ready">{it.smtp_missing}</p>
        })}
        <p class="small" data-testid="code-note" data-code=format!("{:?}", info.code)>
            {code} " " <a href="#f-access-link">{it.change_code}</a>
        </p>
    }
}

fn status_text(t: &Texts, it: &InviteTexts, s: AddressStatus) -> String {
    match s {
        AddressStatus::Sent => it.status_sent.to_owned(),
        AddressStatus::Invalid(FieldCode::InvalidEmail) => it.status_invalid.to_owned(),
        AddressStatus::Invalid(code) => t.field_message(code),
        AddressStatus::Failed => it.status_failed.to_owned(),
    }
}

/// Each typed address's outcome.
#[component]
fn Outcome(r: InviteReport, it: &'static InviteTexts) -> impl IntoView {
    let t = use_texts();
    let row = move |a: AddressResult| {
        let who = if a.copy {
            fill(it.your_copy, &[&a.address])
        } else {
            a.address.clone()
        };
        let kind = match a.status {
            AddressStatus::Sent => "sent",
            AddressStatus::Invalid(_) => "invalid",
            AddressStatus::Failed => "failed",
        };
        view! {
            <li data-testid="invite-result" data-status=kind>
                <span>{who}</span>
                <span class=if a.status == AddressStatus::Sent { "ok" } else { "field-error" }>
                    {status_text(t, it, a.status)}
                </span>
            </li>
        }
    };
    view! {
        <div aria-live="polite" data-testid="invite-outcome">
            <p role="status" class="ok">{fill(it.sent_count, &[&r.sent.to_string()])}</p>
            <ul class="roster">{r.results.into_iter().map(row).collect_view()}</ul>
        </div>
    }
}

#[component]
fn SentList(info: Invitations, it: &'static InviteTexts) -> impl IntoView {
    if info.rows.is_empty() {
        return view! { <p class="muted">{it.sent_none}</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="table compact" data-testid="invitations-sent">
                <thead>
                    <tr><th scope="col">{it.col_address}</th><th scope="col">{it.col_date}</th><th scope="col">{it.col_by}</th></tr>
                </thead>
                <tbody>
                    {info.rows.into_iter().map(|r| view! {
                        <tr data-testid="invitation-row"><td>{r.email}</td><td>{r.sent_at}</td><td>{r.sent_by}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
