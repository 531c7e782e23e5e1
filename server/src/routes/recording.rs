//! `GET /admin/recording/oauth/callback`: where Google sends the admin back after consent. It
//! must arrive in the same browser session that started the flow, from a site admin.

use app::{
    auth::ssr::{cookie, user_from_headers},
    recording::ssr::{Ctx, connect},
    state::AppState,
};
use axum::{
    extract::{Query, State},
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Callback {
    state: Option<String>,
    code: Option<String>,
    error: Option<String>,
}

pub async fn oauth_callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<Callback>,
) -> Response {
    let back =
        |outcome: &str| Redirect::to(&format!("/admin/recording?oauth={outcome}")).into_response();
    let Ok(Some(user)) = user_from_headers(&state.db, &headers).await else {
        return Redirect::to("/login").into_response();
    };
    let Some(session) = cookie(&headers, app::auth::ssr::SESSION_COOKIE) else {
        return back(connect::CallbackError::BadState.code());
    };
    if !user.is_admin {
        return back(connect::CallbackError::BadState.code());
    }
    let Some(flow_state) = q.state.as_deref() else {
        return back(connect::CallbackError::BadState.code());
    };
    // With `error` (e.g. access_denied) the flow still ends, so its state cannot be replayed.
    let code = if q.error.is_some() {
        None
    } else {
        q.code.as_deref()
    };
    match connect::finish(&Ctx::of(&state), &session, flow_state, code).await {
        Ok(_) => back("added"),
        Err(e) => back(e.code()),
    }
}
