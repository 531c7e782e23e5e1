//! Loading what `resolve` needs from the database, and the `require_*` guards server functions use.

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::model::{Actor, Capability, CourseRole, Override, resolve};
use crate::{
    entities::{activity, capability_override, course, enrolment, user},
    error::AppError,
};

pub async fn course_role(
    db: &DatabaseConnection,
    user_id: i32,
    course_id: i32,
) -> Result<Option<CourseRole>, AppError> {
    Ok(enrolment::Entity::find()
        .filter(enrolment::Column::UserId.eq(user_id))
        .filter(enrolment::Column::CourseId.eq(course_id))
        .one(db)
        .await?
        .map(|e| e.role))
}

pub async fn actor(
    db: &DatabaseConnection,
    user: &user::Model,
    course_id: i32,
) -> Result<Actor, AppError> {
    Ok(Actor {
        site_admin: user.is_admin,
        role: course_role(db, user.id, course_id).await?,
    })
}

pub async fn overrides(
    db: &DatabaseConnection,
    activity_id: i32,
) -> Result<Vec<Override>, AppError> {
    Ok(capability_override::Entity::find()
        .filter(capability_override::Column::ActivityId.eq(activity_id))
        .all(db)
        .await?
        .into_iter()
        .map(|o| Override {
            role: o.role,
            capability: o.capability,
            allow: o.allow,
        })
        .collect())
}

/// The overrides of several activities in one query, by activity id.
pub async fn overrides_for(
    db: &DatabaseConnection,
    activity_ids: &[i32],
) -> Result<std::collections::HashMap<i32, Vec<Override>>, AppError> {
    let mut out: std::collections::HashMap<i32, Vec<Override>> = std::collections::HashMap::new();
    for o in capability_override::Entity::find()
        .filter(capability_override::Column::ActivityId.is_in(activity_ids.to_vec()))
        .all(db)
        .await?
    {
        out.entry(o.activity_id).or_default().push(Override {
            role: o.role,
            capability: o.capability,
            allow: o.allow,
        });
    }
    Ok(out)
}

/// The course, if it exists and the caller holds `cap` there (404 / 403 otherwise).
pub async fn require_course_cap(
    db: &DatabaseConnection,
    user: &user::Model,
    course_id: i32,
    cap: Capability,
) -> Result<(course::Model, Actor), AppError> {
    let course = course::Entity::find_by_id(course_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let actor = actor(db, user, course_id).await?;
    if resolve(actor, cap, &[]) {
        Ok((course, actor))
    } else {
        Err(AppError::Forbidden)
    }
}

/// Admins and editing teachers manage a course's enrolments.
pub async fn require_course_manager(
    db: &DatabaseConnection,
    user: &user::Model,
    course_id: i32,
) -> Result<course::Model, AppError> {
    let course = course::Entity::find_by_id(course_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let actor = actor(db, user, course_id).await?;
    if actor.site_admin || actor.role == Some(CourseRole::EditingTeacher) {
        Ok(course)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Everything a guard on an activity needs, loaded once.
pub struct ActivityAccess {
    pub activity: activity::Model,
    pub actor: Actor,
    pub overrides: Vec<Override>,
}

impl ActivityAccess {
    pub fn can(&self, cap: Capability) -> bool {
        resolve(self.actor, cap, &self.overrides)
    }
}

/// The activity, if it exists and the caller holds `cap` on it (404 / 403 otherwise).
pub async fn require_activity_cap(
    db: &DatabaseConnection,
    user: &user::Model,
    activity_id: i32,
    cap: Capability,
) -> Result<ActivityAccess, AppError> {
    let activity = activity::Entity::find_by_id(activity_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let actor = actor(db, user, activity.course_id).await?;
    let overrides = overrides(db, activity_id).await?;
    let access = ActivityAccess {
        activity,
        actor,
        overrides,
    };
    if access.can(cap) {
        Ok(access)
    } else {
        Err(AppError::Forbidden)
    }
}
