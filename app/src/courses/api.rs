//! Course server functions: authorise, call the service, map errors.

use leptos::prelude::*;

use super::model::{CourseDetail, CourseSummary, Dashboard, EnrolmentRow, ImportReport};
use crate::error::AppError;

#[server(endpoint = "dashboard")]
pub async fn get_dashboard() -> Result<Dashboard, AppError> {
    use crate::request::Respond;
    service::dashboard().await.respond()
}

#[server(endpoint = "courses/list")]
pub async fn list_courses() -> Result<Vec<CourseSummary>, AppError> {
    use crate::request::{Respond, require_user};
    async {
        let c = require_user().await?;
        super::ssr::courses_for(&c.state.db, &c.user).await
    }
    .await
    .respond()
}

#[server(endpoint = "courses/create")]
pub async fn create_course(
    name: String,
    short_name: String,
    description: String,
) -> Result<i32, AppError> {
    use crate::request::Respond;
    service::create_course(name, short_name, description)
        .await
        .respond()
}

#[server(endpoint = "courses/get")]
pub async fn get_course(course_id: i32) -> Result<CourseDetail, AppError> {
    use crate::request::Respond;
    service::course_detail(course_id).await.respond()
}

#[server(endpoint = "courses/enrolments")]
pub async fn list_enrolments(course_id: i32) -> Result<Vec<EnrolmentRow>, AppError> {
    use crate::{
        capabilities::ssr::require_course_manager,
        request::{Respond, require_user},
    };
    async {
        let c = require_user().await?;
        require_course_manager(&c.state.db, &c.user, course_id).await?;
        super::ssr::enrolments_of(&c.state.db, course_id).await
    }
    .await
    .respond()
}

#[server(endpoint = "courses/enrol")]
pub async fn enrol_user(course_id: i32, email: String, role: String) -> Result<(), AppError> {
    use crate::request::Respond;
    service::enrol(course_id, email, role).await.respond()
}

#[server(endpoint = "courses/unenrol")]
pub async fn unenrol_user(course_id: i32, user_id: i32) -> Result<(), AppError> {
    use crate::{
        capabilities::ssr::require_course_manager,
        request::{Respond, require_user},
    };
    async {
        let c = require_user().await?;
        require_course_manager(&c.state.db, &c.user, course_id).await?;
        super::ssr::unenrol(&c.state.db, course_id, user_id).await
    }
    .await
    .respond()
}

#[server(endpoint = "courses/import")]
pub async fn import_enrolments(course_id: i32, csv: String) -> Result<ImportReport, AppError> {
    use crate::request::Respond;
    service::import(course_id, csv).await.respond()
}

#[cfg(feature = "ssr")]
mod service {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

    use super::super::{
        model::{CourseDetail, Dashboard, ImportReport, UpcomingSession},
        ssr::{activities_of, courses_for, summarize},
    };
    use crate::{
        attendance::reports::completions,
        auth::model::Email,
        capabilities::{
            Capability, CourseRole, resolve,
            ssr::{overrides, require_course_cap, require_course_manager},
        },
        clock::now,
        entities::activity,
        error::{AppError, FieldCode},
        request::{require_admin, require_user},
    };

    pub async fn create_course(
        name: String,
        short_name: String,
        description: String,
    ) -> Result<i32, AppError> {
        let c = require_admin().await?;
        Ok(
            super::super::ssr::create_course(&c.state.db, &name, &short_name, &description)
                .await?
                .id,
        )
    }

    pub async fn enrol(course_id: i32, email: String, role: String) -> Result<(), AppError> {
        let c = require_user().await?;
        require_course_manager(&c.state.db, &c.user, course_id).await?;
        let email = Email::parse(&email).map_err(|code| AppError::invalid("email", code))?;
        let role = CourseRole::parse(&role)
            .ok_or_else(|| AppError::invalid("role", FieldCode::UnknownRole))?;
        super::super::ssr::enrol(&c.state.db, course_id, &email, role)
            .await
            .map(|_| ())
    }

