//! Guest-link functions. Teachers (capability `createlink`) create, list and revoke links; guests
//! (no account) read a link's page and join through it. Every guest step re-checks the link and
//! is rate-limited per IP.

use leptos::prelude::*;

use super::model::{GuestLinkInfo, LinkRow};
use crate::{activities::dto::JoinTicket, error::AppError};

#[server(endpoint = "guests/links")]
pub async fn guest_links(activity_id: i32) -> Result<Vec<LinkRow>, AppError> {
    use crate::request::Respond;
    service::links(activity_id).await.respond()
}

#[server(endpoint = "guests/create")]
pub async fn create_guest_link(
    activity_id: i32,
    label: String,
    expires_at: String,
    max_uses: String,
) -> Result<(), AppError> {
    use crate::request::Respond;
    service::create(activity_id, label, expires_at, max_uses)
        .await
        .respond()
}

#[server(endpoint = "guests/revoke")]
pub async fn revoke_guest_link(activity_id: i32, link_id: i32) -> Result<(), AppError> {
    use crate::request::Respond;
    service::revoke(activity_id, link_id).await.respond()
}

/// E-mails the link, with the session as an `.ics` attachment, to up to 50 addresses.
#[server(endpoint = "guests/invite")]
pub async fn invite_guests(
    activity_id: i32,
    link_id: i32,
    emails: String,
) -> Result<u32, AppError> {
    use crate::request::Respond;
    service::invite(activity_id, link_id, emails)
        .await
        .respond()
}

#[server(endpoint = "guests/info")]
pub async fn guest_info(token: String) -> Result<GuestLinkInfo, AppError> {
    use crate::request::Respond;
    service::info(token).await.respond()
}

/// Records the guest, sets their guest cookie and issues a member ticket (never moderator).
#[server(endpoint = "guests/join")]
pub async fn guest_join(token: String, name: String) -> Result<JoinTicket, AppError> {
    use crate::request::Respond;
    service::join(token, name).await.respond()
}

#[cfg(feature = "ssr")]
mod service {
    use sea_orm::EntityTrait;

    use super::super::{
        model::{GuestLinkInfo, LinkRow, LinkState, guest_name, validate_link},
        ssr,
    };
    use crate::{
        activities::{
            dto::JoinTicket,
            model::{Phase, Window},
            ssr::{Identity, ticket},
        },
        capabilities::{Capability, ssr::require_activity_cap},
        clock::now,
        entities::{activity, course},
        error::{AppError, ConflictReason},
        request::{request_headers, request_lang, require_user},
        state::{AppState, app_state},
        tz,
    };

    fn window(a: &activity::Model) -> Window {
        Window {
            opens_at: a.opens_at,
            closes_at: a.closes_at,
            early_entry_minutes: 0,
        }
    }

    /// Every guest request counts against the caller's IP, in the database (all replicas).
    async fn limit(state: &AppState) -> Result<(), AppError> {
        use crate::throttle::{ANONYMOUS, hit_all, over_any};
        let key = format!("guest-ip:{}", crate::request::request_ip(state));
        let t = crate::clock::now_ms();
        if over_any(&state.db, &[&key], ANONYMOUS, t).await? {
            return Err(AppError::RateLimited);
        }
        hit_all(&state.db, &[&key], ANONYMOUS, t).await?;
        Ok(())
    }

    pub async fn links(activity_id: i32) -> Result<Vec<LinkRow>, AppError> {
        let c = require_user().await?;
        require_activity_cap(&c.state.db, &c.user, activity_id, Capability::CreateLink).await?;
        ssr::list(
            &c.state.db,
            &c.state.secrets,
            activity_id,
            &c.state.settings.public_url,
            &c.tz(),
        )
        .await
    }

    pub async fn create(
        activity_id: i32,
        label: String,
        expires_at: String,
        max_uses: String,
    ) -> Result<(), AppError> {
        let c = require_user().await?;
        require_activity_cap(&c.state.db, &c.user, activity_id, Capability::CreateLink).await?;
        let v = validate_link(
            &label,
            tz::parse_input(&expires_at, &c.tz()),
            &max_uses,
            now(),
        )?;
        ssr::create(&c.state.db, &c.state.secrets, activity_id, c.user.id, v).await?;
        Ok(())
    }

    pub async fn revoke(activity_id: i32, link_id: i32) -> Result<(), AppError> {
        let c = require_user().await?;
        require_activity_cap(&c.state.db, &c.user, activity_id, Capability::CreateLink).await?;
        ssr::revoke(&c.state.db, activity_id, link_id).await
    }

