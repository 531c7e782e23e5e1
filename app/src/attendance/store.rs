//! Attendance rows (server only): opening a session, and applying a batch of heartbeats in one
//! transaction. The rules themselves are in `beat.rs`; this file only loads and saves.

use std::collections::{HashMap, HashSet};

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    sea_query::{CaseStatement, Expr},
};

use super::{
    beat::{Anchor, Beat, Cursor, Decision, Rules, Source, decide, source_of},
    dto::BeatReply,
    error::BeatError,
    token::SessionToken,
};
use crate::entities::{
    attendance_interval as iv, attendance_session as sess, attendance_summary as summary,
    guest_link, guest_use, session as login,
};

/// A write to an activity's intervals makes its stored totals stale: drop them in the same
/// transaction (a report recomputes them once the activity has settled again).
async fn invalidate_summaries(
    txn: &impl ConnectionTrait,
    activity_ids: Vec<i32>,
) -> Result<(), DbErr> {
    if activity_ids.is_empty() {
        return Ok(());
    }
    summary::Entity::delete_many()
        .filter(summary::Column::ActivityId.is_in(activity_ids))
        .exec(txn)
        .await?;
    Ok(())
}

/// What admitted the heartbeat's sender: their sign-in (the SHA-256 id of the session cookie)
/// or, for a guest, their use of a link. The access cache may be up to a minute old, so each
/// batch checks these again inside its transaction: a heartbeat that arrives after a logout, a
/// disabled account or a revoked link credits nothing, on every replica.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Credential {
    Session(String),
    Guest(i32),
}

/// One heartbeat request, as the writer task receives it.
#[derive(Debug, Clone)]
pub struct BatchItem {
    pub token: SessionToken,
    pub credential: Credential,
    pub beats: Vec<Beat>,
    pub close: bool,
    /// Server receipt time.
    pub now: i64,
    /// The latest instant that may be credited: `now`, or the activity's close if earlier.
    pub cap: i64,
}

/// Opens a session for a tab that just joined the conference; its first interval starts now.
/// Who attends: an Aula user, or a guest who came through a link (`guest_uses.id`).
#[derive(Debug, Clone)]
pub enum Attendee {
    User(i32),
    Guest { use_id: i32, name: String },
}

impl Attendee {
    /// The owner id signed into session tokens: users positive, guests negative.
    pub fn token_id(&self) -> i32 {
        match self {
            Self::User(id) => *id,
            Self::Guest { use_id, .. } => -use_id,
        }
    }

    fn columns(&self) -> (Option<i32>, Option<String>) {
        match self {
            Self::User(id) => (Some(*id), None),
            Self::Guest { use_id, .. } => (None, Some(guest_key(*use_id))),
        }
    }
}

/// How a guest is keyed in attendance rows.
pub fn guest_key(use_id: i32) -> String {
    format!("g{use_id}")
}

/// Tabs one person may have counting in one activity at once; opening one more ends the oldest
/// (its next heartbeat learns the session closed). Presence shows at most this many tabs.
pub const MAX_OPEN_TABS: usize = 5;
/// Sessions one person may open in one activity per minute, counted in the database so the bound
/// holds across replicas. A reload or a rejoin opens one; a script opening hundreds is refused.
pub const MAX_OPENS_PER_MINUTE: u64 = 10;

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("too many attendance sessions opened in the last minute")]
    TooFast,
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// The attendance rows of one person in one activity.
fn of_attendee(
    activity_id: i32,
    user_id: Option<i32>,
    guest: Option<&str>,
) -> sea_orm::Select<sess::Entity> {
    let q = sess::Entity::find().filter(sess::Column::ActivityId.eq(activity_id));
    match (user_id, guest) {
        (Some(u), _) => q.filter(sess::Column::UserId.eq(u)),
        (None, Some(g)) => q.filter(sess::Column::GuestKey.eq(g)),
        (None, None) => q.filter(sess::Column::Id.eq(-1)),
    }
}

