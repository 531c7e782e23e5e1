//! Course and enrolment services over the database.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};

use super::{
    csv_import::parse_enrolment_csv,
    model::{ActivitySummary, CourseSummary, EnrolmentRow, ImportReport, RowError},
};
use crate::{
    activities::model::Window,
    capabilities::CourseRole,
    clock::now,
    entities::{activity, course, enrolment, user},
    error::{AppError, FieldCode, taken_on},
    tz,
};

#[tracing::instrument(skip(db, description))]
pub async fn create_course(
    db: &DatabaseConnection,
    name: &str,
    short_name: &str,
    description: &str,
) -> Result<course::Model, AppError> {
    let (name, short, description) = super::model::validate_course(name, short_name, description)?;
    course::ActiveModel {
        name: Set(name),
        short_name: Set(short),
        description: Set(description),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(taken_on("short_name"))
}

/// Courses the user is enrolled in; admins see every course.
pub async fn courses_for(
    db: &DatabaseConnection,
    u: &user::Model,
) -> Result<Vec<CourseSummary>, AppError> {
    let enrolments = enrolment::Entity::find()
        .filter(enrolment::Column::UserId.eq(u.id))
        .all(db)
        .await?;
    let role_of = |course_id: i32| {
        enrolments
            .iter()
            .find(|e| e.course_id == course_id)
            .map(|e| e.role)
    };
    let mut q = course::Entity::find().order_by_asc(course::Column::Name);
    if !u.is_admin {
        q = q.filter(course::Column::Id.is_in(enrolments.iter().map(|e| e.course_id)));
    }
    Ok(q.all(db)
        .await?
        .into_iter()
        .map(|c| CourseSummary {
            role: role_of(c.id),
            id: c.id,
            name: c.name,
            short_name: c.short_name,
            completable: 0,
            completed: 0,
        })
        .collect())
}

pub fn summarize(a: &activity::Model, now: i64, moderator: bool, tz_name: &str) -> ActivitySummary {
    let w = Window {
        opens_at: a.opens_at,
        closes_at: a.closes_at,
        early_entry_minutes: i64::from(a.early_entry_minutes),
    };
    ActivitySummary {
        id: a.id,
        name: a.name.clone(),
        phase: w.phase(now, moderator),
        window_len: a.closes_at - a.opens_at,
        opens_display: tz::format_local(a.opens_at, tz_name),
        closes_display: tz::format_local(a.closes_at, tz_name),
        completion: None,
    }
}

pub async fn activities_of(
    db: &DatabaseConnection,
    course_id: i32,
) -> Result<Vec<activity::Model>, AppError> {
    Ok(activity::Entity::find()
        .filter(activity::Column::CourseId.eq(course_id))
        .order_by_asc(activity::Column::OpensAt)
        .all(db)
        .await?)
}

pub async fn enrolments_of(
    db: &DatabaseConnection,
    course_id: i32,
) -> Result<Vec<EnrolmentRow>, AppError> {
    let enrolments = enrolment::Entity::find()
        .filter(enrolment::Column::CourseId.eq(course_id))
        .all(db)
        .await?;
    let users = user::Entity::find()
        .filter(user::Column::Id.is_in(enrolments.iter().map(|e| e.user_id)))
        .all(db)
        .await?;
    let mut out: Vec<EnrolmentRow> = enrolments
        .iter()
        .filter_map(|e| {
            let u = users.iter().find(|u| u.id == e.user_id)?;
            Some(EnrolmentRow {
                user_id: u.id,
                display_name: u.display_name.clone(),
                email: u.email.clone(),
                role: e.role,
            })
        })
        .collect();
    out.sort_by_key(|r| r.display_name.to_lowercase());
    Ok(out)
}

pub enum EnrolOutcome {
    Added,
    Updated,
}

/// Enrols the user with that e-mail, or changes their role if already enrolled.
#[tracing::instrument(skip_all)]
pub async fn enrol(
    db: &DatabaseConnection,
    course_id: i32,
    email: &crate::auth::model::Email,
    role: CourseRole,
) -> Result<EnrolOutcome, AppError> {
    let Some(u) = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(db)
        .await?
    else {
        return Err(AppError::invalid("email", FieldCode::UnknownUser));
    };
    let existing = enrolment::Entity::find()
        .filter(enrolment::Column::CourseId.eq(course_id))
        .filter(enrolment::Column::UserId.eq(u.id))
        .one(db)
        .await?;
    match existing {
        Some(e) => {
            let mut am = e.into_active_model();
            am.role = Set(role);
            am.update(db).await?;
            Ok(EnrolOutcome::Updated)
        }
        None => {
            enrolment::ActiveModel {
                course_id: Set(course_id),
                user_id: Set(u.id),
                role: Set(role),
                created_at: Set(now()),
                ..Default::default()
            }
            .insert(db)
            .await?;
            Ok(EnrolOutcome::Added)
        }
    }
}

#[tracing::instrument(skip(db))]
pub async fn unenrol(
    db: &DatabaseConnection,
    course_id: i32,
    user_id: i32,
) -> Result<(), AppError> {
    enrolment::Entity::delete_many()
        .filter(enrolment::Column::CourseId.eq(course_id))
        .filter(enrolment::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Imports the good rows and reports every bad one; a bad row never blocks the others.
#[tracing::instrument(skip_all)]
pub async fn import_csv(
    db: &DatabaseConnection,
    course_id: i32,
    input: &str,
) -> Result<ImportReport, AppError> {
    let (rows, mut errors) = parse_enrolment_csv(input);
    let mut report = ImportReport::default();
    for row in rows {
        match enrol(db, course_id, &row.email, row.role).await {
            Ok(EnrolOutcome::Added) => report.enrolled += 1,
            Ok(EnrolOutcome::Updated) => report.updated += 1,
            Err(AppError::Invalid(e)) => errors.push(RowError {
                line: row.line,
                email: row.email.as_str().to_owned(),
                code: e.first().map_or(FieldCode::UnknownUser, |f| f.code),
            }),
            Err(other) => return Err(other),
        }
    }
    errors.sort_by_key(|e| e.line);
    report.errors = errors;
    Ok(report)
}
