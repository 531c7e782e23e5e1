//! The session log: what BigBlueButton's analytics callback reported for each run of a room —
//! when it ran and, per attendee, minutes present, talk time, chat messages and raised hands.
//! Activities show it to `viewattendance` holders, meetings to their owners.

use leptos::prelude::*;

use super::model::{RoomRef, SessionLogPage};
use crate::error::AppError;

#[server(endpoint = "rooms/sessions")]
pub async fn bbb_session_log(owner: RoomRef) -> Result<SessionLogPage, AppError> {
    use crate::request::{Respond, require_user};
    async {
        let c = require_user().await?;
        service::log(&c.state, &c.user, owner, &c.tz()).await
    }
    .await
    .respond()
}

#[cfg(feature = "ssr")]
pub mod service {
    use std::collections::HashMap;

    use bbb::callback::{AnalyticsAttendee, presence_intervals};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

    use super::super::{
        model::{RoomRef, SessionAttendeeRow, SessionLogPage, SessionRow},
        powers::for_log,
    };
    use crate::{
        attendance::model::{Span, total, union, whole_minutes},
        entities::{bbb_session_attendee as attendee, bbb_session_log as log, user},
        error::AppError,
        state::AppState,
        tz,
    };

    /// The newest sessions shown; older ones stay stored.
    const SHOWN: u64 = 100;

    /// Minutes present: the union of the attendee's stays, so several tabs count once.
    pub fn minutes_present(joins: &[i64], leaves: &[i64], finish_ms: i64) -> i64 {
        let a = AnalyticsAttendee {
            ext_user_id: String::new(),
            name: String::new(),
            moderator: false,
            joins_ms: joins.to_vec(),
            leaves_ms: leaves.to_vec(),
            duration_secs: 0,
            talk_time_secs: 0,
            chats: 0,
            talks: 0,
            raisehand: 0,
            poll_votes: 0,
            emojis: 0,
        };
        let spans = presence_intervals(&a, finish_ms)
            .into_iter()
            .map(|(s, e)| Span::new(s, e))
            .collect();
        whole_minutes(total(&union(spans)))
    }

    fn instants(json: &str) -> Vec<i64> {
        serde_json::from_str(json).unwrap_or_default()
    }

    fn row_of(
        a: &attendee::Model,
        finish_ms: i64,
        names: &HashMap<i32, String>,
    ) -> SessionAttendeeRow {
        SessionAttendeeRow {
            // An Aula user's current name; else the one BBB reported.
            name: a
                .user_id
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or_else(|| a.name.clone()),
            guest: a.ext_user_id.starts_with("guest:"),
            minutes: minutes_present(&instants(&a.joins), &instants(&a.leaves), finish_ms),
            talk_secs: a.talk_time_secs,
            chats: a.chats,
            raise_hands: a.raise_hands,
            moderator: a.moderator,
        }
    }

    pub async fn log(
        state: &AppState,
        u: &user::Model,
        owner: RoomRef,
        tz_name: &str,
    ) -> Result<SessionLogPage, AppError> {
        let (bbb, room) = for_log(state, u, owner).await?;
        let mut page = SessionLogPage {
            bbb,
            sessions: Vec::new(),
        };
        let Some(room) = room.filter(|_| bbb) else {
            return Ok(page);
        };
        let db = &state.db;
        let logs = log::Entity::find()
            .filter(log::Column::RoomId.eq(room.id))
            .order_by_desc(log::Column::StartedMs)
            .limit(SHOWN)
            .all(db)
            .await?;
        let mut by_log: HashMap<i32, Vec<attendee::Model>> = HashMap::new();
        for a in attendee::Entity::find()
            .filter(attendee::Column::LogId.is_in(logs.iter().map(|l| l.id)))
            .all(db)
            .await?
        {
            by_log.entry(a.log_id).or_default().push(a);
        }
        let user_ids: Vec<i32> = by_log
            .values()
            .flatten()
            .filter_map(|a| a.user_id)
            .collect();
        let names: HashMap<i32, String> = user::Entity::find()
            .filter(user::Column::Id.is_in(user_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect();
        for l in logs {
            let mut attendees: Vec<SessionAttendeeRow> = by_log
                .remove(&l.id)
                .unwrap_or_default()
                .iter()
                .map(|a| row_of(a, l.finished_ms, &names))
                .collect();
            attendees.sort_by(|x, y| {
                y.moderator
                    .cmp(&x.moderator)
                    .then_with(|| x.name.to_lowercase().cmp(&y.name.to_lowercase()))
            });
            page.sessions.push(SessionRow {
                started: tz::format_local_ms(l.started_ms, tz_name),
                finished: tz::format_ms(l.finished_ms, tz_name, "%H:%M"),
                minutes: (l.finished_ms - l.started_ms).max(0) / 60_000,
                attendees,
            });
        }
        Ok(page)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn two_tabs_count_once_and_a_stay_left_open_ends_with_the_meeting() {
            const MIN: i64 = 60_000;
            // Two overlapping tabs from 0 to 10 and 5 to 15 min: 15 minutes.
            assert_eq!(
                minutes_present(&[0, 5 * MIN], &[10 * MIN, 15 * MIN], 60 * MIN),
                15
            );
            // Joined at 50 min and never left: until the finish at 60.
            assert_eq!(minutes_present(&[50 * MIN], &[], 60 * MIN), 10);
            assert_eq!(minutes_present(&[], &[], 60 * MIN), 0);
        }
    }
}
