//! Entering a meeting (server only). Owners, co-owners and admins start it and join as
//! `MODERATOR`; everyone else the meeting admits joins as `VIEWER` once it runs, and people without
//! an account (link meetings only) join as BBB guests, so `ASK_MODERATOR` sends them to the lobby.
//! The access code is compared in constant time, and every anonymous attempt and every wrong code
//! counts against the caller's IP (and account) in the guest limiter.

use rand::RngCore;
use sha2::{Digest, Sha256};

use super::{find_public, next_session, recurrence_of, slides, standing};
use crate::{
    clock::now,
    entities::{bbb_room, meeting, user},
    error::{AppError, ConflictReason, FieldCode},
    i18n::{Lang, fill},
    meetings::{
        access::{Code, Entry, entry, may_see},
        model::{Access, MeetingPage, MeetingStatus},
        texts::texts_for,
    },
    rooms::ssr::{self as rooms, Entrant, Owner, StartOptions},
    state::AppState,
    throttle::{ANONYMOUS, hit_all, over_any},
};
use bbb::client::BbbServer;

/// The caller as the request shows them.
pub struct Visitor<'a> {
    pub user: Option<&'a user::Model>,
    /// For rate limiting.
    pub ip: String,
    /// The guest id this browser had before (its cookie), so a guest who rejoins is the same
    /// `userID` to BBB's analytics.
    pub guest_key: Option<String>,
}

/// What the join form sent.
#[derive(Debug, Clone, Default)]
pub struct Asked {
    pub name: String,
    pub code: String,
}

pub struct Joined {
    pub url: String,
    /// A guest's id to keep in their cookie.
    pub guest_key: Option<String>,
}

/// Equal without an early exit: both sides are hashed to the same length first, and every byte
/// is compared, so timing says nothing about how much of a guess was right.
fn same_secret(a: &str, b: &str) -> bool {
    let (x, y) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    x.iter()
        .zip(y.iter())
        .fold(0u8, |acc, (p, q)| acc | (p ^ q))
        == 0
}

fn new_guest_key() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn valid_guest_key(k: &str) -> bool {
    k.len() == 32 && k.bytes().all(|b| b.is_ascii_hexdigit())
}

fn refused(e: Entry) -> AppError {
    match e {
        Entry::SignIn => AppError::Unauthenticated,
        Entry::CodeMissing => AppError::invalid("access_code", FieldCode::Required),
        Entry::CodeWrong => AppError::invalid("access_code", FieldCode::InvalidChoice),
        _ => AppError::Forbidden,
    }
}

/// The meeting's name as BBB and the page show it.
fn bbb_name(m: &meeting::Model, owner_name: &str, lang: Lang) -> String {
    if m.is_personal {
        fill(texts_for(lang).personal_room_of, &[owner_name])
    } else {
        m.name.clone()
    }
}

async fn owner_name(state: &AppState, m: &meeting::Model) -> Result<String, AppError> {
    Ok(super::owners::names_of(&state.db, [m.owner_id])
        .await?
        .remove(&m.owner_id)
        .unwrap_or_default())
}

/// The meeting's room and `createTime` while it runs on the meeting's current server. A room
/// never started costs no call to BBB, so anonymous polling of an idle meeting is free.
async fn running_room(
    state: &AppState,
    m: &meeting::Model,
) -> Result<Option<(bbb_room::Model, BbbServer, i64)>, AppError> {
    let Some(room) = rooms::room_of(&state.db, Owner::Meeting(m.id)).await? else {
        return Ok(None);
    };
    if room.create_time.is_none() || room.server_id != m.server_id {
        return Ok(None);
    }
    let (_, bbb) = rooms::server_of(state, &room).await?;
    Ok(rooms::running(state, &room, &bbb)
        .await?
        .map(|t| (room, bbb, t)))
}

