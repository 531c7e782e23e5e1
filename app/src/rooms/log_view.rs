//! "BigBlueButton sessions": each session BBB reported for a room, with a table of who was there
//! (minutes, talk time, chat messages, raised hands, moderator). Shown on an activity's attendance
//! report and on a meeting's recordings page; it renders nothing for callers who may not read it
//! and for activities that never met on BigBlueButton.

use leptos::prelude::*;

use super::{
    bbb_session_log,
    model::{RoomRef, SessionRow},
    texts::room_texts,
};
use crate::{components::error_page::Loading, error::AppError, i18n::fill};

/// "3:05" for 185 seconds.
pub fn talk_time(secs: i64) -> String {
    let secs = secs.max(0);
    format!("{}:{:02}", secs / 60, secs % 60)
}

#[component]
pub fn BbbSessionLog(owner: RoomRef) -> impl IntoView {
    let rt = room_texts();
    let log = Resource::new(move || owner, bbb_session_log);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match log.await {
                    Ok(p) if p.bbb => Some(view! {
                        <section class="card" aria-labelledby="bbb-log-h" data-testid="bbb-sessions">
                            <h2 id="bbb-log-h">{rt.log_title}</h2>
                            {p.sessions.is_empty().then(|| view! { <p class="muted">{rt.log_none}</p> })}
                            {p.sessions.into_iter().enumerate().map(|(i, s)| view! { <Session i s /> }).collect_view()}
                        </section>
                    }.into_any()),
                    // Not allowed to read it (or not on BBB): the page around it says the rest.
                    Ok(_) | Err(AppError::Forbidden | AppError::NotFound | AppError::Unauthenticated) => None,
                    Err(e) => Some(view! {
                        <p class="form-error" role="alert">{crate::components::messages::error_message(crate::i18n::use_texts(), &e)}</p>
                    }.into_any()),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Session(i: usize, s: SessionRow) -> impl IntoView {
    let rt = room_texts();
    let caption = fill(
        rt.log_session,
        &[&s.started, &s.finished, &s.minutes.to_string()],
    );
    view! {
        <div class="table-scroll">
            <table class="table compact" data-testid="bbb-session" data-session=i>
                <caption class="table-caption">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{rt.log_participant}</th>
                        <th scope="col" class="num">{rt.log_minutes}</th>
                        <th scope="col" class="num">{rt.log_talk}</th>
                        <th scope="col" class="num">{rt.log_chats}</th>
                        <th scope="col" class="num">{rt.log_hands}</th>
                        <th scope="col">{rt.log_moderator}</th>
                    </tr>
                </thead>
                <tbody>
                    {s.attendees.into_iter().map(|a| view! {
                        <tr>
                            <th scope="row">
                                {a.name}
                                {a.guest.then(|| view! { " " <span class="badge">{rt.log_guest}</span> })}
                            </th>
                            <td class="num" data-testid="bbb-minutes">{a.minutes}</td>
                            <td class="num">{talk_time(a.talk_secs)}</td>
                            <td class="num">{a.chats}</td>
                            <td class="num">{a.raise_hands}</td>
                            <td>{if a.moderator { rt.yes } else { "—" }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn talk_time_reads_as_minutes_and_seconds() {
        assert_eq!(talk_time(185), "3:05");
        assert_eq!(talk_time(0), "0:00");
        assert_eq!(talk_time(-4), "0:00");
    }
}
