//! E-mail invitations to a meeting (server only), as Esup-Pod sends them but without its faults:
//! one e-mail per address (invitees never see each other's addresses, in the mail or in its
//! `.ics`), a calendar file whose series is one `VEVENT` with an exact `RRULE` (`ics.rs`), and the
//! access code only when the owner chose to put it in invitations. The e-mail comes from the
//! site's sender and names the owner; it is written in the inviter's language.
//!
//! `meeting_event` is also what the calendar feed lists (`profile/feed_calendar.rs`): the same UID
//! in both, so a calendar that holds the invitation and the feed updates one event.

mod mail;
mod words;

pub use mail::{CodeLine, MailFacts, mail_body};

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::{
    ics::{IcsEvent, Method, calendar},
    invite_dto::{
        AddressResult, AddressStatus, CodeNote, InvitationRow, Invitations, InviteReport,
        MAX_ADDRESSES,
    },
    invite_texts::{InviteTexts, invite_texts_for},
    model::Access,
    occurrences::{next_occurrence, start_date},
    ssr::{self, owners, recurrence_of, url_of},
};
use crate::{
    auth::model::Email,
    clock::now,
    entities::{meeting, meeting_invitation, user},
    error::{AppError, ConflictReason, FieldCode},
    i18n::{Lang, fill},
    mail::{Invitation, send},
    state::AppState,
    tz,
};

/// Calendar apps remind invitees this long before each session.
const ALARM_MINUTES: u32 = 10;
/// The list on the panel shows at most this many (newest first).
const LIST_MAX: u64 = 500;

/// The host part of `public_url`, for UIDs (`meeting-<public_id>@<host>`).
pub fn uid_host(public_url: &str) -> &str {
    let rest = public_url.split("://").nth(1).unwrap_or(public_url);
    rest.split('/').next().unwrap_or_default()
}

/// Each typed entry, in order and without repeats: an address, or what is wrong with it.
/// Entries are separated by commas, semicolons, new lines or spaces; an entry written
/// `Name <address>` (as mail programs copy them) counts as its address.
pub fn parse_addresses(raw: &str) -> Vec<Result<Email, (String, FieldCode)>> {
    let mut out: Vec<Result<Email, (String, FieldCode)>> = Vec::new();
    for entry in raw.split([',', ';', '\n', '\r']) {
        let tokens: Vec<&str> = match (entry.find('<'), entry.rfind('>')) {
            (Some(open), Some(close)) if open < close => vec![&entry[open + 1..close]],
            _ => entry.split_whitespace().collect(),
        };
        for token in tokens.into_iter().map(str::trim).filter(|t| !t.is_empty()) {
            let parsed = Email::parse(token).map_err(|code| (token.to_owned(), code));
            let repeated = out.iter().any(|seen| match (seen, &parsed) {
                (Ok(a), Ok(b)) => a == b,
                (Err((a, _)), Err((b, _))) => a == b,
                _ => false,
            });
            if !repeated {
                out.push(parsed);
            }
        }
    }
    out
}

/// How a meeting appears in calendars: the whole series as one event. Its description is the
/// caller's (the feed's never holds the access code). `SEQUENCE` grows with every saved change
/// (it is the seconds from the meeting's creation to its last save), so calendars that already
/// hold an older version replace it.
pub fn meeting_event(
    m: &meeting::Model,
    owner: Option<&user::Model>,
    public_url: &str,
    description: String,
) -> IcsEvent {
    IcsEvent {
        uid: format!("meeting-{}@{}", m.public_id, uid_host(public_url)),
        summary: m.name.clone(),
        description,
        url: url_of(public_url, &m.public_id),
        start: m.starts_at,
        duration_secs: i64::from(m.duration_minutes) * 60,
        tz: m.time_zone.clone(),
        rule: recurrence_of(m),
        organizer: owner.map(|o| (o.display_name.clone(), o.email.clone())),
        attendees: Vec::new(),
        stamp: m.updated_at,
        sequence: u32::try_from((m.updated_at - m.created_at).max(0)).unwrap_or(u32::MAX),
        alarm_minutes: None,
    }
}