/// Starts the meeting (idempotent) with its options and slides.
async fn start(
    state: &AppState,
    m: &meeting::Model,
    lang: Lang,
) -> Result<(bbb_room::Model, BbbServer, i64), AppError> {
    let server = crate::servers::ssr::find(&state.db, m.server_id).await?;
    let bbb = crate::servers::ssr::bbb_server(&server, &state.secrets)?;
    let room = rooms::room_for(&state.db, Owner::Meeting(m.id), m.server_id).await?;
    let owner = owner_name(state, m).await?;
    let create_time = rooms::start(
        state,
        &room,
        &bbb,
        StartOptions {
            name: bbb_name(m, &owner, lang),
            welcome: Some(m.welcome.clone()),
            record: m.record,
            auto_start_recording: m.auto_start_recording,
            allow_start_stop_recording: m.allow_start_stop_recording,
            duration: u32::try_from(m.max_duration_minutes).unwrap_or(0),
            guest_policy: Some(m.guest_policy.as_str().to_owned()),
            return_path: format!("/m/{}", m.public_id),
            context: texts_for(lang).nav_meetings.to_owned(),
            slides: slides::read(&state.settings.data_dir, m).await,
        },
    )
    .await?;
    Ok((room, bbb, create_time))
}

/// The join page's facts, for anyone the meeting admits (the code is asked only to join).
pub async fn page(
    state: &AppState,
    public_id: &str,
    caller: Option<&user::Model>,
    zone: &str,
) -> Result<MeetingPage, AppError> {
    let m = find_public(&state.db, public_id).await?;
    let who = standing(&state.db, &m, caller).await?;
    let seen = may_see(m.access, who);
    if !matches!(seen, Entry::Moderator | Entry::Viewer | Entry::Guest) {
        return Err(refused(seen));
    }
    let running = running_room(state, &m).await?.is_some();
    Ok(MeetingPage {
        next_session: next_session(&m, zone, now()),
        session_minutes: m.duration_minutes,
        recurring: recurrence_of(&m).is_some(),
        time_zone: zone.to_owned(),
        signed_in: caller.is_some(),
        is_owner: who.is_owner(),
        meeting_id: who.is_owner().then_some(m.id),
        url: who
            .is_owner()
            .then(|| super::url_of(&state.settings.public_url, &m.public_id)),
        running,
        needs_code: !who.is_owner() && m.access_code_enc.is_some() && m.access == Access::Link,
        owner_name: owner_name(state, &m).await?,
        name: if m.is_personal {
            String::new()
        } else {
            m.name.clone()
        },
        is_personal: m.is_personal,
        public_id: m.public_id,
    })
}

/// Whether the meeting runs, for the join page's polling.
pub async fn status(
    state: &AppState,
    public_id: &str,
    caller: Option<&user::Model>,
) -> Result<MeetingStatus, AppError> {
    let m = find_public(&state.db, public_id).await?;
    let who = standing(&state.db, &m, caller).await?;
    let seen = may_see(m.access, who);
    if !matches!(seen, Entry::Moderator | Entry::Viewer | Entry::Guest) {
        return Err(refused(seen));
    }
    Ok(MeetingStatus {
        running: running_room(state, &m).await?.is_some(),
    })
}

