//! Activity server functions. Each one checks the caller's capability on the server; the browser
//! sends only ids and form values, never roles or room names.

// The create/update functions take one argument per form field, as HTML forms post them.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::dto::{ActivityFormData, JoinInfo, JoinTicket};
use crate::error::AppError;

/// Initial values for the create (`activity_id` absent) or edit form.
#[server(endpoint = "activities/form")]
pub async fn get_activity_form(
    course_id: i32,
    activity_id: Option<i32>,
) -> Result<ActivityFormData, AppError> {
    use crate::request::Respond;
    service::form(course_id, activity_id).await.respond()
}

#[server(endpoint = "activities/create")]
pub async fn create_activity(
    course_id: i32,
    name: String,
    description: String,
    opens_at: String,
    closes_at: String,
    early_entry_minutes: String,
    completion_minutes: String,
    server_id: i32,
) -> Result<i32, AppError> {
    use crate::{
        capabilities::{Capability, ssr::require_course_cap},
        request::{Respond, require_user},
    };
    async {
        let c = require_user().await?;
        require_course_cap(&c.state.db, &c.user, course_id, Capability::AddInstance).await?;
        let v = service::draft(
            &c.tz(),
            name,
            description,
            &opens_at,
            &closes_at,
            early_entry_minutes,
            completion_minutes,
        )
        .validate()?;
        Ok(super::ssr::create(&c.state.db, course_id, v, server_id)
            .await?
            .id)
    }
    .await
    .respond()
}

#[server(endpoint = "activities/update")]
pub async fn update_activity(
    activity_id: i32,
    name: String,
    description: String,
    opens_at: String,
    closes_at: String,
    early_entry_minutes: String,
    completion_minutes: String,
    server_id: i32,
) -> Result<i32, AppError> {
    use crate::{
        capabilities::{Capability, ssr::require_activity_cap},
        request::{Respond, require_user},
    };
    async {
        let c = require_user().await?;
        let access =
            require_activity_cap(&c.state.db, &c.user, activity_id, Capability::AddInstance)
                .await?;
        let v = service::draft(
            &c.tz(),
            name,
            description,
            &opens_at,
            &closes_at,
            early_entry_minutes,
            completion_minutes,
        )
        .validate()?;
        Ok(
            super::ssr::update(&c.state.db, access.activity, v, server_id)
                .await?
                .course_id,
        )
    }
    .await
    .respond()
}

/// Deletes the activity; returns its course id for the redirect.
#[server(endpoint = "activities/delete")]
pub async fn delete_activity(activity_id: i32) -> Result<i32, AppError> {
    use crate::{
        capabilities::{Capability, ssr::require_activity_cap},
        request::{Respond, require_user},
    };
    async {
        let c = require_user().await?;
        let access =
            require_activity_cap(&c.state.db, &c.user, activity_id, Capability::AddInstance)
                .await?;
        super::ssr::delete(&c.state.db, activity_id).await?;
        Ok(access.activity.course_id)
    }
    .await
    .respond()
}

/// Sets one role's permission for one capability on this activity: "inherit", "allow" or "prevent".
#[server(endpoint = "activities/override")]
pub async fn set_capability_override(
    activity_id: i32,
    role: String,
    capability: String,
    setting: String,
) -> Result<(), AppError> {
    use crate::{
        capabilities::{Capability, CourseRole, ssr::require_activity_cap},
        error::FieldCode,
        request::{Respond, require_user},
    };
    async {
        let c = require_user().await?;
        require_activity_cap(&c.state.db, &c.user, activity_id, Capability::AddInstance).await?;
        let role = CourseRole::parse(&role)
            .ok_or_else(|| AppError::invalid("role", FieldCode::UnknownRole))?;
        let cap = Capability::parse(&capability)
            .filter(|c| !c.is_course_level())
            .ok_or_else(|| AppError::invalid("capability", FieldCode::InvalidChoice))?;
        let allow = match setting.as_str() {
            "inherit" => None,
            "allow" => Some(true),
            "prevent" => Some(false),
            _ => return Err(AppError::invalid("setting", FieldCode::InvalidChoice)),
        };
        super::ssr::set_override(&c.state.db, activity_id, role, cap, allow).await
    }
    .await
    .respond()
}

