//! Shared sessions (mod_jitsi's "session shared with token"): an activity in another course can
//! meet in this activity's room by entering its invitation code. The source's editing teachers
//! see and rotate the code; rotating it disconnects every activity that used the old one.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    components::error_page::Loading,
    components::forms::{FormError, field_error, form_error},
    error::AppError,
    i18n::{fill, use_texts},
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareState {
    /// This activity's invitation code; None until one is made ("New code").
    pub code: Option<String>,
    /// Activities (and their courses) meeting in this room through the code.
    pub guests: Vec<String>,
    /// The activity whose room this one uses, as "activity — course".
    pub linked_to: Option<String>,
}

#[server(endpoint = "activities/share")]
pub async fn get_share(activity_id: i32) -> Result<ShareState, AppError> {
    use crate::request::Respond;
    service::state(activity_id).await.respond()
}

/// A new code; activities that joined with the old one go back to their own rooms.
#[server(endpoint = "activities/share/rotate")]
pub async fn rotate_share_code(activity_id: i32) -> Result<(), AppError> {
    use crate::request::Respond;
    service::rotate(activity_id).await.respond()
}

/// Meets in the room of the activity whose code this is.
#[server(endpoint = "activities/share/link")]
pub async fn link_shared_room(activity_id: i32, code: String) -> Result<(), AppError> {
    use crate::request::Respond;
    service::link(activity_id, code).await.respond()
}

#[server(endpoint = "activities/share/unlink")]
pub async fn unlink_shared_room(activity_id: i32) -> Result<(), AppError> {
    use crate::request::Respond;
    service::unlink(activity_id).await.respond()
}

#[cfg(feature = "ssr")]
pub mod service {
    use rand::{Rng, distributions::Alphanumeric};
    use sea_orm::{
        ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
        QueryFilter, Set,
    };

    use super::ShareState;
    use crate::{
        capabilities::{Capability, ssr::require_activity_cap},
        entities::{activity, course},
        error::{AppError, FieldCode},
        request::require_user,
    };

    pub fn new_code() -> String {
        rand::thread_rng()
            .sample_iter(&Alphanumeric)
            .take(20)
            .map(char::from)
            .collect()
    }

    async fn label(db: &DatabaseConnection, a: &activity::Model) -> Result<String, AppError> {
        let c = course::Entity::find_by_id(a.course_id).one(db).await?;
        Ok(format!(
            "{} — {}",
            a.name,
            c.map(|c| c.name).unwrap_or_default()
        ))
    }

    /// The room an activity meets in: its source's while the link stands, else its own.
    pub async fn meeting_room(
        db: &DatabaseConnection,
        a: &activity::Model,
    ) -> Result<activity::Model, AppError> {
        if let Some(src) = a.room_source_id
            && let Some(source) = activity::Entity::find_by_id(src).one(db).await?
        {
            return Ok(source);
        }
        Ok(a.clone())
    }

    pub async fn state(activity_id: i32) -> Result<ShareState, AppError> {
        let c = require_user().await?;
        let db = &c.state.db;
        let access =
            require_activity_cap(db, &c.user, activity_id, Capability::AddInstance).await?;
        // Read only: activities made before codes came with them get one from "New code".
        let a = access.activity;
        let mut guests = Vec::new();
        for g in activity::Entity::find()
            .filter(activity::Column::RoomSourceId.eq(a.id))
            .all(db)
            .await?
        {
            guests.push(label(db, &g).await?);
        }
        let linked_to = match a.room_source_id {
            Some(src) => match activity::Entity::find_by_id(src).one(db).await? {
                Some(s) => Some(label(db, &s).await?),
                None => None,
            },
            None => None,
        };
        Ok(ShareState {
            code: a.share_code,
            guests,
            linked_to,
        })
    }

    pub async fn rotate(activity_id: i32) -> Result<(), AppError> {
        let c = require_user().await?;
        let db = &c.state.db;
        let access =
            require_activity_cap(db, &c.user, activity_id, Capability::AddInstance).await?;
        activity::Entity::update_many()
            .col_expr(activity::Column::RoomSourceId, Option::<i32>::None.into())
            .filter(activity::Column::RoomSourceId.eq(activity_id))
            .exec(db)
            .await?;
        let mut am = access.activity.into_active_model();
        am.share_code = Set(Some(new_code()));
        am.update(db).await?;
        Ok(())
    }