/// The signed BBB join URL for this visitor, or why not (`NotStarted`: wait on the page).
#[tracing::instrument(skip_all)]
pub async fn join(
    state: &AppState,
    public_id: &str,
    visitor: &Visitor<'_>,
    asked: Asked,
    lang: Lang,
) -> Result<Joined, AppError> {
    let db = &state.db;
    let t = crate::clock::now_ms();
    let ip_key = format!("meeting-ip:{}", visitor.ip);
    let user_key = visitor.user.map(|u| format!("meeting-user:{}", u.id));
    let mut keys = vec![ip_key.as_str()];
    keys.extend(user_key.as_deref());
    if visitor.user.is_none() {
        // Every anonymous attempt counts, as on guest links: guessing links or codes is slow.
        if over_any(db, &keys, ANONYMOUS, t).await? {
            return Err(AppError::RateLimited);
        }
        hit_all(db, &keys, ANONYMOUS, t).await?;
    }
    let m = find_public(&state.db, public_id).await?;
    let who = standing(&state.db, &m, visitor.user).await?;
    let access = m.access;
    let code = match &m.access_code_enc {
        Some(enc) if access == Access::Link && !who.is_owner() => {
            if over_any(db, &keys, ANONYMOUS, t).await? {
                return Err(AppError::RateLimited);
            }
            let given = asked.code.trim();
            let expected = state
                .secrets
                .decrypt(enc)
                .map_err(|_| AppError::internal("meeting access code does not decrypt"))?;
            if given.is_empty() {
                Code::Missing
            } else if same_secret(given, &expected) {
                Code::Right
            } else {
                hit_all(db, &keys, ANONYMOUS, t).await?;
                Code::Wrong
            }
        }
        _ => Code::NotSet,
    };
    let decision = entry(access, who, code);
    let (name, external_id, avatar_url, guest_key) = match (decision, visitor.user) {
        (Entry::Moderator | Entry::Viewer, Some(u)) => {
            let me = crate::auth::ssr::to_current_user(u, &state.settings.public_url);
            (me.display_name, u.id.to_string(), me.avatar_url, None)
        }
        (Entry::Guest, None) => {
            let name = crate::guests::model::guest_name(&asked.name)
                .map_err(|code| AppError::invalid("name", code))?;
            let key = visitor
                .guest_key
                .clone()
                .filter(|k| valid_guest_key(k))
                .unwrap_or_else(new_guest_key);
            (name, format!("guest:{key}"), None, Some(key))
        }
        (other, _) => return Err(refused(other)),
    };
    let moderator = decision == Entry::Moderator;
    let (room, bbb, create_time) = if moderator {
        start(state, &m, lang).await?
    } else {
        running_room(state, &m)
            .await?
            .ok_or(AppError::Conflict(ConflictReason::NotStarted))?
    };
    let url = rooms::join_url(
        &state.db,
        &room,
        &bbb,
        create_time,
        Entrant {
            user_id: visitor.user.map(|u| u.id),
            external_id,
            name,
            avatar_url,
            moderator,
            guest: decision == Entry::Guest,
        },
    )
    .await?;
    Ok(Joined { url, guest_key })
}

/// The guest cookie: the same guest id on the next join from this browser.
pub const GUEST_COOKIE: &str = "aula_mguest";

pub fn guest_cookie(key: &str, secure: bool) -> String {
    format!(
        "{GUEST_COOKIE}={key}; Path=/; HttpOnly; SameSite=Lax; Max-Age=43200{}",
        if secure { "; Secure" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_equal_only_when_identical() {
        assert!(same_secret("4711", "4711"));
        assert!(!same_secret("4711", "4712"));
        assert!(!same_secret("4711", "47110"));
        assert!(!same_secret("", "4711"));
    }

    #[test]
    fn guest_keys_are_random_hex_and_foreign_keys_are_refused() {
        let k = new_guest_key();
        assert!(valid_guest_key(&k));
        assert_ne!(k, new_guest_key());
        assert!(!valid_guest_key("guest:1"));
        assert!(!valid_guest_key(&"z".repeat(32)));
    }

    #[test]
    fn refusals_map_to_the_statuses_the_page_expects() {
        assert_eq!(refused(Entry::SignIn).status(), 401);
        assert_eq!(refused(Entry::Refused).status(), 403);
        assert_eq!(
            refused(Entry::CodeWrong).field("access_code"),
            Some(FieldCode::InvalidChoice)
        );
        assert_eq!(
            refused(Entry::CodeMissing).field("access_code"),
            Some(FieldCode::Required)
        );
    }
}