    pub async fn invite(activity_id: i32, link_id: i32, emails: String) -> Result<u32, AppError> {
        use crate::{
            auth::model::Email,
            courses::calendar::invitation,
            entities::guest_link,
            error::FieldCode,
            i18n::fill,
            mail::{Invitation, send},
        };
        let c = require_user().await?;
        let db = &c.state.db;
        let access = require_activity_cap(db, &c.user, activity_id, Capability::CreateLink).await?;
        let smtp = c
            .state
            .settings
            .smtp
            .clone()
            .ok_or(AppError::Conflict(ConflictReason::NotConfigured))?;
        let mut to = Vec::new();
        for raw in emails
            .split([',', ';', '\n', ' ', '\t'])
            .filter(|s| !s.trim().is_empty())
        {
            to.push(
                Email::parse(raw)
                    .map_err(|_| AppError::invalid("emails", FieldCode::InvalidEmail))?,
            );
        }
        if to.is_empty() {
            return Err(AppError::invalid("emails", FieldCode::Required));
        }
        if to.len() > 50 {
            return Err(AppError::invalid("emails", FieldCode::OutOfRange(1, 50)));
        }
        let link = guest_link::Entity::find_by_id(link_id)
            .one(db)
            .await?
            .filter(|l| l.activity_id == activity_id)
            .ok_or(AppError::NotFound)?;
        if ssr::state_of(&link, now()) != LinkState::Valid {
            return Err(AppError::Conflict(ConflictReason::Closed));
        }
        let token = c
            .state
            .secrets
            .decrypt(&link.token_enc)
            .map_err(|_| AppError::internal("guest link token does not decrypt"))?;
        let public = &c.state.settings.public_url;
        let url = ssr::url_of(public, &token);
        let a = &access.activity;
        let course = course::Entity::find_by_id(a.course_id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        let host = public.split("://").nth(1).unwrap_or("aula");
        let ics = invitation(a, &course, &url, host, now());
        let zone = c.tz();
        let t = crate::i18n::Lang::parse(&c.user.language)
            .unwrap_or_default()
            .texts();
        let subject = fill(t.mail_subject, &[&a.name]);
        let body = fill(
            t.mail_body,
            &[
                &a.name,
                &course.name,
                &tz::format_local(a.opens_at, &zone),
                &tz::format_local(a.closes_at, &zone),
                &zone,
                &url,
            ],
        );
        let mut sent = 0;
        for addr in to {
            send(
                &smtp,
                Invitation {
                    to: addr.as_str(),
                    subject: &subject,
                    body: &body,
                    ics: &ics,
                },
            )
            .await
            .map_err(AppError::internal)?;
            sent += 1;
        }
        Ok(sent)
    }

    pub async fn info(token: String) -> Result<GuestLinkInfo, AppError> {
        let state = app_state()?;
        limit(&state).await?;
        let db = &state.db;
        let headers = request_headers();
        let zone = crate::request::request_tz(None, &headers);
        let unknown = || GuestLinkInfo {
            state: LinkState::Unknown,
            activity_id: 0,
            activity_name: String::new(),
            course_name: String::new(),
            phase: Phase::Closed,
            window_len: 0,
            opens_display: String::new(),
        };
        let Some(link) = ssr::find(db, &token).await? else {
            return Ok(unknown());
        };
        let Some(a) = activity::Entity::find_by_id(link.activity_id)
            .one(db)
            .await?
        else {
            return Ok(unknown());
        };
        let course = course::Entity::find_by_id(a.course_id).one(db).await?;
        // The guest's page embeds the meeting: its server goes into the page's policy.
        let room = crate::activities::share::service::meeting_room(db, &a).await?;
        if let Some(s) = crate::entities::jitsi_server::Entity::find_by_id(room.server_id)
            .one(db)
            .await?
        {
            crate::csp::embeds_meeting_server(&s.base_url);
        }
        Ok(GuestLinkInfo {
            state: ssr::state_of(&link, now()),
            activity_id: a.id,
            phase: window(&a).phase(now(), false),
            window_len: a.closes_at - a.opens_at,
            opens_display: tz::format_local(a.opens_at, &zone),
            activity_name: a.name,
            course_name: course.map(|c| c.name).unwrap_or_default(),
        })
    }

    pub async fn join(token: String, name: String) -> Result<JoinTicket, AppError> {
        let state = app_state()?;
        limit(&state).await?;
        let db = &state.db;
        let name = guest_name(&name).map_err(|code| AppError::invalid("name", code))?;
        let link = ssr::find(db, &token).await?.ok_or(AppError::NotFound)?;
        if ssr::state_of(&link, now()) != LinkState::Valid {
            return Err(AppError::Conflict(ConflictReason::Closed));
        }
        let a = activity::Entity::find_by_id(link.activity_id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        match window(&a).phase(now(), false) {
            Phase::Open { .. } => {}
            Phase::Closed => return Err(AppError::Conflict(ConflictReason::Closed)),
            Phase::Upcoming { .. } => return Err(AppError::Conflict(ConflictReason::NotOpenYet)),
        }
        let guest = ssr::take_use(db, &link, &name)
            .await?
            .ok_or(AppError::Conflict(ConflictReason::Closed))?;
        if let Some(opts) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
            && let Ok(v) = axum::http::HeaderValue::from_str(&ssr::guest_cookie(
                &guest.guest_key,
                state.settings.secure_cookies,
            ))
        {
            opts.append_header(axum::http::header::SET_COOKIE, v);
        }
        let headers = request_headers();
        ticket(
            &state,
            &a,
            Identity {
                id: format!("guest:{}", guest.id),
                name,
                email: String::new(),
                avatar: None,
                moderator: false,
                can_record: false,
            },
            request_lang(&headers).code(),
        )
        .await
    }
}
