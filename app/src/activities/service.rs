//! What the activity server functions do, behind their thin boundaries in `api.rs`: each function
//! here checks the caller itself (`require_user` and the capability), then does the work.

use sea_orm::EntityTrait;

use super::{
    dto::{ActivityForm, ActivityFormData, JoinInfo, JoinTicket, OverrideRow},
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
    error::{AppError, ConflictReason, FieldCode},
    request::{request_lang, require_user},
    tz,
};

/// The form's values as the validator takes them, with the times read in the caller's zone.
fn draft(form: ActivityForm, tz_name: &str) -> ActivityDraft {
    ActivityDraft {
        name: form.name,
        description: form.description,
        opens_at: tz::parse_input(&form.opens_at, tz_name),
        closes_at: tz::parse_input(&form.closes_at, tz_name),
        early_entry_minutes: form.early_entry_minutes,
        completion_minutes: form.completion_minutes,
    }
}

/// Creates an activity in the course; returns its id.
pub async fn create(course_id: i32, form: ActivityForm) -> Result<i32, AppError> {
    let c = require_user().await?;
    require_course_cap(&c.state.db, &c.user, course_id, Capability::AddInstance).await?;
    let server_id = form.server_id;
    let v = draft(form, &c.tz()).validate()?;
    Ok(super::ssr::create(&c.state.db, course_id, v, server_id)
        .await?
        .id)
}

/// Updates the activity; returns its course id for the redirect.
pub async fn update(activity_id: i32, form: ActivityForm) -> Result<i32, AppError> {
    let c = require_user().await?;
    let access =
        require_activity_cap(&c.state.db, &c.user, activity_id, Capability::AddInstance).await?;
    let server_id = form.server_id;
    let v = draft(form, &c.tz()).validate()?;
    Ok(
        super::ssr::update(&c.state.db, access.activity, v, server_id)
            .await?
            .course_id,
    )
}

/// Deletes the activity; returns its course id for the redirect.
pub async fn delete(activity_id: i32) -> Result<i32, AppError> {
    let c = require_user().await?;
    let access =
        require_activity_cap(&c.state.db, &c.user, activity_id, Capability::AddInstance).await?;
    super::ssr::delete(&c.state.db, activity_id).await?;
    Ok(access.activity.course_id)
}

/// Sets one role's permission for one capability on this activity. `setting` is "inherit",
/// "allow" or "prevent"; course-level capabilities cannot be overridden per activity.
pub async fn set_override(
    activity_id: i32,
    role: &str,
    capability: &str,
    setting: &str,
) -> Result<(), AppError> {
    let c = require_user().await?;
    require_activity_cap(&c.state.db, &c.user, activity_id, Capability::AddInstance).await?;
    let role =
        CourseRole::parse(role).ok_or_else(|| AppError::invalid("role", FieldCode::UnknownRole))?;
    let cap = Capability::parse(capability)
        .filter(|c| !c.is_course_level())
        .ok_or_else(|| AppError::invalid("capability", FieldCode::InvalidChoice))?;
    let allow = match setting {
        "inherit" => None,
        "allow" => Some(true),
        "prevent" => Some(false),
        _ => return Err(AppError::invalid("setting", FieldCode::InvalidChoice)),
    };
    super::ssr::set_override(&c.state.db, activity_id, role, cap, allow).await
}

pub async fn form(course_id: i32, activity_id: Option<i32>) -> Result<ActivityFormData, AppError> {
    let c = require_user().await?;
    let db = &c.state.db;
    let tz_name = c.tz();
    let servers = crate::servers::ssr::servers(db).await?;
    let default_server = servers
        .iter()
        .find(|s| s.is_default)
        .or(servers.first())
        .map_or(0, |s| s.id);
    let choices = super::ssr::server_choices(&servers);
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
                values: ActivityForm {
                    name: String::new(),
                    description: String::new(),
                    opens_at: tz::to_input(start, &tz_name),
                    closes_at: tz::to_input(start + 3600, &tz_name),
                    early_entry_minutes: "10".into(),
                    completion_minutes: String::new(),
                    server_id: default_server,
                },
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
                values: ActivityForm {
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
                },
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
        can_see_presence: access.can(Capability::ViewUsersOnSession) && now() < a.closes_at && !bbb,
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
    super::ssr::ticket(
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
