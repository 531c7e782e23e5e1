use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::NewUserForm;
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i32,
    pub email: String,
    pub display_name: String,
    pub is_admin: bool,
    pub disabled: bool,
}

#[server(endpoint = "admin/users")]
pub async fn list_users() -> Result<Vec<UserRow>, AppError> {
    use crate::request::Respond;
    service::list_users().await.respond()
}

#[server(endpoint = "admin/users/create")]
pub async fn create_user(#[server(flatten)] form: NewUserForm) -> Result<i32, AppError> {
    use crate::request::Respond;
    service::create_user(form).await.respond()
}

#[server(endpoint = "admin/users/disable")]
pub async fn set_user_disabled(user_id: i32, disabled: bool) -> Result<(), AppError> {
    use crate::request::{Respond, require_admin};
    async {
        let c = require_admin().await?;
        crate::admin::ssr::set_disabled(&c.state.db, user_id, disabled).await
    }
    .await
    .respond()
}

#[server(endpoint = "admin/users/password")]
pub async fn reset_user_password(user_id: i32, password: String) -> Result<(), AppError> {
    use crate::request::{Respond, require_admin};
    async {
        let c = require_admin().await?;
        crate::admin::ssr::reset_password(&c.state.db, user_id, &password).await
    }
    .await
    .respond()
}

#[cfg(feature = "ssr")]
mod service {
    use sea_orm::{EntityTrait, QueryOrder};

    use super::{super::model::NewUserForm, UserRow};
    use crate::{
        admin::ssr::{NewUser, create_user as insert_user},
        entities::user,
        error::AppError,
        request::require_admin,
    };

    pub async fn list_users() -> Result<Vec<UserRow>, AppError> {
        let c = require_admin().await?;
        Ok(user::Entity::find()
            .order_by_asc(user::Column::DisplayName)
            .all(&c.state.db)
            .await?
            .into_iter()
            .map(|u| UserRow {
                id: u.id,
                email: u.email,
                display_name: u.display_name,
                is_admin: u.is_admin,
                disabled: u.disabled,
            })
            .collect())
    }

    pub async fn create_user(form: NewUserForm) -> Result<i32, AppError> {
        let NewUserForm {
            email,
            display_name,
            password,
            is_admin,
        } = form;
        let c = require_admin().await?;
        let lang = crate::request::request_lang(&c.headers);
        let u = insert_user(
            &c.state.db,
            NewUser {
                email: &email,
                display_name: &display_name,
                password: &password,
                is_admin: is_admin.is_some(),
                language: lang.code(),
            },
        )
        .await?;
        Ok(u.id)
    }
}
