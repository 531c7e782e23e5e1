//! A room's BigBlueButton recordings (server only): listed live from `getRecordings` (nothing is
//! stored in Aula), and changed on BBB itself — publish, protect, rename (`meta_name`), delete.
//! Every change re-checks the caller's power and that the recording belongs to this room's
//! `meetingID` by listing the room's recordings: a record id from the browser is only a name.

use super::{
    model::{BbbRecordingsPage, RoomRef},
    playback::{display_name, row_of, still_processing},
    powers::{Powers, for_recordings},
    ssr::{server_of, user_error},
};
use crate::{
    clock::now,
    entities::user,
    error::{AppError, ExternalFailure, FieldCode},
    i18n::Lang,
    state::AppState,
};
use bbb::xml::Recording;

/// The longest recording name Aula stores on BBB.
pub const MAX_NAME: usize = 100;

/// The name a teacher typed, trimmed, or why not.
pub fn valid_name(raw: &str) -> Result<String, FieldCode> {
    let name: String = raw
        .trim()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if name.is_empty() {
        Err(FieldCode::Required)
    } else if name.chars().count() > MAX_NAME {
        Err(FieldCode::TooLong(MAX_NAME as u32))
    } else {
        Ok(name)
    }
}

fn failure_of(e: AppError) -> ExternalFailure {
    match e {
        AppError::External(f) => f,
        _ => ExternalFailure::BbbUnavailable,
    }
}

fn visible(listed: Vec<Recording>, meeting_id: &str, p: &Powers) -> Vec<Recording> {
    let mut out: Vec<Recording> = listed
        .into_iter()
        .filter(|r| r.meeting_id == meeting_id && p.sees(r.published, r.protected))
        .collect();
    out.sort_by_key(|r| std::cmp::Reverse(r.start_time));
    out
}

/// The recordings page of `owner` for the caller.
pub async fn list(
    state: &AppState,
    u: &user::Model,
    owner: RoomRef,
    tz_name: &str,
    lang: Lang,
) -> Result<BbbRecordingsPage, AppError> {
    let r = for_recordings(state, u, owner, lang).await?;
    let mut page = BbbRecordingsPage {
        owner,
        bbb: r.bbb,
        title: r.title,
        processing: false,
        can_publish: r.powers.publish,
        can_rename: r.powers.rename,
        can_delete: r.powers.delete,
        can_see_sessions: r.sessions,
        recordings: Vec::new(),
        error: None,
    };
    let Some(room) = r.room.filter(|_| r.bbb) else {
        return Ok(page);
    };
    let server = match server_of(state, &room).await {
        Ok((_, server)) => server,
        // A server taken out of the registry: say so in the section, not as the page's status.
        Err(e) => {
            page.error = Some(failure_of(e));
            return Ok(page);
        }
    };
    match state
        .bbb
        .recordings(&server, std::slice::from_ref(&room.meeting_id))
        .await
    {
        Ok(listed) => {
            page.processing = still_processing(room.recording_pending_at, &listed, now());
            page.recordings = visible(listed, &room.meeting_id, &r.powers)
                .iter()
                .map(|rec| row_of(rec, tz_name))
                .collect();
        }
        // The page stays usable (and says why the list is empty) when BBB is down.
        Err(e) => {
            page.processing = room.recording_pending_at.is_some();
            page.error = Some(failure_of(user_error(e)));
        }
    }
    Ok(page)
}

/// What a manager does to one recording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Publish(bool),
    Protect(bool),
    Rename(String),
    Delete,
}

impl Change {
    fn allowed(&self, p: &Powers) -> bool {
        match self {
            Change::Publish(_) | Change::Protect(_) => p.publish,
            Change::Rename(_) => p.rename,
            Change::Delete => p.delete,
        }
    }

    fn audit_action(&self) -> &'static str {
        match self {
            Change::Publish(true) => "bbb.recording.publish",
            Change::Publish(false) => "bbb.recording.unpublish",
            Change::Protect(true) => "bbb.recording.protect",
            Change::Protect(false) => "bbb.recording.unprotect",
            Change::Rename(_) => "bbb.recording.rename",
            Change::Delete => "bbb.recording.delete",
        }
    }
}

/// Applies `change` to the room's recording `record_id` on BBB.
pub async fn change(
    state: &AppState,
    u: &user::Model,
    owner: RoomRef,
    record_id: &str,
    change: Change,
) -> Result<(), AppError> {
    let change = match change {
        Change::Rename(raw) => {
            Change::Rename(valid_name(&raw).map_err(|c| AppError::invalid("name", c))?)
        }
        other => other,
    };
    let r = for_recordings(state, u, owner, Lang::default()).await?;
    if !change.allowed(&r.powers) {
        return Err(AppError::Forbidden);
    }
    let room = r.room.ok_or(AppError::NotFound)?;
    let (_, server) = server_of(state, &room).await?;
    let listed = state
        .bbb
        .recordings(&server, std::slice::from_ref(&room.meeting_id))
        .await
        .map_err(user_error)?;
    let rec = listed
        .iter()
        .find(|x| x.record_id == record_id && x.meeting_id == room.meeting_id)
        .ok_or(AppError::NotFound)?;
    let bbb = &state.bbb;
    let done = match &change {
        Change::Publish(on) => bbb.publish(&server, &rec.record_id, *on).await,
        Change::Protect(on) => bbb.set_protected(&server, &rec.record_id, *on).await,
        Change::Rename(name) => {
            bbb.update_meta(&server, &rec.record_id, &[("name".into(), name.clone())])
                .await
        }
        Change::Delete => bbb.delete(&server, &rec.record_id).await,
    };
    done.map_err(user_error)?;
    let detail = match &change {
        Change::Rename(name) => format!("{} → {name}", display_name(rec)),
        _ => display_name(rec),
    };
    crate::audit::record(
        &state.db,
        Some(u.id),
        change.audit_action(),
        &r.title,
        &detail,
    )
    .await
}
#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use bbb::xml::Playback;

    fn recording(start_ms: i64) -> Recording {
        Recording {
            record_id: "r1".into(),
            meeting_id: "m1".into(),
            name: "Optics Lab".into(),
            published: true,
            state: "published".into(),
            start_time: start_ms,
            end_time: start_ms + 3_600_000,
            participants: 3,
            metadata: BTreeMap::new(),
            playback: Playback::default(),
            protected: false,
        }
    }

    #[test]
    fn names_are_trimmed_required_and_at_most_a_hundred_characters() {
        assert_eq!(valid_name("  Week 1 \n"), Ok("Week 1".into()));
        assert_eq!(valid_name("a\tb"), Ok("a b".into()));
        assert_eq!(valid_name("   "), Err(FieldCode::Required));
        assert_eq!(
            valid_name(&"é".repeat(100)).map(|n| n.chars().count()),
            Ok(100)
        );
        assert_eq!(valid_name(&"x".repeat(101)), Err(FieldCode::TooLong(100)));
    }

    #[test]
    fn viewers_get_their_rooms_visible_recordings_newest_first() {
        let mut a = recording(1_000);
        a.record_id = "a".into();
        let mut b = recording(2_000);
        b.record_id = "b".into();
        let mut hidden = recording(3_000);
        hidden.published = false;
        let mut other = recording(4_000);
        other.meeting_id = "elsewhere".into();
        let shown = visible(vec![a, b, hidden, other], "m1", &Powers::default());
        assert_eq!(
            shown
                .iter()
                .map(|r| r.record_id.as_str())
                .collect::<Vec<_>>(),
            ["b", "a"]
        );
    }
}