/// Ends sessions beyond the newest `MAX_OPEN_TABS - 1`, so the one being opened fits.
async fn end_oldest_tabs(
    txn: &impl ConnectionTrait,
    activity_id: i32,
    user_id: Option<i32>,
    guest: Option<&str>,
    now: i64,
) -> Result<(), DbErr> {
    let open: Vec<i32> = of_attendee(activity_id, user_id, guest)
        .filter(sess::Column::ClosedMs.is_null())
        .order_by_desc(sess::Column::OpenedMs)
        .order_by_desc(sess::Column::Id)
        .all(txn)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    let Some(oldest) = open.get(MAX_OPEN_TABS - 1..).filter(|o| !o.is_empty()) else {
        return Ok(());
    };
    let oldest = oldest.to_vec();
    sess::Entity::update_many()
        .col_expr(sess::Column::ClosedMs, Expr::val(now))
        .filter(sess::Column::Id.is_in(oldest.clone()))
        .exec(txn)
        .await?;
    // Their intervals end where the server last heard them.
    iv::Entity::update_many()
        .col_expr(iv::Column::EndMs, Expr::col(iv::Column::LastSeenMs))
        .filter(iv::Column::SessionId.is_in(oldest))
        .filter(iv::Column::EndMs.is_null())
        .exec(txn)
        .await?;
    Ok(())
}