    pub async fn link(activity_id: i32, code: String) -> Result<(), AppError> {
        let c = require_user().await?;
        let db = &c.state.db;
        let access =
            require_activity_cap(db, &c.user, activity_id, Capability::AddInstance).await?;
        let code = code.trim();
        let bad = || AppError::invalid("code", FieldCode::InvalidChoice);
        if code.is_empty() || code.len() > 32 {
            return Err(bad());
        }
        let source = activity::Entity::find()
            .filter(activity::Column::ShareCode.eq(code))
            .one(db)
            .await?
            .ok_or_else(bad)?;
        // No sharing with oneself, and no chains: the source must meet in its own room.
        if source.id == activity_id || source.room_source_id.is_some() {
            return Err(bad());
        }
        let mut am = access.activity.into_active_model();
        am.room_source_id = Set(Some(source.id));
        am.update(db).await?;
        Ok(())
    }

    pub async fn unlink(activity_id: i32) -> Result<(), AppError> {
        let c = require_user().await?;
        let db = &c.state.db;
        let access =
            require_activity_cap(db, &c.user, activity_id, Capability::AddInstance).await?;
        let mut am = access.activity.into_active_model();
        am.room_source_id = Set(None);
        am.update(db).await?;
        Ok(())
    }
}

/// On the activity's edit page: this activity's code, and joining another activity's room.
#[component]
pub fn SharePanel(activity_id: i32) -> impl IntoView {
    let t = use_texts();
    let rotate = ServerAction::<RotateShareCode>::new();
    let link = ServerAction::<LinkSharedRoom>::new();
    let unlink = ServerAction::<UnlinkSharedRoom>::new();
    let state = Resource::new(
        move || {
            (
                rotate.version().get(),
                link.version().get(),
                unlink.version().get(),
            )
        },
        move |_| get_share(activity_id),
    );
    view! {
        <section class="card" aria-labelledby="share-h" data-testid="share-panel">
            <h2 id="share-h">{t.share_title}</h2>
            <p class="muted">{t.share_intro}</p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let s = match state.await {
                        Ok(s) => s,
                        Err(e) => return view! { <p class="form-error">{e.to_string()}</p> }.into_any(),
                    };
                    view! {
                        {s.code.clone().map(|code| view! {
                            <p>
                                {t.share_code} ": " <code data-testid="share-code">{code}</code>
                            </p>
                        })}
                        {(!s.guests.is_empty()).then(|| view! {
                            <p class="small">{t.share_guests} " " {s.guests.join(", ")}</p>
                        })}
                        <ActionForm action=rotate>
                            <input type="hidden" name="activity_id" value=activity_id />
                            <button type="submit">{t.share_rotate}</button>
                        </ActionForm>
                        <h3>{t.share_join_other}</h3>
                        {match s.linked_to.clone() {
                            Some(l) => view! {
                                <p data-testid="share-linked">{fill(t.share_linked_to, &[&l])}</p>
                                <ActionForm action=unlink>
                                    <input type="hidden" name="activity_id" value=activity_id />
                                    <button type="submit">{t.share_unlink}</button>
                                </ActionForm>
                            }.into_any(),
                            None => view! {
                                <ActionForm action=link attr:class="row-form">
                                    <FormError message=form_error(link.value()) />
                                    <input type="hidden" name="activity_id" value=activity_id />
                                    <div class="field">
                                        <label for="f-share-code">{t.share_code_input}</label>
                                        <input id="f-share-code" name="code" required autocomplete="off" />
                                        {move || field_error(link.value(), "code").get().map(|m| view! { <small class="field-error">{m}</small> })}
                                    </div>
                                    <button type="submit">{t.share_link}</button>
                                </ActionForm>
                            }.into_any(),
                        }}
                    }.into_any()
                })}
            </Transition>
        </section>
    }
}
