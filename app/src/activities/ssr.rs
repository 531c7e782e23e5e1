//! Activity services over the database.

use rand::{Rng, distributions::Alphanumeric};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    Set,
};

pub use super::model::Identity;
use super::{
    dto::ServerChoice,
    model::{ValidActivity, derive_room_name},
};
use crate::{
    capabilities::{Capability, CourseRole},
    clock::now,
    entities::{activity, capability_override, jitsi_server},
    error::{AppError, FieldCode},
};

pub fn server_choices(list: &[jitsi_server::Model]) -> Vec<ServerChoice> {
    list.iter()
        .map(|s| ServerChoice {
            id: s.id,
            name: s.name.clone(),
            bbb: s.kind.is_bbb(),
        })
        .collect()
}

async fn check_server(db: &DatabaseConnection, server_id: i32) -> Result<(), AppError> {
    match jitsi_server::Entity::find_by_id(server_id).one(db).await? {
        Some(_) => Ok(()),
        None => Err(AppError::invalid("server_id", FieldCode::InvalidChoice)),
    }
}

#[tracing::instrument(skip_all)]
pub async fn create(
    db: &DatabaseConnection,
    course_id: i32,
    v: ValidActivity,
    server_id: i32,
) -> Result<activity::Model, AppError> {
    check_server(db, server_id).await?;
    let suffix: String = rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(10)
        .map(char::from)
        .collect();
    let t = now();
    Ok(activity::ActiveModel {
        course_id: Set(course_id),
        name: Set(v.name.clone()),
        description: Set(v.description),
        opens_at: Set(v.window.opens_at),
        closes_at: Set(v.window.closes_at),
        early_entry_minutes: Set(v.window.early_entry_minutes as i32),
        completion_minutes: Set(v.completion_minutes.map(|m| m as i32)),
        server_id: Set(server_id),
        room_name: Set(derive_room_name(&v.name, &suffix)),
        created_at: Set(t),
        updated_at: Set(t),
        // Made with the activity, so opening its edit page (a GET) never writes.
        share_code: Set(Some(crate::activities::share::service::new_code())),
        room_source_id: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Updates everything but the room name, which stays as derived at creation.
#[tracing::instrument(skip_all)]
pub async fn update(
    db: &DatabaseConnection,
    existing: activity::Model,
    v: ValidActivity,
    server_id: i32,
) -> Result<activity::Model, AppError> {
    check_server(db, server_id).await?;
    let mut am = existing.into_active_model();
    am.name = Set(v.name);
    am.description = Set(v.description);
    am.opens_at = Set(v.window.opens_at);
    am.closes_at = Set(v.window.closes_at);
    am.early_entry_minutes = Set(v.window.early_entry_minutes as i32);
    am.completion_minutes = Set(v.completion_minutes.map(|m| m as i32));
    am.server_id = Set(server_id);
    am.updated_at = Set(now());
    Ok(am.update(db).await?)
}

#[tracing::instrument(skip(db))]
pub async fn delete(db: &DatabaseConnection, activity_id: i32) -> Result<(), AppError> {
    let txn = crate::txn::begin_write(db).await?;
    capability_override::Entity::delete_many()
        .filter(capability_override::Column::ActivityId.eq(activity_id))
        .exec(&txn)
        .await?;
    crate::recording::ssr::library::on_activity_deleted(&txn, activity_id).await?;
    // Its BigBlueButton room stays as a tombstone so late callbacks are answered 410.
    crate::rooms::ssr::tombstone(&txn, crate::rooms::ssr::Owner::Activity(activity_id)).await?;
    activity::Entity::delete_by_id(activity_id)
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// `allow`: Some(true) allow, Some(false) prevent, None back to the role default.
pub async fn set_override(
    db: &DatabaseConnection,
    activity_id: i32,
    role: CourseRole,
    capability: Capability,
    allow: Option<bool>,
) -> Result<(), AppError> {
    let existing = capability_override::Entity::find()
        .filter(capability_override::Column::ActivityId.eq(activity_id))
        .filter(capability_override::Column::Role.eq(role))
        .filter(capability_override::Column::Capability.eq(capability))
        .one(db)
        .await?;
    match (existing, allow) {
        (Some(o), None) => {
            capability_override::Entity::delete_by_id(o.id)
                .exec(db)
                .await?;
        }
        (Some(o), Some(a)) => {
            let mut am = o.into_active_model();
            am.allow = Set(a);
            am.update(db).await?;
        }
        (None, Some(a)) => {
            capability_override::ActiveModel {
                activity_id: Set(activity_id),
                role: Set(role),
                capability: Set(capability),
                allow: Set(a),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
        (None, None) => {}
    }
    Ok(())
}

/// The meeting parameters for `a`: its room (or the room it shares), its server, and a token
/// for servers that need one, minted for that room only.
#[tracing::instrument(skip_all, fields(activity = a.id))]
pub async fn ticket(
    state: &crate::state::AppState,
    a: &activity::Model,
    who: Identity,
    lang: &str,
) -> Result<super::dto::JoinTicket, AppError> {
    use crate::servers::{
        model::{ServerKind, script_url},
        ssr::signing_key,
        token::{TokenRequest, mint},
    };
    let db = &state.db;
    // A shared session meets in its source activity's room, on that activity's server.
    let room = super::share::service::meeting_room(db, a).await?;
    let server = jitsi_server::Entity::find_by_id(room.server_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if server.kind.is_bbb() {
        return super::bbb::ticket(state, a, &room, &server, who, lang).await;
    }
    let (domain, no_ssl) = super::dto::jitsi_endpoint(&server.base_url).ok_or_else(|| {
        AppError::internal(format!("jitsi server {} has a bad base URL", server.id))
    })?;
    let kind = server.kind;
    let app_id = server.app_id.clone().unwrap_or_default();
    let jwt = match signing_key(&server, &state.secrets)? {
        None => None,
        Some(key) => {
            let request = TokenRequest {
                kind,
                app_id: app_id.clone(),
                domain: domain.split(':').next().unwrap_or(&domain).to_owned(),
                rule: server.moderation_rule,
                room: room.room_name.clone(),
                user_id: who.id.clone(),
                name: who.name.clone(),
                email: (state.settings.jwt_include_email && !who.email.is_empty())
                    .then(|| who.email.clone()),
                avatar: who.avatar.clone(),
                moderator: who.moderator,
                can_record: who.can_record,
                now: now(),
                ttl_secs: i64::from(server.token_ttl_secs),
            };
            Some(mint(&request, &key).map_err(AppError::internal)?)
        }
    };
    Ok(super::dto::JoinTicket {
        script_url: script_url(kind, &server.base_url, server.app_id.as_deref()),
        domain,
        no_ssl,
        // JaaS rooms live under the AppID tenant.
        room_name: match kind {
            ServerKind::Jaas => format!("{app_id}/{}", room.room_name),
            _ => room.room_name.clone(),
        },
        display_name: who.name,
        email: who.email,
        avatar_url: who.avatar,
        lang: lang.to_owned(),
        subject: a.name.clone(),
        moderator: who.moderator,
        jwt,
        redirect_url: None,
    })
}
