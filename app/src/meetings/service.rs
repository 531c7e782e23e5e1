//! What each meeting server function does once called (server only): find the caller, check
//! what they may do from the database, read the form in the right time zone, call `ssr`.

use axum::http::HeaderValue;
use leptos::prelude::use_context;

use super::{
    model::{
        Access, CoOwners, GuestPolicy, JoinRedirect, MeetingDraft, MeetingFields, MeetingFormData,
        MeetingList, MeetingPage, MeetingStatus, ticked,
    },
    occurrences::{start_date, validate_series},
    rule::{End, RecurrenceDraft},
    ssr::{self, join, owners, slides},
};
use crate::{
    clock::now,
    error::{AppError, ConflictReason},
    request::{optional_user, request_lang, request_tz, require_user},
    state::AppState,
    tz,
};

/// Reads the form in `zone` and checks all of it, the series' length included.
fn validate(f: MeetingFields, zone: &str) -> Result<super::model::ValidMeeting, AppError> {
    let starts_at = tz::parse_input(&f.starts_at, zone);
    let draft = MeetingDraft {
        name: f.name,
        welcome: f.welcome,
        starts_at,
        start_date: starts_at.and_then(|s| start_date(s, zone)),
        duration_minutes: f.duration_minutes,
        recurrence: RecurrenceDraft {
            frequency: f.frequency,
            interval: f.interval,
            weekdays: f.weekdays.unwrap_or_default(),
            monthly_by: f.monthly_by,
            ends: f.ends,
            count: f.count,
            until: f.until,
        },
        access: f.access,
        access_code: f.access_code,
        code_in_invitations: ticked(&f.code_in_invitations),
        course_ids: f.course_ids.unwrap_or_default(),
        guest_policy: f.guest_policy.unwrap_or_default(),
        max_duration_minutes: f.max_duration_minutes,
        record: ticked(&f.record),
        auto_start_recording: ticked(&f.auto_start_recording),
        allow_start_stop_recording: ticked(&f.allow_start_stop_recording),
    };
    let v = draft.validate()?;
    if let Some(rule) = &v.recurrence {
        validate_series(v.starts_at, zone, rule)?;
    }
    Ok(v)
}

pub async fn list() -> Result<MeetingList, AppError> {
    let c = require_user().await?;
    ssr::list_mine(&c.state.db, &c.user, &c.tz(), &c.state.settings.public_url).await
}

/// Sets up the caller's personal room; a conflict while no BigBlueButton server exists.
pub async fn create_personal_room() -> Result<(), AppError> {
    let c = require_user().await?;
    ssr::ensure_personal_room(&c.state.db, &c.user, &c.tz())
        .await?
        .map(|_| ())
        .ok_or(AppError::Conflict(ConflictReason::NotConfigured))
}

fn recurrence_form(rule: Option<&super::rule::Recurrence>, weekday: u8) -> RecurrenceDraft {
    match rule {
        None => RecurrenceDraft {
            frequency: "none".into(),
            interval: "1".into(),
            weekdays: vec![weekday],
            monthly_by: super::rule::MonthlyBy::DayOfMonth.as_str().into(),
            ends: "count".into(),
            count: "10".into(),
            until: String::new(),
        },
        Some(r) => RecurrenceDraft {
            frequency: r.frequency.as_str().into(),
            interval: r.interval.to_string(),
            weekdays: if r.weekdays.is_empty() {
                vec![weekday]
            } else {
                r.weekdays.clone()
            },
            monthly_by: r.monthly_by.as_str().into(),
            ends: match r.end {
                End::Count(_) => "count".into(),
                End::Until(_) => "until".into(),
            },
            count: r.end.count().unwrap_or(10).to_string(),
            until: r.end.until().map(|d| d.to_string()).unwrap_or_default(),
        },
    }
}

pub async fn form(meeting_id: Option<i32>) -> Result<MeetingFormData, AppError> {
    let c = require_user().await?;
    let db = &c.state.db;
    let servers = ssr::bbb_servers(db).await?;
    let public_url = &c.state.settings.public_url;
    let Some(id) = meeting_id else {
        let zone = c.tz();
        // A sensible default: the next full hour, for one hour.
        let start = (now() / 3600 + 1) * 3600;
        let weekday = start_date(start, &zone).map_or(1, |d| d.weekday());
        return Ok(MeetingFormData {
            meeting_id: None,
            public_id: String::new(),
            url: String::new(),
            is_personal: false,
            name: String::new(),
            welcome: String::new(),
            starts_at: tz::to_input(start, &zone),
            duration_minutes: "60".into(),
            time_zone: zone,
            recurrence: recurrence_form(None, weekday),
            access: Access::Link,
            access_code: String::new(),
            code_in_invitations: false,
            course_ids: Vec::new(),
            courses: owners::course_choices(db, &c.user, &[]).await?,
            guest_policy: GuestPolicy::AlwaysAccept,
            max_duration_minutes: "0".into(),
            record: false,
            auto_start_recording: false,
            allow_start_stop_recording: true,
            server_id: servers.first().map_or(0, |s| s.id),
            servers: ssr::server_choices(&servers),
            slides_name: None,
            co_owners: CoOwners::default(),
            is_owner: true,
        });
    };
    let (m, who) = ssr::require_owner(db, &c.user, id).await?;
    let course_ids = owners::course_ids(db, m.id).await?;
    let rule = ssr::recurrence_of(&m);
    let weekday = start_date(m.starts_at, &m.time_zone).map_or(1, |d| d.weekday());
    let access_code = match &m.access_code_enc {
        Some(enc) => c
            .state
            .secrets
            .decrypt(enc)
            .map_err(|_| AppError::internal("meeting access code does not decrypt"))?,
        None => String::new(),
    };
    Ok(MeetingFormData {
        meeting_id: Some(m.id),
        url: ssr::url_of(public_url, &m.public_id),
        public_id: m.public_id.clone(),
        is_personal: m.is_personal,
        name: m.name.clone(),
        welcome: m.welcome.clone(),
        starts_at: tz::to_input(m.starts_at, &m.time_zone),
        duration_minutes: m.duration_minutes.to_string(),
        recurrence: recurrence_form(rule.as_ref(), weekday),
        access: m.access,
        access_code,
        code_in_invitations: m.code_in_invitations,
        courses: owners::course_choices(db, &c.user, &course_ids).await?,
        course_ids,
        guest_policy: m.guest_policy,
        max_duration_minutes: m.max_duration_minutes.to_string(),
        record: m.record,
        auto_start_recording: m.auto_start_recording,
        allow_start_stop_recording: m.allow_start_stop_recording,
        server_id: m.server_id,
        servers: ssr::server_choices(&servers),
        slides_name: m.slides_name.clone(),
        co_owners: owners::co_owners(db, m.id).await?,
        is_owner: who.is_primary(),
        time_zone: m.time_zone,
    })
}

