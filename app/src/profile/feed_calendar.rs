//! What a user's calendar feed lists (server only): every activity they may see in the courses
//! they are enrolled in (single events in UTC, as the course calendars write them), and every
//! meeting they own, co-own or were invited to by e-mail (one event per series, with its `RRULE`
//! and `VTIMEZONE`, the same UID as the invitation's). Descriptions never hold an access code.
//!
//! Sessions that ended more than a year ago are left out, so a feed stays small over the years
//! while last term's sessions stay in people's calendars.

use std::collections::{HashMap, HashSet};

use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::{
    capabilities::{Actor, Capability, CourseRole, resolve, ssr::overrides_for},
    entities::{activity, course, enrolment, meeting, meeting_invitation, meeting_owner, user},
    error::AppError,
    i18n::{Lang, fill},
    meetings::{
        ics::{IcsEvent, calendar},
        invite::{describe_meeting, meeting_event, uid_host},
        invite_texts::feed_texts_for,
        occurrences::last_occurrence,
        ssr::{recurrence_of, url_of},
    },
};

/// Sessions that ended longer ago than this are left out.
pub const HISTORY_SECS: i64 = 365 * 86_400;

/// The whole feed of `u` as an `.ics` text (no `METHOD`: a published calendar).
pub async fn user_calendar(
    db: &DatabaseConnection,
    u: &user::Model,
    public_url: &str,
    at: i64,
) -> Result<String, AppError> {
    let since = at - HISTORY_SECS;
    let mut events = activity_events(db, u, public_url, since).await?;
    events.extend(meeting_events(db, u, public_url, since).await?);
    let t = feed_texts_for(Lang::parse(&u.language).unwrap_or_default());
    Ok(calendar(
        &fill(t.calendar_name, &[&u.display_name]),
        None,
        &events,
    ))
}

async fn activity_events(
    db: &DatabaseConnection,
    u: &user::Model,
    public_url: &str,
    since: i64,
) -> Result<Vec<IcsEvent>, AppError> {
    let roles: HashMap<i32, Option<CourseRole>> = enrolment::Entity::find()
        .filter(enrolment::Column::UserId.eq(u.id))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.course_id, Some(e.role)))
        .collect();
    if roles.is_empty() {
        return Ok(Vec::new());
    }
    let course_ids: Vec<i32> = roles.keys().copied().collect();
    let courses: HashMap<i32, String> = course::Entity::find()
        .filter(course::Column::Id.is_in(course_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let activities = activity::Entity::find()
        .filter(activity::Column::CourseId.is_in(course_ids))
        .filter(activity::Column::ClosesAt.gte(since))
        .order_by_asc(activity::Column::OpensAt)
        .all(db)
        .await?;
    let ids: Vec<i32> = activities.iter().map(|a| a.id).collect();
    let overrides = overrides_for(db, &ids).await?;
    let host = uid_host(public_url);
    let base = public_url.trim_end_matches('/');
    Ok(activities
        .into_iter()
        .filter(|a| {
            let actor = Actor {
                site_admin: u.is_admin,
                role: roles.get(&a.course_id).copied().flatten(),
            };
            // Per-activity overrides can hide an activity from a role, as on the course page.
            resolve(
                actor,
                Capability::View,
                overrides.get(&a.id).map_or(&[], Vec::as_slice),
            )
        })
        .map(|a| {
            let url = format!("{base}/activities/{}", a.id);
            let mut description = courses.get(&a.course_id).cloned().unwrap_or_default();
            if !a.description.trim().is_empty() {
                description.push_str("\n\n");
                description.push_str(a.description.trim());
            }
            description.push_str("\n\n");
            description.push_str(&url);
            IcsEvent {
                uid: format!("activity-{}@{host}", a.id),
                summary: a.name,
                description,
                url,
                start: a.opens_at,
                duration_secs: (a.closes_at - a.opens_at).max(0),
                tz: "UTC".into(),
                rule: None,
                organizer: None,
                attendees: Vec::new(),
                stamp: a.updated_at,
                sequence: 0,
                alarm_minutes: None,
            }
        })
        .collect())
}

async fn meeting_events(
    db: &DatabaseConnection,
    u: &user::Model,
    public_url: &str,
    since: i64,
) -> Result<Vec<IcsEvent>, AppError> {
    let co_owned: Vec<i32> = meeting_owner::Entity::find()
        .filter(meeting_owner::Column::UserId.eq(u.id))
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.meeting_id)
        .collect();
    // Invitations are stored lowercased (`Email::parse`); so are accounts' addresses, but a
    // lowercase comparison costs nothing.
    let invited: HashSet<i32> = meeting_invitation::Entity::find()
        .filter(meeting_invitation::Column::Email.eq(u.email.to_lowercase()))
        .all(db)
        .await?
        .into_iter()
        .map(|i| i.meeting_id)
        .collect();
    let meetings: Vec<meeting::Model> = meeting::Entity::find()
        .filter(meeting::Column::IsPersonal.eq(false))
        .filter(
            Condition::any()
                .add(meeting::Column::OwnerId.eq(u.id))
                .add(meeting::Column::Id.is_in(co_owned))
                .add(meeting::Column::Id.is_in(invited)),
        )
        .order_by_asc(meeting::Column::StartsAt)
        .all(db)
        .await?
        .into_iter()
        .filter(|m| {
            let last = last_occurrence(m.starts_at, &m.time_zone, recurrence_of(m).as_ref());
            last.is_some_and(|s| s + i64::from(m.duration_minutes) * 60 >= since)
        })
        .collect();
    let owner_ids: HashSet<i32> = meetings.iter().map(|m| m.owner_id).collect();
    let owners: HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(owner_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    Ok(meetings
        .iter()
        .map(|m| {
            let description = describe_meeting(&m.welcome, &url_of(public_url, &m.public_id));
            meeting_event(m, owners.get(&m.owner_id), public_url, description)
        })
        .collect())
}
