//! Attendance server functions. The heartbeat itself is a plain axum route (see the server's
//! `routes/attendance.rs`): it is the hottest path and must not pay for a server-function round.

use leptos::prelude::*;

use super::dto::{ActivityReport, Completion, CourseReport, OpenedSession, PersonReport, Presence};
use crate::error::AppError;

/// Opens an attendance session for this tab; the page calls it on `videoConferenceJoined`.
/// `client_ms` is the browser's `Date.now()`, used only to compare its later heartbeats with
/// each other.
#[server(endpoint = "attendance/open")]
pub async fn open_attendance(activity_id: i32, client_ms: i64) -> Result<OpenedSession, AppError> {
    use crate::request::Respond;
    service::open(activity_id, client_ms).await.respond()
}

/// The caller's own minutes and completion in one activity.
#[server(endpoint = "attendance/mine")]
pub async fn my_completion(activity_id: i32) -> Result<Completion, AppError> {
    use crate::request::Respond;
    service::mine(activity_id).await.respond()
}

/// The activity's report; a caller without `viewattendance` gets only their own row.
#[server(endpoint = "attendance/activity")]
pub async fn activity_attendance(
    activity_id: i32,
    from: Option<String>,
    to: Option<String>,
) -> Result<ActivityReport, AppError> {
    use crate::request::Respond;
    service::activity(activity_id, from, to).await.respond()
}

/// One person's intervals: their own, or anyone's with `viewattendance`.
#[server(endpoint = "attendance/person")]
pub async fn person_attendance(activity_id: i32, user_id: i32) -> Result<PersonReport, AppError> {
    use crate::request::Respond;
    service::person(activity_id, user_id).await.respond()
}

#[server(endpoint = "attendance/course")]
pub async fn course_attendance(course_id: i32) -> Result<CourseReport, AppError> {
    use crate::request::Respond;
    service::course(course_id).await.respond()
}

/// Who is in the meeting now (capability `viewusersonsession`).
#[server(endpoint = "attendance/presence")]
pub async fn live_presence(activity_id: i32) -> Result<Presence, AppError> {
    use crate::request::Respond;
    service::presence(activity_id).await.respond()
}

#[cfg(feature = "ssr")]
pub mod service {
    use sea_orm::EntityTrait;

    use super::super::{
        dto::{ActivityReport, Completion, CourseReport, OpenedSession, PersonReport, Presence},
        reports::{self, ReportScope},
        store::{self, Attendee},
        token::SessionToken,
    };
    use crate::{
        activities::model::Window,
        capabilities::{
            Capability,
            ssr::{ActivityAccess, require_activity_cap, require_course_cap},
        },
        entities::{activity, course},
        error::{AppError, ConflictReason},
        request::{Caller, optional_user, require_user},
    };

    /// May the caller see everyone's attendance in this activity?
    fn sees_all(access: &ActivityAccess) -> bool {
        access.can(Capability::ViewAttendance)
    }

    /// Opens a session for a signed-in user, or for a guest whose link still admits them.
    pub async fn open(activity_id: i32, client_ms: i64) -> Result<OpenedSession, AppError> {
        if !super::super::beat::plausible_client_ms(client_ms) {
            return Err(AppError::BadRequest(
                "client_ms is not a plausible browser clock reading.".into(),
            ));
        }
        let (state, headers, user) = optional_user().await?;
        let db = &state.db;
        let now = state.clock.now_ms();
        let (who, a, moderator) = match user {
            Some(u) => {
                let access = require_activity_cap(db, &u, activity_id, Capability::View).await?;
                let moderator = access.can(Capability::Moderation);
                (Attendee::User(u.id), access.activity, moderator)
            }
            None => {
                let (guest, link) = crate::guests::ssr::guest_from_headers(db, &headers)
                    .await?
                    .ok_or(AppError::Unauthenticated)?;
                if link.activity_id != activity_id {
                    return Err(AppError::Forbidden);
                }
                let a = activity::Entity::find_by_id(activity_id)
                    .one(db)
                    .await?
                    .ok_or(AppError::NotFound)?;
                let who = Attendee::Guest {
                    use_id: guest.id,
                    name: guest.display_name,
                };
                (who, a, false)
            }
        };
        let w = Window {
            opens_at: a.opens_at,
            closes_at: a.closes_at,
            early_entry_minutes: i64::from(a.early_entry_minutes),
        };
        if !w.can_enter(now / 1000, moderator) {
            return Err(AppError::Conflict(if now / 1000 >= a.closes_at {
                ConflictReason::Closed
            } else {
                ConflictReason::NotOpenYet
            }));
        }
        let (session_id, anchor) = store::open_session(db, activity_id, &who, now, client_ms)
            .await
            .map_err(|e| match e {
                store::OpenError::TooFast => AppError::RateLimited,
                store::OpenError::Db(e) => AppError::from(e),
            })?;
        let hub = &state.attendance;
        Ok(OpenedSession {
            token: hub.sign(&SessionToken {
                session_id,
                user_id: who.token_id(),
                activity_id,
                anchor,
            }),
            heartbeat_ms: hub.settings.heartbeat_ms,
        })
    }

