//! The analytics callback: one report per run of a room (BBB's `internal_meeting_id`), stored as
//! the session log and, for an activity's room, merged into attendance as closed sessions so every
//! report (activity, course, completion, `attendance/mine`) counts BBB time with no change of its
//! own. All of it happens in one transaction; a report delivered twice changes nothing.
//!
//! Who gets the time: BBB's `ext_user_id` is the `userID` Aula joined people with — an Aula user
//! id, or `guest:<guest use id>` (`activities::bbb`). In a shared session (other activities meet
//! in this room) a user is credited in the activities of the courses they are enrolled in, and in
//! the room's own activity when in none of them (an admin, say); a guest in the activity whose
//! link they came through. As heartbeats are, time is counted up to the activity's close.

use std::collections::{HashMap, HashSet};

use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, DbErr,
    EntityTrait, QueryFilter, QuerySelect, Set,
};

use super::{Refused, live_room};
use crate::{
    clock::now,
    entities::{
        activity, attendance_interval as iv, attendance_session as sess, attendance_summary,
        bbb_session_attendee, bbb_session_log, enrolment, guest_link, guest_use, user,
    },
    rooms::ssr::server_of,
    state::AppState,
};
use bbb::callback::{
    AnalyticsReport, parse_analytics, presence_intervals, verify_analytics_bearer,
};

/// What a delivery did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// A new session: its attendees, and how many attendance sessions were credited.
    New { attendees: usize, credited: usize },
    /// This run was already reported; nothing changed.
    Duplicate,
}

/// Who an attendee is in Aula, from the `userID` Aula joined them with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ext {
    User(i32),
    /// A `guest_uses` id.
    Guest(i32),
    /// Someone Aula cannot map (a meeting's guest, a direct BBB join).
    Other,
}

pub fn ext_identity(ext_user_id: &str) -> Ext {
    let positive = |s: &str| s.parse::<i32>().ok().filter(|n| *n > 0);
    match ext_user_id.trim().strip_prefix("guest:") {
        Some(rest) => positive(rest).map_or(Ext::Other, Ext::Guest),
        None => positive(ext_user_id.trim()).map_or(Ext::Other, Ext::User),
    }
}

/// Spans capped at `close_ms` (as heartbeats are at the activity's close); empty ones dropped.
pub fn capped(spans: &[(i64, i64)], close_ms: i64) -> Vec<(i64, i64)> {
    spans
        .iter()
        .map(|&(s, e)| (s, e.min(close_ms)))
        .filter(|(s, e)| e > s)
        .collect()
}

/// The activities (of those meeting in this room) a user is credited in: the ones of courses
/// they are enrolled in, else the room's own.
pub fn credited_in(rooms: &[(i32, i32)], own: i32, enrolled: &HashSet<i32>) -> Vec<i32> {
    let mine: Vec<i32> = rooms
        .iter()
        .filter(|(_, course)| enrolled.contains(course))
        .map(|(activity, _)| *activity)
        .collect();
    if mine.is_empty() { vec![own] } else { mine }
}