/// The welcome message and the link, as calendar events describe a meeting.
pub fn describe_meeting(welcome: &str, link: &str) -> String {
    match welcome.trim() {
        "" => link.to_owned(),
        w => format!("{w}\n\n{link}"),
    }
}

/// The access code goes into invitations only for link meetings whose owner ticked the box.
fn code_line(state: &AppState, m: &meeting::Model) -> Result<CodeLine, AppError> {
    let Some(enc) = m
        .access_code_enc
        .as_ref()
        .filter(|_| m.access == Access::Link)
    else {
        return Ok(CodeLine::None);
    };
    if !m.code_in_invitations {
        return Ok(CodeLine::Separate);
    }
    state
        .secrets
        .decrypt(enc)
        .map(CodeLine::Included)
        .map_err(|_| AppError::internal("meeting access code does not decrypt"))
}

fn code_note(m: &meeting::Model) -> CodeNote {
    match (&m.access_code_enc, m.access) {
        (Some(_), Access::Link) if m.code_in_invitations => CodeNote::Included,
        (Some(_), Access::Link) => CodeNote::Separate,
        _ => CodeNote::NoCode,
    }
}

/// Sends the invitations (see `invite_to_meeting`) and records each one sent.
pub async fn invite(
    state: &AppState,
    caller: &user::Model,
    meeting_id: i32,
    raw: &str,
    owner_copy: bool,
) -> Result<InviteReport, AppError> {
    let db = &state.db;
    let (m, _) = ssr::require_owner(db, caller, meeting_id).await?;
    if m.is_personal {
        // Always open, no schedule: its link is shared as it is.
        return Err(AppError::invalid("meeting_id", FieldCode::InvalidChoice));
    }
    let smtp = state
        .settings
        .smtp
        .clone()
        .ok_or(AppError::Conflict(ConflictReason::NotConfigured))?;
    let typed = parse_addresses(raw);
    if typed.is_empty() {
        return Err(AppError::invalid("emails", FieldCode::Required));
    }
    if typed.len() > MAX_ADDRESSES {
        return Err(AppError::invalid(
            "emails",
            FieldCode::OutOfRange(1, MAX_ADDRESSES as i64),
        ));
    }
    if typed.iter().all(Result::is_err) {
        let code = typed
            .iter()
            .find_map(|t| t.as_ref().err().map(|(_, c)| *c))
            .unwrap_or(FieldCode::InvalidEmail);
        return Err(AppError::invalid("emails", code));
    }
    let rule = recurrence_of(&m);
    let at = now();
    let next = next_occurrence(
        m.starts_at,
        i64::from(m.duration_minutes) * 60,
        &m.time_zone,
        rule.as_ref(),
        at,
    )
    .ok_or(AppError::Conflict(ConflictReason::Closed))?;
    let owner = user::Entity::find_by_id(m.owner_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let t = invite_texts_for(Lang::parse(&caller.language).unwrap_or_default());
    let public_url = &state.settings.public_url;
    let link = url_of(public_url, &m.public_id);
    let code = code_line(state, &m)?;
    let next_text = tz::format_local(next, &m.time_zone);
    let body = mail_body(
        t,
        &MailFacts {
            sender: &caller.display_name,
            owner: (owner.id != caller.id).then_some(owner.display_name.as_str()),
            meeting: &m.name,
            next: &next_text,
            zone: &m.time_zone,
            minutes: m.duration_minutes,
            rule: rule.as_ref().and_then(|r| {
                start_date(m.starts_at, &m.time_zone).map(|d| words::describe(t, r, d))
            }),
            link: &link,
            welcome: &m.welcome,
            code: &code,
        },
    );
    let subject = fill(t.mail_subject, &[&m.name]);
    let mut description = describe_meeting(&m.welcome, &link);
    if let CodeLine::Included(c) = &code {
        description.push_str("\n\n");
        description.push_str(&fill(t.mail_code, &[c]));
    }
    let mut event = meeting_event(&m, Some(&owner), public_url, description);
    // RFC 5546: an iTIP message's DTSTAMP is when it was created.
    event.stamp = at;
    event.alarm_minutes = Some(ALARM_MINUTES);

    let mut results = Vec::with_capacity(typed.len() + 1);
    let mut sent_to = Vec::new();
    for entry in typed {
        let email = match entry {
            Ok(email) => email,
            Err((address, code)) => {
                results.push(AddressResult {
                    address,
                    status: AddressStatus::Invalid(code),
                    copy: false,
                });
                continue;
            }
        };
        event.attendees = vec![email.as_str().to_owned()];
        let ics = calendar(&m.name, Some(Method::Request), std::slice::from_ref(&event));
        let mail = Invitation {
            to: email.as_str(),
            subject: &subject,
            body: &body,
            ics: &ics,
        };
        let status = match send(&smtp, mail).await {
            Ok(()) => {
                meeting_invitation::ActiveModel {
                    meeting_id: Set(m.id),
                    email: Set(email.as_str().to_owned()),
                    sent_by: Set(caller.id),
                    sent_at: Set(at),
                    ..Default::default()
                }
                .insert(db)
                .await?;
                sent_to.push(email.as_str().to_owned());
                AddressStatus::Sent
            }
            Err(e) => {
                tracing::warn!(meeting = m.id, "a meeting invitation was not sent: {e}");
                AddressStatus::Failed
            }
        };
        results.push(AddressResult {
            address: email.as_str().to_owned(),
            status,
            copy: false,
        });
    }
    if owner_copy && !sent_to.is_empty() {
        results.push(send_copy(state, caller, &m, (&subject, &body), event, &sent_to, t).await);
    }
    Ok(InviteReport {
        sent: u32::try_from(sent_to.len()).unwrap_or(u32::MAX),
        results,
    })
}

/// The sender's own copy. Its calendar file is `PUBLISH` without attendees: the sender's calendar
/// simply adds the meeting instead of showing an invitation from themselves.
async fn send_copy(
    state: &AppState,
    caller: &user::Model,
    m: &meeting::Model,
    (subject, body): (&str, &str),
    mut event: IcsEvent,
    sent_to: &[String],
    t: &InviteTexts,
) -> AddressResult {
    event.attendees.clear();
    let ics = calendar(&m.name, Some(Method::Publish), &[event]);
    let body = format!("{}\n\n{body}", fill(t.mail_copy, &[&sent_to.join(", ")]));
    let status = match &state.settings.smtp {
        Some(smtp) => match send(
            smtp,
            Invitation {
                to: &caller.email,
                subject,
                body: &body,
                ics: &ics,
            },
        )
        .await
        {
            Ok(()) => AddressStatus::Sent,
            Err(e) => {
                tracing::warn!(meeting = m.id, "the sender's copy was not sent: {e}");
                AddressStatus::Failed
            }
        },
        None => AddressStatus::Failed,
    };
    AddressResult {
        address: caller.email.clone(),
        status,
        copy: true,
    }
}

/// The invitations sent for a meeting, newest first, dates in `zone`.
pub async fn list(
    state: &AppState,
    caller: &user::Model,
    meeting_id: i32,
    zone: &str,
) -> Result<Invitations, AppError> {
    let db = &state.db;
    let (m, _) = ssr::require_owner(db, caller, meeting_id).await?;
    let rows = meeting_invitation::Entity::find()
        .filter(meeting_invitation::Column::MeetingId.eq(m.id))
        .order_by_desc(meeting_invitation::Column::SentAt)
        .order_by_desc(meeting_invitation::Column::Id)
        .limit(LIST_MAX)
        .all(db)
        .await?;
    let names = owners::names_of(db, rows.iter().map(|r| r.sent_by)).await?;
    Ok(Invitations {
        rows: rows
            .into_iter()
            .map(|r| InvitationRow {
                sent_at: tz::format_local(r.sent_at, zone),
                sent_by: names.get(&r.sent_by).cloned().unwrap_or_default(),
                email: r.email,
            })
            .collect(),
        mail_ready: state.settings.smtp.is_some(),
        code: code_note(&m),
    })
}

#[cfg(test)]
mod tests;