    pub async fn mine(activity_id: i32) -> Result<Completion, AppError> {
        let c = require_user().await?;
        let db = &c.state.db;
        let access = require_activity_cap(db, &c.user, activity_id, Capability::View).await?;
        let mut all =
            reports::completions(db, c.user.id, std::slice::from_ref(&access.activity)).await?;
        all.remove(&activity_id).ok_or(AppError::NotFound)
    }

    async fn course_of(c: &Caller, course_id: i32) -> Result<course::Model, AppError> {
        course::Entity::find_by_id(course_id)
            .one(&c.state.db)
            .await?
            .ok_or(AppError::NotFound)
    }

    pub async fn activity(
        activity_id: i32,
        from: Option<String>,
        to: Option<String>,
    ) -> Result<ActivityReport, AppError> {
        let c = require_user().await?;
        activity_for(&c, activity_id, from, to).await
    }

    /// Also used by the CSV and XLSX exports, which are plain routes.
    pub async fn activity_for(
        c: &Caller,
        activity_id: i32,
        from: Option<String>,
        to: Option<String>,
    ) -> Result<ActivityReport, AppError> {
        let db = &c.state.db;
        let access = require_activity_cap(db, &c.user, activity_id, Capability::View).await?;
        let course = course_of(c, access.activity.course_id).await?;
        let tz = c.tz();
        reports::activity_report(
            db,
            ReportScope {
                activity: &access.activity,
                course: &course,
                only: (!sees_all(&access)).then_some(c.user.id),
                // Presence matters while the meeting can still be going on.
                can_see_presence: access.can(Capability::ViewUsersOnSession)
                    && c.state.clock.now_ms() < access.activity.closes_at * 1000,
                tz: &tz,
            },
            from.as_deref(),
            to.as_deref(),
        )
        .await
    }

    pub async fn person(activity_id: i32, user_id: i32) -> Result<PersonReport, AppError> {
        let c = require_user().await?;
        let db = &c.state.db;
        let access = require_activity_cap(db, &c.user, activity_id, Capability::View).await?;
        if user_id != c.user.id && !sees_all(&access) {
            return Err(AppError::Forbidden);
        }
        reports::person_report(db, &access.activity, user_id, &c.tz()).await
    }

    pub async fn course(course_id: i32) -> Result<CourseReport, AppError> {
        let c = require_user().await?;
        let db = &c.state.db;
        let (course, actor) = require_course_cap(db, &c.user, course_id, Capability::View).await?;
        let mut visible = Vec::new();
        let mut see_all = true;
        let all = crate::courses::ssr::activities_of(db, course_id).await?;
        let ids: Vec<i32> = all.iter().map(|a| a.id).collect();
        // One query for every activity's overrides, not one per activity.
        let overrides = crate::capabilities::ssr::overrides_for(db, &ids).await?;
        for a in all {
            let o = overrides.get(&a.id).map(Vec::as_slice).unwrap_or(&[]);
            if crate::capabilities::resolve(actor, Capability::View, o) {
                see_all &= crate::capabilities::resolve(actor, Capability::ViewAttendance, o);
                visible.push(a);
            }
        }
        // Heartbeats stop at closing + grace; the access cache may hold an old closing time for
        // another minute. After that an activity's intervals no longer change.
        let settled_before = c.state.clock.now_ms() - c.state.attendance.settings.grace_ms - 61_000;
        crate::attendance::course::course_report(
            db,
            &course,
            &visible,
            (c.user.id, see_all),
            settled_before,
            &c.tz(),
        )
        .await
    }

    pub async fn presence(activity_id: i32) -> Result<Presence, AppError> {
        let c = require_user().await?;
        let db = &c.state.db;
        let access = require_activity_cap(db, &c.user, activity_id, Capability::View).await?;
        if !access.can(Capability::ViewUsersOnSession) {
            return Err(AppError::Forbidden);
        }
        let hub = &c.state.attendance;
        crate::attendance::presence::presence(
            db,
            activity_id,
            c.state.clock.now_ms(),
            hub.settings.grace_ms,
            &c.tz(),
        )
        .await
    }
}
