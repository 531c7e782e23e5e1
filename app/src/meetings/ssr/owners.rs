//! A meeting's co-owners and the courses a restricted meeting admits (server only).

use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use crate::{
    auth::model::Email,
    entities::{
        co_owner_invitation as invitation, course, enrolment, meeting, meeting_course,
        meeting_owner, user,
    },
    error::{AppError, FieldCode},
    meetings::model::{Choice, CoOwnerOffer, CoOwnerRow, CoOwners, PendingCoOwner},
    throttle::{Limit, hit_all, over_any},
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

/// Co-owners who accepted (names and addresses: they agreed to be listed) and the invitations
/// still open (only the address typed).
pub async fn co_owners(db: &DatabaseConnection, meeting_id: i32) -> Result<CoOwners, AppError> {
    let ids: Vec<i32> = meeting_owner::Entity::find()
        .filter(meeting_owner::Column::MeetingId.eq(meeting_id))
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.user_id)
        .collect();
    let owners = user::Entity::find()
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
        .collect();
    let pending = invitation::Entity::find()
        .filter(invitation::Column::MeetingId.eq(meeting_id))
        .order_by_asc(invitation::Column::Email)
        .all(db)
        .await?
        .into_iter()
        .map(|i| PendingCoOwner {
            invitation_id: i.id,
            email: i.email,
        })
        .collect();
    Ok(CoOwners { owners, pending })
}

/// Invitations one person may send per hour (counted in the database, on every replica).
pub const INVITES_PER_HOUR: Limit = Limit {
    limit: 20,
    window_ms: 3_600_000,
};

/// Invites this address to co-own the meeting. The answer is the same whether or not anyone has
/// an account with that address, so inviting cannot be used to find out who has one; the person
/// becomes a co-owner only when they accept.
pub async fn invite(
    db: &DatabaseConnection,
    m: &meeting::Model,
    inviter: &user::Model,
    email: &str,
) -> Result<CoOwners, AppError> {
    let email = Email::parse(email).map_err(|code| AppError::invalid("email", code))?;
    let key = format!("co-owner-invite:{}", inviter.id);
    let t = crate::clock::now_ms();
    if over_any(db, &[&key], INVITES_PER_HOUR, t).await? {
        return Err(AppError::RateLimited);
    }
    hit_all(db, &[&key], INVITES_PER_HOUR, t).await?;
    let current = co_owners(db, m.id).await?;
    // Addresses the inviter can already see: their own, listed co-owners, open invitations.
    let listed = email.as_str() == inviter.email
        || current.owners.iter().any(|o| o.email == email.as_str())
        || current.pending.iter().any(|p| p.email == email.as_str());
    if listed {
        return Err(AppError::invalid("email", FieldCode::AlreadyTaken));
    }
    let inserted = invitation::ActiveModel {
        meeting_id: Set(m.id),
        email: Set(email.as_str().to_owned()),
        invited_by: Set(inviter.id),
        created_at: Set(crate::clock::now()),
        ..Default::default()
    }
    .insert(db)
    .await;
    // Two owners inviting the same address at once: the unique index keeps one row.
    if let Err(e) = inserted {
        let again = co_owners(db, m.id).await?;
        if !again.pending.iter().any(|p| p.email == email.as_str()) {
            return Err(AppError::internal(e));
        }
    }
    co_owners(db, m.id).await
}

/// Withdraws an invitation nobody answered yet.
pub async fn withdraw(
    db: &DatabaseConnection,
    m: &meeting::Model,
    invitation_id: i32,
) -> Result<CoOwners, AppError> {
    let res = invitation::Entity::delete_many()
        .filter(invitation::Column::Id.eq(invitation_id))
        .filter(invitation::Column::MeetingId.eq(m.id))
        .exec(db)
        .await?;
    if res.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    co_owners(db, m.id).await
}

/// The invitations addressed to this user, with the meeting and who invited them.
pub async fn offers_for(
    db: &DatabaseConnection,
    u: &user::Model,
) -> Result<Vec<CoOwnerOffer>, AppError> {
    let invites = invitation::Entity::find()
        .filter(invitation::Column::Email.eq(u.email.as_str()))
        .order_by_asc(invitation::Column::CreatedAt)
        .all(db)
        .await?;
    if invites.is_empty() {
        return Ok(Vec::new());
    }
    let meetings: HashMap<i32, meeting::Model> = meeting::Entity::find()
        .filter(meeting::Column::Id.is_in(invites.iter().map(|i| i.meeting_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let owners = names_of(db, meetings.values().map(|m| m.owner_id)).await?;
    Ok(invites
        .into_iter()
        .filter_map(|i| {
            let m = meetings.get(&i.meeting_id)?;
            Some(CoOwnerOffer {
                invitation_id: i.id,
                meeting_name: m.name.clone(),
                owner_name: owners.get(&m.owner_id).cloned().unwrap_or_default(),
            })
        })
        .collect())
}

/// The invitee answers: accepting makes them a co-owner; either way the invitation is gone.
/// Only the person whose address was invited may answer (checked here, not trusted from the
/// browser).
pub async fn answer(
    db: &DatabaseConnection,
    u: &user::Model,
    invitation_id: i32,
    accept: bool,
) -> Result<(), AppError> {
    let inv = invitation::Entity::find_by_id(invitation_id)
        .one(db)
        .await?
        .filter(|i| i.email == u.email)
        .ok_or(AppError::NotFound)?;
    let m = meeting::Entity::find_by_id(inv.meeting_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if accept && m.owner_id != u.id && !is_co_owner(db, m.id, u.id).await? {
        let inserted = meeting_owner::ActiveModel {
            meeting_id: Set(m.id),
            user_id: Set(u.id),
            ..Default::default()
        }
        .insert(db)
        .await;
        // Accepted twice at once (two tabs): the unique index keeps one row.
        if let Err(e) = inserted
            && !is_co_owner(db, m.id, u.id).await?
        {
            return Err(AppError::internal(e));
        }
    }
    invitation::Entity::delete_by_id(inv.id).exec(db).await?;
    Ok(())
}

pub async fn remove(
    db: &DatabaseConnection,
    m: &meeting::Model,
    user_id: i32,
) -> Result<CoOwners, AppError> {
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