fn clip(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

fn count(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// `POST /bbb/analytics`.
pub async fn analytics(
    state: &AppState,
    authorization: Option<&str>,
    body: &[u8],
) -> Result<Stored, Refused> {
    let report = parse_analytics(body)?;
    let room = live_room(state, &report.meeting_id).await?;
    let (_, server) = server_of(state, &room).await?;
    // A missing or garbled bearer is as unauthenticated as a wrong one.
    verify_analytics_bearer(authorization.unwrap_or_default(), &server.secret, now())
        .map_err(|_| Refused::BadSignature)?;
    let run = clip(&report.internal_meeting_id, 128);
    let txn = crate::txn::begin_write(&state.db).await?;
    if already(&txn, room.id, &run).await? {
        return Ok(Stored::Duplicate);
    }
    match store(&txn, room.id, room.activity_id, &run, &report).await {
        Ok(stored) => {
            txn.commit().await?;
            tracing::info!(
                room = room.id,
                ?stored,
                "BigBlueButton: session report stored"
            );
            Ok(stored)
        }
        // Two deliveries raced and the other one committed first (the unique index held).
        Err(e) => {
            drop(txn);
            if already(&state.db, room.id, &run).await? {
                Ok(Stored::Duplicate)
            } else {
                Err(e.into())
            }
        }
    }
}

async fn already(db: &impl ConnectionTrait, room_id: i32, run: &str) -> Result<bool, DbErr> {
    Ok(bbb_session_log::Entity::find()
        .filter(bbb_session_log::Column::RoomId.eq(room_id))
        .filter(bbb_session_log::Column::InternalMeetingId.eq(run))
        .one(db)
        .await?
        .is_some())
}

async fn store(
    txn: &DatabaseTransaction,
    room_id: i32,
    activity_id: Option<i32>,
    run: &str,
    report: &AnalyticsReport,
) -> Result<Stored, DbErr> {
    let user_ids: Vec<i32> = report
        .attendees
        .iter()
        .filter_map(|a| match ext_identity(&a.ext_user_id) {
            Ext::User(id) => Some(id),
            _ => None,
        })
        .collect();
    let users: HashSet<i32> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::Id.is_in(user_ids))
        .into_tuple::<i32>()
        .all(txn)
        .await?
        .into_iter()
        .collect();
    let log = bbb_session_log::ActiveModel {
        room_id: Set(room_id),
        internal_meeting_id: Set(run.to_owned()),
        started_ms: Set(report.start_ms),
        finished_ms: Set(report.finish_ms),
        duration_secs: Set(report.duration_secs),
        received_at: Set(now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    for a in &report.attendees {
        let user_id = match ext_identity(&a.ext_user_id) {
            Ext::User(id) if users.contains(&id) => Some(id),
            _ => None,
        };
        bbb_session_attendee::ActiveModel {
            log_id: Set(log.id),
            ext_user_id: Set(clip(&a.ext_user_id, 128)),
            user_id: Set(user_id),
            name: Set(clip(&a.name, 255)),
            moderator: Set(a.moderator),
            duration_secs: Set(a.duration_secs),
            talk_time_secs: Set(a.talk_time_secs),
            chats: Set(count(a.chats)),
            talks: Set(count(a.talks)),
            raise_hands: Set(count(a.raisehand)),
            poll_votes: Set(count(a.poll_votes)),
            joins: Set(serde_json::to_string(&a.joins_ms).unwrap_or_else(|_| "[]".into())),
            leaves: Set(serde_json::to_string(&a.leaves_ms).unwrap_or_else(|_| "[]".into())),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    let credited = match activity_id {
        Some(id) => merge(txn, id, report, &users).await?,
        None => 0,
    };
    Ok(Stored::New {
        attendees: report.attendees.len(),
        credited,
    })
}

/// Adds each attendee's presence to attendance as closed sessions; returns how many.
async fn merge(
    txn: &DatabaseTransaction,
    own: i32,
    report: &AnalyticsReport,
    users: &HashSet<i32>,
) -> Result<usize, DbErr> {
    let mut activities: Vec<activity::Model> = activity::Entity::find()
        .filter(
            Condition::any()
                .add(activity::Column::Id.eq(own))
                .add(activity::Column::RoomSourceId.eq(own)),
        )
        .all(txn)
        .await?;
    activities.sort_by_key(|a| a.id != own);
    let by_id: HashMap<i32, &activity::Model> = activities.iter().map(|a| (a.id, a)).collect();
    if !by_id.contains_key(&own) {
        return Ok(0);
    }
    let rooms: Vec<(i32, i32)> = activities.iter().map(|a| (a.id, a.course_id)).collect();
    let mut enrolled: HashMap<i32, HashSet<i32>> = HashMap::new();
    for e in enrolment::Entity::find()
        .filter(enrolment::Column::UserId.is_in(users.iter().copied()))
        .filter(enrolment::Column::CourseId.is_in(rooms.iter().map(|r| r.1)))
        .all(txn)
        .await?
    {
        enrolled.entry(e.user_id).or_default().insert(e.course_id);
    }
    let guest_ids: Vec<i32> = report
        .attendees
        .iter()
        .filter_map(|a| match ext_identity(&a.ext_user_id) {
            Ext::Guest(id) => Some(id),
            _ => None,
        })
        .collect();
    let guests: Vec<guest_use::Model> = guest_use::Entity::find()
        .filter(guest_use::Column::Id.is_in(guest_ids))
        .all(txn)
        .await?;
    let link_activity: HashMap<i32, i32> = guest_link::Entity::find()
        .filter(guest_link::Column::Id.is_in(guests.iter().map(|g| g.link_id)))
        .all(txn)
        .await?
        .into_iter()
        .map(|l| (l.id, l.activity_id))
        .collect();

    let none = HashSet::new();
    let mut credited = 0;
    let mut touched: HashSet<i32> = HashSet::new();
    for a in &report.attendees {
        let spans = presence_intervals(a, report.finish_ms);
        // (activity, user, guest use) for each place this attendee's time goes.
        let targets: Vec<(i32, Option<i32>, Option<&guest_use::Model>)> =
            match ext_identity(&a.ext_user_id) {
                Ext::User(id) if users.contains(&id) => {
                    credited_in(&rooms, own, enrolled.get(&id).unwrap_or(&none))
                        .into_iter()
                        .map(|act| (act, Some(id), None))
                        .collect()
                }
                Ext::Guest(id) => guests
                    .iter()
                    .find(|g| g.id == id)
                    .and_then(|g| {
                        let act = *link_activity.get(&g.link_id)?;
                        by_id.contains_key(&act).then_some((act, None, Some(g)))
                    })
                    .into_iter()
                    .collect(),
                _ => Vec::new(),
            };
        for (act, user_id, guest) in targets {
            let Some(activity) = by_id.get(&act) else {
                continue;
            };
            let kept = capped(&spans, activity.closes_at * 1000);
            let (Some(first), Some(last)) = (kept.first(), kept.iter().map(|s| s.1).max()) else {
                continue;
            };
            let guest_key = guest.map(|g| crate::attendance::store::guest_key(g.id));
            let session = sess::ActiveModel {
                activity_id: Set(act),
                user_id: Set(user_id),
                guest_key: Set(guest_key.clone()),
                guest_name: Set(guest.map(|g| g.display_name.clone())),
                opened_ms: Set(first.0),
                closed_ms: Set(Some(last)),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            iv::Entity::insert_many(kept.iter().map(|&(start, end)| iv::ActiveModel {
                session_id: Set(session.id),
                activity_id: Set(act),
                user_id: Set(user_id),
                guest_key: Set(guest_key.clone()),
                start_ms: Set(start),
                last_seen_ms: Set(end),
                end_ms: Set(Some(end)),
                last_seq: Set(0),
                last_client_ms: Set(end),
                ..Default::default()
            }))
            .exec(txn)
            .await?;
            credited += 1;
            touched.insert(act);
        }
    }
    if !touched.is_empty() {
        // Stored totals of these activities are stale now (see `attendance::course`).
        attendance_summary::Entity::delete_many()
            .filter(attendance_summary::Column::ActivityId.is_in(touched))
            .exec(txn)
            .await?;
    }
    Ok(credited)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_ids_and_guest_keys_map_back_to_aula_people() {
        assert_eq!(ext_identity("42"), Ext::User(42));
        assert_eq!(ext_identity("guest:7"), Ext::Guest(7));
        assert_eq!(ext_identity("guest:Xy9kLm"), Ext::Other);
        assert_eq!(ext_identity("w_abc123"), Ext::Other);
        assert_eq!(ext_identity("-3"), Ext::Other);
        assert_eq!(ext_identity(""), Ext::Other);
    }

    #[test]
    fn time_after_the_activity_closes_is_not_counted() {
        let spans = [(0, 100), (150, 300), (400, 500)];
        assert_eq!(capped(&spans, 200), vec![(0, 100), (150, 200)]);
        assert_eq!(capped(&spans, 1_000), spans.to_vec());
    }

    #[test]
    fn a_user_is_credited_where_they_are_enrolled_else_in_the_rooms_own_activity() {
        let rooms = [(1, 10), (2, 20), (3, 30)];
        let set = |c: &[i32]| c.iter().copied().collect::<HashSet<i32>>();
        assert_eq!(credited_in(&rooms, 1, &set(&[20])), vec![2]);
        assert_eq!(credited_in(&rooms, 1, &set(&[10, 30])), vec![1, 3]);
        assert_eq!(credited_in(&rooms, 1, &set(&[])), vec![1]);
        assert_eq!(credited_in(&rooms, 1, &set(&[99])), vec![1]);
    }
}