    pub async fn import(course_id: i32, csv: String) -> Result<ImportReport, AppError> {
        let c = require_user().await?;
        require_course_manager(&c.state.db, &c.user, course_id).await?;
        if csv.len() > 1_000_000 {
            return Err(AppError::invalid("csv", FieldCode::TooLong(1_000_000)));
        }
        super::super::ssr::import_csv(&c.state.db, course_id, &csv).await
    }

    pub async fn course_detail(course_id: i32) -> Result<CourseDetail, AppError> {
        let c = require_user().await?;
        let db = &c.state.db;
        let (course, actor) = require_course_cap(db, &c.user, course_id, Capability::View).await?;
        let tz = c.tz();
        let t = now();
        let mut visible = Vec::new();
        let mut activities = Vec::new();
        for a in activities_of(db, course_id).await? {
            let o = overrides(db, a.id).await?;
            if resolve(actor, Capability::View, &o) {
                activities.push(summarize(
                    &a,
                    t,
                    resolve(actor, Capability::Moderation, &o),
                    &tz,
                ));
                visible.push(a);
            }
        }
        let mut mine = completions(db, c.user.id, &visible).await?;
        for s in &mut activities {
            s.completion = mine.remove(&s.id);
        }
        Ok(CourseDetail {
            id: course.id,
            name: course.name,
            short_name: course.short_name,
            description: course.description,
            role: actor.role,
            can_add_activity: resolve(actor, Capability::AddInstance, &[]),
            can_manage_enrolments: actor.site_admin
                || actor.role == Some(crate::capabilities::CourseRole::EditingTeacher),
            activities,
            time_zone: tz,
        })
    }

    /// My courses and the next sessions across them (open ones first, then the soonest).
    pub async fn dashboard() -> Result<Dashboard, AppError> {
        let c = require_user().await?;
        let db = &c.state.db;
        let mut courses = courses_for(db, &c.user).await?;
        let t = now();
        let tz = c.tz();
        // Completion per course, over the activities that have a threshold.
        let completable = activity::Entity::find()
            .filter(activity::Column::CourseId.is_in(courses.iter().map(|c| c.id)))
            .filter(activity::Column::CompletionMinutes.is_not_null())
            .all(db)
            .await?;
        let done = completions(db, c.user.id, &completable).await?;
        for course in &mut courses {
            for a in completable.iter().filter(|a| a.course_id == course.id) {
                course.completable += 1;
                if done.get(&a.id).is_some_and(|c| c.completed()) {
                    course.completed += 1;
                }
            }
        }
        let upcoming = activity::Entity::find()
            .filter(activity::Column::CourseId.is_in(courses.iter().map(|c| c.id)))
            .filter(activity::Column::ClosesAt.gt(t))
            .order_by_asc(activity::Column::OpensAt)
            .all(db)
            .await?;
        let mut next_sessions = Vec::new();
        for a in upcoming.iter().take(50) {
            let actor = crate::capabilities::Actor {
                site_admin: c.user.is_admin,
                role: courses
                    .iter()
                    .find(|x| x.id == a.course_id)
                    .and_then(|x| x.role),
            };
            let o = overrides(db, a.id).await?;
            if !resolve(actor, Capability::View, &o) {
                continue;
            }
            let s = summarize(a, t, resolve(actor, Capability::Moderation, &o), &tz);
            next_sessions.push(UpcomingSession {
                activity_id: a.id,
                activity_name: a.name.clone(),
                course_name: courses
                    .iter()
                    .find(|x| x.id == a.course_id)
                    .map(|x| x.name.clone())
                    .unwrap_or_default(),
                phase: s.phase,
                window_len: s.window_len,
                opens_display: s.opens_display,
                completion: None,
            });
            if next_sessions.len() >= 10 {
                break;
            }
        }
        let listed: Vec<activity::Model> = upcoming
            .into_iter()
            .filter(|a| next_sessions.iter().any(|s| s.activity_id == a.id))
            .collect();
        let mut mine = completions(db, c.user.id, &listed).await?;
        for s in &mut next_sessions {
            s.completion = mine.remove(&s.activity_id);
        }
        Ok(Dashboard {
            courses,
            next_sessions,
        })
    }
}