pub async fn open_session(
    db: &DatabaseConnection,
    activity_id: i32,
    who: &Attendee,
    now: i64,
    client_ms: i64,
) -> Result<(i32, Anchor), OpenError> {
    let txn = crate::txn::begin_write(db).await?;
    let (user_id, guest) = who.columns();
    let recent = of_attendee(activity_id, user_id, guest.as_deref())
        .filter(sess::Column::OpenedMs.gt(now - 60_000))
        .count(&txn)
        .await?;
    if recent >= MAX_OPENS_PER_MINUTE {
        return Err(OpenError::TooFast);
    }
    end_oldest_tabs(&txn, activity_id, user_id, guest.as_deref(), now).await?;
    let s = sess::ActiveModel {
        activity_id: Set(activity_id),
        user_id: Set(user_id),
        guest_key: Set(guest.clone()),
        guest_name: Set(match who {
            Attendee::Guest { name, .. } => Some(name.clone()),
            Attendee::User(_) => None,
        }),
        opened_ms: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    iv::ActiveModel {
        session_id: Set(s.id),
        activity_id: Set(activity_id),
        user_id: Set(user_id),
        guest_key: Set(guest),
        start_ms: Set(now),
        last_seen_ms: Set(now),
        last_seq: Set(0),
        last_client_ms: Set(client_ms),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    invalidate_summaries(&txn, vec![activity_id]).await?;
    txn.commit().await?;
    Ok((
        s.id,
        Anchor {
            server_ms: now,
            client_ms,
        },
    ))
}

/// The token owner id of a stored session (see `Attendee::token_id`).
fn owner_id(s: &sess::Model) -> Option<i32> {
    s.user_id.or_else(|| {
        s.guest_key
            .as_deref()
            .and_then(|k| k.strip_prefix('g'))
            .and_then(|n| n.parse::<i32>().ok())
            .map(|n| -n)
    })
}

/// An interval as the batch leaves it.
#[derive(Debug, Clone)]
struct Slot {
    id: Option<i32>,
    session_id: i32,
    activity_id: i32,
    user_id: Option<i32>,
    guest_key: Option<String>,
    start: i64,
    cursor: Cursor,
    end: Option<i64>,
    changed: bool,
    /// Credited from held-back beats (see `beat::Source`).
    buffered: bool,
}

/// Starts a new interval at `start`, closing the current one where it was last heard. A new
/// interval that never grew (between two kinds of time, or after a skip) is dropped, not written.
fn restart(slot: &mut Slot, done: &mut Vec<Slot>, start: i64, cursor: Cursor, buffered: bool) {
    let next = Slot {
        id: None,
        start,
        cursor,
        end: None,
        changed: true,
        buffered,
        ..slot.clone()
    };
    let mut old = std::mem::replace(slot, next);
    old.end = Some(old.cursor.last_seen);
    old.changed = true;
    if old.id.is_some() || old.start < old.cursor.last_seen {
        done.push(old);
    }
}

/// Applies every item in order inside one transaction. Returns one result per item; `Err` only
/// when the database failed (the caller may retry the whole batch: nothing was committed).
pub async fn apply_batch(
    db: &DatabaseConnection,
    rules: Rules,
    items: &[&BatchItem],
) -> Result<Vec<Result<BeatReply, BeatError>>, DbErr> {
    let txn = crate::txn::begin_write(db).await?;
    let mut sids: Vec<i32> = items.iter().map(|i| i.token.session_id).collect();
    sids.sort_unstable();
    sids.dedup();

    // The open interval of each session; locked against another replica's writer on the
    // engines that have row locks (SQLite has one writer at a time anyway).
    let mut query = iv::Entity::find()
        .filter(iv::Column::SessionId.is_in(sids.clone()))
        .filter(iv::Column::EndMs.is_null());
    if txn.get_database_backend() != DbBackend::Sqlite {
        query = query.lock_exclusive();
    }
    let mut open: HashMap<i32, Slot> = HashMap::new();
    for row in query.all(&txn).await? {
        let slot = Slot {
            id: Some(row.id),
            session_id: row.session_id,
            activity_id: row.activity_id,
            user_id: row.user_id,
            guest_key: row.guest_key.clone(),
            start: row.start_ms,
            cursor: Cursor {
                last_seen: row.last_seen_ms,
                last_seq: row.last_seq,
                last_at: row.last_client_ms,
            },
            end: None,
            changed: false,
            buffered: row.buffered,
        };
        // Should two be open after a crash mid-restart, the newest one is current.
        if open.get(&row.session_id).is_none_or(|s| s.id < slot.id) {
            open.insert(row.session_id, slot);
        }
    }
    let missing: Vec<i32> = sids
        .iter()
        .copied()
        .filter(|s| !open.contains_key(s))
        .collect();
    let known: HashMap<i32, sess::Model> = if missing.is_empty() {
        HashMap::new()
    } else {
        sess::Entity::find()
            .filter(sess::Column::Id.is_in(missing))
            .all(&txn)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect()
    };

    let standing = standing_credentials(&txn, items).await?;

    let mut done: Vec<Slot> = Vec::new();
    let mut closed_sessions: Vec<(i32, i64)> = Vec::new();
    let mut results = Vec::with_capacity(items.len());
    for item in items {
        let t = item.token;
        if !standing.contains(&item.credential) {
            results.push(Err(match item.credential {
                Credential::Session(_) => BeatError::Unauthenticated,
                Credential::Guest(_) => BeatError::Forbidden,
            }));
            continue;
        }
        let Some(slot) = open.get_mut(&t.session_id) else {
            results.push(Err(match known.get(&t.session_id) {
                Some(s) if owner_id(s) == Some(t.user_id) && s.activity_id == t.activity_id => {
                    BeatError::SessionClosed
                }
                _ => BeatError::UnknownSession,
            }));
            continue;
        };
        let (mut accepted, mut ignored) = (0u32, 0u32);
        for &beat in &item.beats {
            let buffered = source_of(slot.cursor, beat, item.now, rules) == Source::Buffered;
            match decide(t.anchor, slot.cursor, beat, item.now, item.cap, rules) {
                Decision::Ignore(_) => ignored += 1,
                Decision::Extend(c) if slot.buffered == buffered => {
                    slot.cursor = c;
                    slot.changed = true;
                    accepted += 1;
                }
                Decision::Extend(c) => {
                    // Live time and time from held-back beats are stored apart: a change of
                    // kind starts a new interval where the server last heard the browser.
                    let at = slot.cursor.last_seen;
                    restart(slot, &mut done, at, c, buffered);
                    accepted += 1;
                }
                Decision::Restart { start, cursor } => {
                    restart(slot, &mut done, start, cursor, buffered);
                    accepted += 1;
                }
                Decision::Skip(cursor) => {
                    restart(slot, &mut done, cursor.last_seen, cursor, buffered);
                    ignored += 1;
                }
            }
        }
        let still_open = !item.close;
        if item.close {
            if let Some(mut last) = open.remove(&t.session_id) {
                last.end = Some(last.cursor.last_seen);
                last.changed = true;
                done.push(last);
            }
            closed_sessions.push((t.session_id, item.now));
        }
        results.push(Ok(BeatReply {
            accepted,
            ignored,
            open: still_open,
        }));
    }
    done.extend(open.into_values());

    let (updates, inserts): (Vec<Slot>, Vec<Slot>) = done
        .into_iter()
        .filter(|s| s.changed)
        .partition(|s| s.id.is_some());
    let mut touched: Vec<i32> = updates
        .iter()
        .chain(inserts.iter())
        .map(|s| s.activity_id)
        .collect();
    touched.sort_unstable();
    touched.dedup();
    invalidate_summaries(&txn, touched).await?;
    save_updates(&txn, &updates).await?;
    if !inserts.is_empty() {
        iv::Entity::insert_many(inserts.into_iter().map(|s| iv::ActiveModel {
            session_id: Set(s.session_id),
            activity_id: Set(s.activity_id),
            user_id: Set(s.user_id),
            guest_key: Set(s.guest_key),
            start_ms: Set(s.start),
            last_seen_ms: Set(s.cursor.last_seen),
            end_ms: Set(s.end),
            last_seq: Set(s.cursor.last_seq),
            last_client_ms: Set(s.cursor.last_at),
            buffered: Set(s.buffered),
            ..Default::default()
        }))
        .exec(&txn)
        .await?;
    }
    for (sid, now) in closed_sessions {
        sess::Entity::update_many()
            .col_expr(sess::Column::ClosedMs, Expr::val(now))
            .filter(sess::Column::Id.eq(sid))
            .filter(sess::Column::ClosedMs.is_null())
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(results)
}

/// The credentials of the batch that still admit their holder now: sign-ins not logged out,
/// expired or ended by an admin; guest uses whose link is neither revoked nor expired.
async fn standing_credentials(
    txn: &impl ConnectionTrait,
    items: &[&BatchItem],
) -> Result<HashSet<Credential>, DbErr> {
    let now = crate::clock::now();
    let mut sessions: Vec<String> = Vec::new();
    let mut guests: Vec<i32> = Vec::new();
    for item in items {
        match &item.credential {
            Credential::Session(id) => sessions.push(id.clone()),
            Credential::Guest(id) => guests.push(*id),
        }
    }
    sessions.sort_unstable();
    sessions.dedup();
    guests.sort_unstable();
    guests.dedup();
    let mut standing = HashSet::new();
    if !sessions.is_empty() {
        for s in login::Entity::find()
            .filter(login::Column::Id.is_in(sessions))
            .filter(login::Column::ExpiresAt.gt(now))
            .all(txn)
            .await?
        {
            standing.insert(Credential::Session(s.id));
        }
    }
    if !guests.is_empty() {
        let uses = guest_use::Entity::find()
            .filter(guest_use::Column::Id.is_in(guests))
            .all(txn)
            .await?;
        let links: HashSet<i32> = guest_link::Entity::find()
            .filter(guest_link::Column::Id.is_in(uses.iter().map(|u| u.link_id)))
            .filter(guest_link::Column::Revoked.eq(false))
            .filter(guest_link::Column::ExpiresAt.gt(now))
            .all(txn)
            .await?
            .into_iter()
            .map(|l| l.id)
            .collect();
        for u in uses {
            if links.contains(&u.link_id) {
                standing.insert(Credential::Guest(u.id));
            }
        }
    }
    Ok(standing)
}

/// One UPDATE for all changed intervals: `SET col = CASE id WHEN … END WHERE id IN (…)`.
async fn save_updates(txn: &impl ConnectionTrait, updates: &[Slot]) -> Result<(), DbErr> {
    for chunk in updates.chunks(200) {
        let ids: Vec<i32> = chunk.iter().filter_map(|s| s.id).collect();
        let case = |f: &dyn Fn(&Slot) -> Option<i64>| {
            chunk.iter().fold(CaseStatement::new(), |c, s| {
                c.case(iv::Column::Id.eq(s.id.unwrap_or_default()), Expr::val(f(s)))
            })
        };
        iv::Entity::update_many()
            .col_expr(
                iv::Column::LastSeenMs,
                case(&|s| Some(s.cursor.last_seen)).into(),
            )
            .col_expr(
                iv::Column::LastSeq,
                case(&|s| Some(s.cursor.last_seq)).into(),
            )
            .col_expr(
                iv::Column::LastClientMs,
                case(&|s| Some(s.cursor.last_at)).into(),
            )
            .col_expr(iv::Column::EndMs, case(&|s| s.end).into())
            .filter(iv::Column::Id.is_in(ids))
            .exec(txn)
            .await?;
    }
    Ok(())
}