pub async fn create(f: MeetingFields) -> Result<i32, AppError> {
    let c = require_user().await?;
    let db = &c.state.db;
    let zone = c.tz();
    let server_id = f.server_id;
    let v = validate(f, &zone)?;
    let m = ssr::create(db, &c.state.secrets, &c.user, v, server_id, &zone).await?;
    Ok(m.id)
}

pub async fn update(meeting_id: i32, mut f: MeetingFields) -> Result<i32, AppError> {
    let c = require_user().await?;
    let db = &c.state.db;
    let (m, _) = ssr::require_owner(db, &c.user, meeting_id).await?;
    // A series keeps the zone it was made in; its start is read there.
    let zone = m.time_zone.clone();
    if m.is_personal {
        // Not editable: the form's values stand in only so the rest can be checked.
        f.name = ssr::PERSONAL_NAME.into();
        f.starts_at = tz::to_input(m.starts_at, &zone);
        f.duration_minutes = m.duration_minutes.to_string();
        f.frequency = "none".into();
    }
    let server_id = f.server_id;
    let v = validate(f, &zone)?;
    let saved = ssr::update(db, &c.state.secrets, &c.user, m, v, server_id).await?;
    Ok(saved.id)
}

pub async fn delete(meeting_id: i32) -> Result<(), AppError> {
    let c = require_user().await?;
    let m = ssr::require_primary(&c.state.db, &c.user, meeting_id).await?;
    ssr::delete(&c.state.db, &c.state.settings.data_dir, m).await
}

pub async fn invite_co_owner(meeting_id: i32, email: String) -> Result<CoOwners, AppError> {
    let c = require_user().await?;
    let m = ssr::require_primary(&c.state.db, &c.user, meeting_id).await?;
    owners::invite(&c.state.db, &m, &c.user, &email).await
}

pub async fn withdraw_co_owner_invitation(
    meeting_id: i32,
    invitation_id: i32,
) -> Result<CoOwners, AppError> {
    let c = require_user().await?;
    let m = ssr::require_primary(&c.state.db, &c.user, meeting_id).await?;
    owners::withdraw(&c.state.db, &m, invitation_id).await
}

pub async fn answer_co_owner_invitation(invitation_id: i32, accept: bool) -> Result<(), AppError> {
    let c = require_user().await?;
    owners::answer(&c.state.db, &c.user, invitation_id, accept).await
}

pub async fn remove_co_owner(meeting_id: i32, user_id: i32) -> Result<CoOwners, AppError> {
    let c = require_user().await?;
    let m = ssr::require_primary(&c.state.db, &c.user, meeting_id).await?;
    owners::remove(&c.state.db, &m, user_id).await
}

pub async fn remove_slides(meeting_id: i32) -> Result<(), AppError> {
    let c = require_user().await?;
    let (m, _) = ssr::require_owner(&c.state.db, &c.user, meeting_id).await?;
    slides::clear(&c.state.db, &c.state.settings.data_dir, m).await
}

pub async fn page(public_id: String) -> Result<MeetingPage, AppError> {
    let (state, headers, user) = optional_user().await?;
    let zone = request_tz(user.as_ref(), &headers);
    join::page(&state, &public_id, user.as_ref(), &zone).await
}

pub async fn status(public_id: String) -> Result<MeetingStatus, AppError> {
    let (state, _, user) = optional_user().await?;
    join::status(&state, &public_id, user.as_ref()).await
}

fn set_guest_cookie(state: &AppState, key: &str) {
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>()
        && let Ok(v) =
            HeaderValue::from_str(&join::guest_cookie(key, state.settings.secure_cookies))
    {
        opts.append_header(axum::http::header::SET_COOKIE, v);
    }
}

pub async fn join(public_id: String, name: String, code: String) -> Result<JoinRedirect, AppError> {
    let (state, headers, user) = optional_user().await?;
    let visitor = join::Visitor {
        user: user.as_ref(),
        ip: crate::request::request_ip(&state).to_string(),
        guest_key: crate::auth::ssr::cookie(&headers, join::GUEST_COOKIE),
    };
    let joined = join::join(
        &state,
        &public_id,
        &visitor,
        join::Asked { name, code },
        request_lang(&headers),
    )
    .await?;
    if let Some(key) = &joined.guest_key {
        set_guest_cookie(&state, key);
    }
    Ok(JoinRedirect {
        redirect_url: joined.url,
    })
}