#[server(endpoint = "activities/info")]
pub async fn get_join_info(activity_id: i32) -> Result<JoinInfo, AppError> {
    use crate::request::Respond;
    service::join_info(activity_id).await.respond()
}

/// Issues the meeting parameters, if the caller may enter now.
#[server(endpoint = "activities/join")]
pub async fn join_activity(activity_id: i32) -> Result<JoinTicket, AppError> {
    use crate::request::Respond;
    service::join(activity_id).await.respond()
}

#[cfg(feature = "ssr")]
mod service {
    use sea_orm::EntityTrait;

    use super::super::{
        dto::{ActivityFormData, JoinInfo, JoinTicket, OverrideRow},
        model::{ActivityDraft, Phase, Window},
    };
    use crate::{
        activities::ssr::Identity,
        auth::ssr::to_current_user,
        capabilities::{
            Capability, CourseRole,
            ssr::{require_activity_cap, require_course_cap},
        },
        clock::now,
        entities::course,
        error::{AppError, ConflictReason},
        request::{request_lang, require_user},
        tz,
    };

    pub fn draft(
        tz_name: &str,
        name: String,
        description: String,
        opens_at: &str,
        closes_at: &str,
        early_entry_minutes: String,
        completion_minutes: String,
    ) -> ActivityDraft {
        ActivityDraft {
            name,
            description,
            opens_at: tz::parse_input(opens_at, tz_name),
            closes_at: tz::parse_input(closes_at, tz_name),
            early_entry_minutes,
            completion_minutes,
        }
    }

    pub async fn form(
        course_id: i32,
        activity_id: Option<i32>,
    ) -> Result<ActivityFormData, AppError> {
        let c = require_user().await?;
        let db = &c.state.db;
        let tz_name = c.tz();
        let servers = crate::servers::ssr::servers(db).await?;
        let default_server = servers
            .iter()
            .find(|s| s.is_default)
            .or(servers.first())
            .map_or(0, |s| s.id);
        let choices = super::super::ssr::server_choices(&servers);
        match activity_id {
            None => {
                let (course, _) =
                    require_course_cap(db, &c.user, course_id, Capability::AddInstance).await?;
                // A sensible default: the next full hour, for one hour.
                let start = (now() / 3600 + 1) * 3600;
                Ok(ActivityFormData {
                    course_id,
                    course_name: course.name,
                    activity_id: None,
                    name: String::new(),
                    description: String::new(),
                    opens_at: tz::to_input(start, &tz_name),
                    closes_at: tz::to_input(start + 3600, &tz_name),
                    early_entry_minutes: "10".into(),
                    completion_minutes: String::new(),
                    server_id: default_server,
                    servers: choices,
                    time_zone: tz_name,
                    overrides: Vec::new(),
                })
            }
            Some(id) => {
                let access = require_activity_cap(db, &c.user, id, Capability::AddInstance).await?;
                let a = access.activity.clone();
                if a.course_id != course_id {
                    return Err(AppError::NotFound);
                }
                let course = course::Entity::find_by_id(a.course_id)
                    .one(db)
                    .await?
                    .ok_or(AppError::NotFound)?;
                let overrides = Capability::ALL
                    .into_iter()
                    .filter(|c| !c.is_course_level())
                    .flat_map(|cap| CourseRole::ALL.map(move |role| (cap, role)))
                    .map(|(capability, role)| OverrideRow {
                        capability,
                        role,
                        default: capability.default_for(role),
                        setting: access
                            .overrides
                            .iter()
                            .find(|o| o.role == role && o.capability == capability)
                            .map(|o| o.allow),
                    })
                    .collect();
                Ok(ActivityFormData {
                    course_id,
                    course_name: course.name,
                    activity_id: Some(a.id),
                    name: a.name,
                    description: a.description,
                    opens_at: tz::to_input(a.opens_at, &tz_name),
                    closes_at: tz::to_input(a.closes_at, &tz_name),
                    early_entry_minutes: a.early_entry_minutes.to_string(),
                    completion_minutes: a
                        .completion_minutes
                        .map(|m| m.to_string())
                        .unwrap_or_default(),
                    server_id: a.server_id,
                    servers: choices,
                    time_zone: tz_name,
                    overrides,
                })
            }
        }
    }

