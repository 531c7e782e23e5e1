//! The heartbeat path (server only), the hottest path of the product. A heartbeat costs: one
//! HMAC check of the session token, one lookup in a short-lived access cache, and a share of one
//! batched database transaction. The writer task gathers every heartbeat that arrives while the
//! previous batch is being written and commits them together, so the database sees one commit
//! per batch instead of one per request, and SQLite never has two writers queueing on its lock.
//! A heartbeat is answered only after its batch commits: nothing acknowledged is lost.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use axum::http::HeaderMap;
use sea_orm::DatabaseConnection;
use tokio::sync::{mpsc, oneshot};

pub use super::error::{BeatError, BeatErrorBody};
use super::{
    beat::Rules,
    dto::{BeatReply, BeatRequest},
    store::{self, BatchItem, Credential},
    token::{SessionToken, TokenKey},
};
use sea_orm::EntityTrait;

use crate::{
    auth::ssr::{SESSION_COOKIE, cookie, session_id, user_from_headers},
    capabilities::{Capability, ssr::require_activity_cap},
    error::AppError,
    guests::ssr::{GUEST_COOKIE, guest_from_headers},
};

/// What a heartbeat request must be before anything is looked up: at most
/// [`MAX_BEATS_PER_REQUEST`] beats, each with a plausible clock reading and counter.
pub fn check_request(req: &BeatRequest) -> Result<(), BeatError> {
    if req.b.len() > MAX_BEATS_PER_REQUEST {
        return Err(BeatError::Malformed("Too many heartbeats in one request."));
    }
    if !req.b.iter().all(|b| super::beat::plausible_beat(*b)) {
        return Err(BeatError::Malformed(
            "A heartbeat's time or counter is out of range.",
        ));
    }
    Ok(())
}

/// Most beats one request may carry (a browser offline for 100 minutes holds 200).
pub const MAX_BEATS_PER_REQUEST: usize = 400;
/// Beats per transaction. Larger batches made PostgreSQL stall: a statement that no longer fits
/// one TCP segment met Nagle's algorithm on sqlx's sockets (no `TCP_NODELAY`) and the server's
/// 40 ms delayed ACK. A burst is written as several batches in a row instead.
const MAX_BATCH: usize = 64;
/// An access-cache entry lives this long after its last hit (a beating tab keeps it warm)...
const ACCESS_TTL: Duration = Duration::from_secs(60);
/// ...but is checked again at least this often: capability and enrolment changes reach the
/// heartbeat path within five minutes. (Sign-outs, disabled accounts and revoked guest links are
/// checked in every batch, at once.)
const ACCESS_MAX_AGE: Duration = Duration::from_secs(300);
const ACCESS_CACHE_MAX: usize = 100_000;

#[derive(Debug, Clone, Copy)]
pub struct AttendanceSettings {
    pub heartbeat_ms: i64,
    pub grace_ms: i64,
    /// How far back held-back heartbeats may be credited (`Rules::backfill`).
    pub backfill_ms: i64,
}

impl AttendanceSettings {
    pub fn rules(&self) -> Rules {
        Rules {
            grace: self.grace_ms,
            // Timer jitter and network delay; far less than one heartbeat.
            tolerance: 5_000,
            backfill: self.backfill_ms,
        }
    }
}

#[derive(Clone, Copy)]
struct Access {
    user_id: i32,
    /// `Err` caches a refusal too, so a misbehaving client cannot make every request a DB read.
    verdict: Result<i64, Refusal>,
    expires: Instant,
    loaded: Instant,
}

#[derive(Clone, Copy)]
enum Refusal {
    Forbidden,
    Unknown,
}

struct Job {
    item: BatchItem,
    reply: oneshot::Sender<Result<BeatReply, BeatError>>,
}

pub struct AttendanceHub {
    pub settings: AttendanceSettings,
    key: TokenKey,
    access: Mutex<HashMap<(String, i32), Access>>,
    writer: mpsc::Sender<Job>,
}

