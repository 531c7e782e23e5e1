//! A meeting's co-owners and the courses a restricted meeting admits (server only).

use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use crate::{
    auth::model::Email,
    entities::{course, enrolment, meeting, meeting_course, meeting_owner, user},
    error::{AppError, FieldCode},
    meetings::model::{Choice, CoOwnerRow},
};

pub async fn is_co_owner(
    db: &DatabaseConnection,
    meeting_id: i32,
    user_id: i32,
) -> Result<bool, AppError> {
    Ok(meeting_owner::Entity::find()
        .filter(meeting_owner::Column::MeetingId.eq(meeting_id))
        .filter(meeting_owner::Column::UserId.eq(user_id))
        .count(db)
        .await?
        > 0)
}

pub async fn course_ids(db: &impl ConnectionTrait, meeting_id: i32) -> Result<Vec<i32>, AppError> {
    Ok(meeting_course::Entity::find()
        .filter(meeting_course::Column::MeetingId.eq(meeting_id))
        .order_by_asc(meeting_course::Column::CourseId)
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.course_id)
        .collect())
}

/// The user is enrolled (in any role) in one of the meeting's courses.
pub async fn in_meeting_courses(
    db: &DatabaseConnection,
    meeting_id: i32,
    user_id: i32,
) -> Result<bool, AppError> {
    let courses = course_ids(db, meeting_id).await?;
    if courses.is_empty() {
        return Ok(false);
    }
    Ok(enrolment::Entity::find()
        .filter(enrolment::Column::UserId.eq(user_id))
        .filter(enrolment::Column::CourseId.is_in(courses))
        .count(db)
        .await?
        > 0)
}

/// Courses `u` may restrict a meeting to: their own, or every course for an admin.
pub async fn allowed_courses(
    db: &DatabaseConnection,
    u: &user::Model,
) -> Result<Vec<Choice>, AppError> {
    Ok(crate::courses::ssr::courses_for(db, u)
        .await?
        .into_iter()
        .map(|c| Choice {
            id: c.id,
            name: c.name,
        })
        .collect())
}

/// The courses of a form, each one the editor belongs to or one the meeting already had (a
/// co-owner editing keeps the owner's choices).
pub async fn check_courses(
    db: &DatabaseConnection,
    editor: &user::Model,
    chosen: &[i32],
    current: &[i32],
) -> Result<(), AppError> {
    if chosen.is_empty() {
        return Ok(());
    }
    let allowed = allowed_courses(db, editor).await?;
    let ok = chosen
        .iter()
        .all(|id| current.contains(id) || allowed.iter().any(|c| c.id == *id));
    if ok {
        Ok(())
    } else {
        Err(AppError::invalid("course_ids", FieldCode::InvalidChoice))
    }
}

/// The choices for the form: the editor's courses plus any the meeting has already.
pub async fn course_choices(
    db: &DatabaseConnection,
    editor: &user::Model,
    current: &[i32],
) -> Result<Vec<Choice>, AppError> {
    let mut list = allowed_courses(db, editor).await?;
    let missing: Vec<i32> = current
        .iter()
        .copied()
        .filter(|id| !list.iter().any(|c| c.id == *id))
        .collect();
    if !missing.is_empty() {
        list.extend(
            course::Entity::find()
                .filter(course::Column::Id.is_in(missing))
                .all(db)
                .await?
                .into_iter()
                .map(|c| Choice {
                    id: c.id,
                    name: c.name,
                }),
        );
    }
    Ok(list)
}

pub async fn set_courses(
    db: &impl ConnectionTrait,
    meeting_id: i32,
    ids: &[i32],
) -> Result<(), AppError> {
    meeting_course::Entity::delete_many()
        .filter(meeting_course::Column::MeetingId.eq(meeting_id))
        .exec(db)
        .await?;
    for id in ids {
        meeting_course::ActiveModel {
            meeting_id: Set(meeting_id),
            course_id: Set(*id),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Display names by user id.
pub async fn names_of(
    db: &DatabaseConnection,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, String>, AppError> {
    let mut ids: Vec<i32> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}

pub async fn co_owners(
    db: &DatabaseConnection,
    meeting_id: i32,
) -> Result<Vec<CoOwnerRow>, AppError> {
    let ids: Vec<i32> = meeting_owner::Entity::find()
        .filter(meeting_owner::Column::MeetingId.eq(meeting_id))
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.user_id)
        .collect();
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .order_by_asc(user::Column::DisplayName)
        .all(db)
        .await?
        .into_iter()
        .map(|u| CoOwnerRow {
            user_id: u.id,
            name: u.display_name,
            email: u.email,
        })
        .collect())
}

/// Adds the existing user with this e-mail address as a co-owner.
pub async fn add(
    db: &DatabaseConnection,
    m: &meeting::Model,
    email: &str,
) -> Result<Vec<CoOwnerRow>, AppError> {
    let email = Email::parse(email).map_err(|code| AppError::invalid("email", code))?;
    let u = crate::admin::ssr::find_by_email(db, &email)
        .await?
        .ok_or_else(|| AppError::invalid("email", FieldCode::UnknownUser))?;
    if u.id == m.owner_id || is_co_owner(db, m.id, u.id).await? {
        return Err(AppError::invalid("email", FieldCode::AlreadyTaken));
    }
    let inserted = meeting_owner::ActiveModel {
        meeting_id: Set(m.id),
        user_id: Set(u.id),
        ..Default::default()
    }
    .insert(db)
    .await;
    // Two owners adding the same person at once: the unique index keeps one row.
    if let Err(e) = inserted
        && !is_co_owner(db, m.id, u.id).await?
    {
        return Err(AppError::internal(e));
    }
    co_owners(db, m.id).await
}

pub async fn remove(
    db: &DatabaseConnection,
    m: &meeting::Model,
    user_id: i32,
) -> Result<Vec<CoOwnerRow>, AppError> {
    let res = meeting_owner::Entity::delete_many()
        .filter(meeting_owner::Column::MeetingId.eq(m.id))
        .filter(meeting_owner::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    if res.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    co_owners(db, m.id).await
}