    fn window(a: &crate::entities::activity::Model) -> Window {
        Window {
            opens_at: a.opens_at,
            closes_at: a.closes_at,
            early_entry_minutes: i64::from(a.early_entry_minutes),
        }
    }

    pub async fn join_info(activity_id: i32) -> Result<JoinInfo, AppError> {
        let c = require_user().await?;
        let db = &c.state.db;
        let access = require_activity_cap(db, &c.user, activity_id, Capability::View).await?;
        let a = &access.activity;
        let course = course::Entity::find_by_id(a.course_id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        let tz_name = c.tz();
        let moderator = access.can(Capability::Moderation);
        let bbb = meets_on_bbb(db, a).await?;
        let mine = crate::attendance::reports::completions(db, c.user.id, std::slice::from_ref(a))
            .await?
            .remove(&a.id);
        Ok(JoinInfo {
            id: a.id,
            course_id: a.course_id,
            course_name: course.name,
            name: a.name.clone(),
            description: a.description.clone(),
            phase: window(a).phase(now(), moderator),
            window_len: a.closes_at - a.opens_at,
            opens_display: tz::format_local(a.opens_at, &tz_name),
            closes_display: tz::format_local(a.closes_at, &tz_name),
            time_zone: tz_name,
            is_moderator: moderator,
            can_edit: access.can(Capability::AddInstance),
            can_view_attendance: access.can(Capability::ViewAttendance),
            can_create_links: access.can(Capability::CreateLink),
            can_record: access.can(Capability::Record),
            can_view_records: access.can(Capability::ViewRecords),
            // Live presence comes from Jitsi heartbeats; BigBlueButton reports after the meeting.
            can_see_presence: access.can(Capability::ViewUsersOnSession)
                && now() < a.closes_at
                && !bbb,
            my_minutes: mine.map_or(0, |m| m.minutes),
            completion_minutes: a.completion_minutes.map(i64::from),
            completed: mine.is_some_and(|m| m.completed()),
            bbb,
        })
    }

    /// Whether the room this activity meets in is on a BigBlueButton server. A Jitsi server is
    /// named in the page's Content-Security-Policy: the page embeds it.
    pub(crate) async fn meets_on_bbb(
        db: &sea_orm::DatabaseConnection,
        a: &crate::entities::activity::Model,
    ) -> Result<bool, AppError> {
        let room = crate::activities::share::service::meeting_room(db, a).await?;
        let server = crate::entities::jitsi_server::Entity::find_by_id(room.server_id)
            .one(db)
            .await?;
        let bbb = server.as_ref().is_some_and(|s| s.kind.is_bbb());
        if let Some(s) = server.filter(|_| !bbb) {
            crate::csp::embeds_meeting_server(&s.base_url);
        }
        Ok(bbb)
    }

    pub async fn join(activity_id: i32) -> Result<JoinTicket, AppError> {
        let c = require_user().await?;
        let db = &c.state.db;
        let access = require_activity_cap(db, &c.user, activity_id, Capability::View).await?;
        let a = &access.activity;
        let moderator = access.can(Capability::Moderation);
        let w = window(a);
        if !w.can_enter(now(), moderator) {
            return Err(AppError::Conflict(match w.phase(now(), moderator) {
                Phase::Closed => ConflictReason::Closed,
                _ => ConflictReason::NotOpenYet,
            }));
        }
        let me = to_current_user(&c.user, &c.state.settings.public_url);
        super::super::ssr::ticket(
            &c.state,
            a,
            Identity {
                id: c.user.id.to_string(),
                name: me.display_name,
                email: me.email,
                avatar: me.avatar_url,
                moderator,
                can_record: access.can(Capability::Record),
            },
            request_lang(&c.headers).code(),
        )
        .await
    }
}