impl std::fmt::Debug for AttendanceHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AttendanceHub")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl AttendanceHub {
    /// Starts the writer task on the current Tokio runtime. At most `queue` heartbeat requests
    /// wait for it; more are shed with 503 rather than queued without bound.
    pub fn start(
        db: DatabaseConnection,
        settings: AttendanceSettings,
        key: [u8; 32],
        queue: usize,
    ) -> Self {
        let (tx, rx) = mpsc::channel(queue.max(1));
        tokio::spawn(run_writer(db, settings.rules(), rx));
        Self {
            settings,
            key: TokenKey::new(key),
            access: Mutex::new(HashMap::new()),
            writer: tx,
        }
    }

    pub fn sign(&self, t: &SessionToken) -> String {
        self.key.sign(t)
    }

    /// Handles one heartbeat request received at `now` (server ms).
    pub async fn beat(
        &self,
        db: &DatabaseConnection,
        headers: &HeaderMap,
        req: BeatRequest,
        now: i64,
    ) -> Result<BeatReply, BeatError> {
        check_request(&req)?;
        let token = self.key.verify(&req.t).ok_or(BeatError::UnknownSession)?;
        let (closes_at_ms, credential) = self.access(db, headers, &token).await?;
        if now > closes_at_ms + self.settings.grace_ms {
            return Err(BeatError::ActivityClosed);
        }
        let (reply, rx) = oneshot::channel();
        let job = Job {
            item: BatchItem {
                token,
                credential,
                beats: req.b,
                close: req.close,
                now,
                cap: now.min(closes_at_ms),
            },
            reply,
        };
        self.writer.try_send(job).map_err(|e| match e {
            mpsc::error::TrySendError::Full(_) => BeatError::Overloaded,
            mpsc::error::TrySendError::Closed(_) => BeatError::Unavailable,
        })?;
        rx.await.map_err(|_| BeatError::Unavailable)?
    }

    /// The caller must be the token's owner and still hold `view` on its activity. Returns the
    /// activity's closing time (ms) and what admitted the caller, which the batch checks again.
    async fn access(
        &self,
        db: &DatabaseConnection,
        headers: &HeaderMap,
        token: &SessionToken,
    ) -> Result<(i64, Credential), BeatError> {
        // Guests carry their guest cookie; their token owner id is negative.
        let (name, prefix) = if token.user_id < 0 {
            (GUEST_COOKIE, "g:")
        } else {
            (SESSION_COOKIE, "u:")
        };
        let cookie_value = cookie(headers, name).ok_or(BeatError::Unauthenticated)?;
        let cookie_id = session_id(&cookie_value);
        let credential = if token.user_id < 0 {
            Credential::Guest(-token.user_id)
        } else {
            Credential::Session(cookie_id.clone())
        };
        let key = (format!("{prefix}{cookie_id}"), token.activity_id);
        let now = Instant::now();
        let cached = self.access.lock().ok().and_then(|mut m| {
            let a = m.get_mut(&key).filter(|a| a.expires > now)?;
            // A hit keeps the entry, up to its maximum age.
            a.expires = (now + ACCESS_TTL).min(a.loaded + ACCESS_MAX_AGE);
            Some(*a)
        });
        let access = match cached {
            Some(a) => a,
            None => {
                let a = if token.user_id < 0 {
                    load_guest_access(db, headers, token.activity_id).await?
                } else {
                    load_access(db, headers, token.activity_id).await?
                };
                if let Ok(mut m) = self.access.lock() {
                    if m.len() >= ACCESS_CACHE_MAX {
                        let now = Instant::now();
                        m.retain(|_, v| v.expires > now);
                        if m.len() >= ACCESS_CACHE_MAX {
                            m.clear();
                        }
                    }
                    m.insert(key, a);
                }
                a
            }
        };
        if access.user_id != token.user_id {
            return Err(BeatError::Forbidden);
        }
        match access.verdict {
            Ok(closes) => Ok((closes, credential)),
            Err(Refusal::Forbidden) => Err(BeatError::Forbidden),
            Err(Refusal::Unknown) => Err(BeatError::UnknownSession),
        }
    }
}

async fn load_access(
    db: &DatabaseConnection,
    headers: &HeaderMap,
    activity_id: i32,
) -> Result<Access, BeatError> {
    let user = user_from_headers(db, headers)
        .await
        .map_err(|_| BeatError::Unavailable)?
        .ok_or(BeatError::Unauthenticated)?;
    let verdict = match require_activity_cap(db, &user, activity_id, Capability::View).await {
        Ok(a) => Ok(a.activity.closes_at * 1000),
        Err(AppError::Forbidden) => Err(Refusal::Forbidden),
        Err(AppError::NotFound) => Err(Refusal::Unknown),
        Err(_) => return Err(BeatError::Unavailable),
    };
    Ok(Access {
        user_id: user.id,
        verdict,
        expires: Instant::now() + ACCESS_TTL,
        loaded: Instant::now(),
    })
}

/// A guest passes while their link still admits them, for the link's own activity only.
async fn load_guest_access(
    db: &DatabaseConnection,
    headers: &HeaderMap,
    activity_id: i32,
) -> Result<Access, BeatError> {
    let (guest, link) = guest_from_headers(db, headers)
        .await
        .map_err(|_| BeatError::Unavailable)?
        .ok_or(BeatError::Unauthenticated)?;
    let verdict = if link.activity_id != activity_id {
        Err(Refusal::Forbidden)
    } else {
        match crate::entities::activity::Entity::find_by_id(activity_id)
            .one(db)
            .await
        {
            Ok(Some(a)) => Ok(a.closes_at * 1000),
            Ok(None) => Err(Refusal::Unknown),
            Err(_) => return Err(BeatError::Unavailable),
        }
    };
    Ok(Access {
        user_id: -guest.id,
        verdict,
        expires: Instant::now() + ACCESS_TTL,
        loaded: Instant::now(),
    })
}

async fn run_writer(db: DatabaseConnection, rules: Rules, mut rx: mpsc::Receiver<Job>) {
    while let Some(first) = rx.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(j) => jobs.push(j),
                Err(_) => break,
            }
        }
        let items: Vec<&BatchItem> = jobs.iter().map(|j| &j.item).collect();
        metrics::histogram!("aula_heartbeat_batch_size").record(items.len() as f64);
        let mut outcome = store::apply_batch(&db, rules, &items).await;
        if let Err(e) = &outcome {
            // SQLite refuses to upgrade a read to a write when another connection wrote in
            // between (SQLITE_BUSY_SNAPSHOT); the whole batch was rolled back, so retrying is safe.
            tracing::warn!("attendance batch failed, retrying once: {e}");
            outcome = store::apply_batch(&db, rules, &items).await;
        }
        match outcome {
            Ok(results) => {
                for (job, r) in jobs.into_iter().zip(results) {
                    let _ = job.reply.send(r);
                }
            }
            Err(e) => {
                tracing::error!("attendance batch of {} failed: {e}", jobs.len());
                for job in jobs {
                    let _ = job.reply.send(Err(BeatError::Unavailable));
                }
            }
        }
    }
}
