//! Rate limits and login back-off kept in the database (server only), so a limit holds across
//! every replica: a guesser spreading requests over several servers meets the same counters.
//!
//! A counter is one row per key (`throttles`): hits in a window that starts at the first hit and
//! lasts `window_ms`, and the latest hit. Counting is an insert-if-absent followed by one
//! `UPDATE … SET hits = CASE …`, which each engine applies atomically to the row, so concurrent
//! hits are never lost. The policies (how many hits are free, how the delay grows) are pure and
//! tested beside.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    sea_query::{CaseStatement, Expr, ExprTrait, OnConflict},
};

use crate::entities::throttle as row;

/// A counter's state as read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Count {
    pub hits: u32,
    pub last_ms: i64,
}

/// Counts one hit against `key`; returns the count in the current window (this hit included).
/// A window that ended `window_ms` after it began starts again at this hit.
pub async fn hit(
    db: &impl ConnectionTrait,
    key: &str,
    window_ms: i64,
    now_ms: i64,
) -> Result<Count, DbErr> {
    let inserted = row::Entity::insert(row::ActiveModel {
        key: sea_orm::Set(key.to_owned()),
        hits: sea_orm::Set(0),
        since_ms: sea_orm::Set(now_ms),
        last_ms: sea_orm::Set(now_ms),
    })
    .on_conflict(
        OnConflict::column(row::Column::Key)
            .do_nothing_on([row::Column::Key])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await;
    match inserted {
        Ok(_) | Err(DbErr::RecordNotInserted) => {}
        Err(e) => return Err(e),
    }
    let expired = Expr::col(row::Column::SinceMs).lte(now_ms - window_ms);
    // MariaDB applies SET clauses left to right with the new values, so `hits` (which reads the
    // old `since_ms`) comes first.
    row::Entity::update_many()
        .col_expr(
            row::Column::Hits,
            CaseStatement::new()
                .case(expired.clone(), Expr::val(1))
                .finally(Expr::col(row::Column::Hits).add(1))
                .into(),
        )
        .col_expr(
            row::Column::SinceMs,
            CaseStatement::new()
                .case(expired, Expr::val(now_ms))
                .finally(Expr::col(row::Column::SinceMs))
                .into(),
        )
        .col_expr(row::Column::LastMs, Expr::val(now_ms))
        .filter(row::Column::Key.eq(key))
        .exec(db)
        .await?;
    count(db, key, window_ms, now_ms).await
}

/// The count in the current window, without counting a hit.
pub async fn count(
    db: &impl ConnectionTrait,
    key: &str,
    window_ms: i64,
    now_ms: i64,
) -> Result<Count, DbErr> {
    Ok(row::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .filter(|r| r.since_ms > now_ms - window_ms)
        .map(|r| Count {
            hits: u32::try_from(r.hits).unwrap_or(0),
            last_ms: r.last_ms,
        })
        .unwrap_or_default())
}

/// Forgets a counter (a successful login forgets that account's failures).
pub async fn clear(db: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    row::Entity::delete_by_id(key.to_owned()).exec(db).await?;
    Ok(())
}

/// Drops counters nobody has hit for `idle_ms` (the jobs loop calls it).
pub async fn sweep(db: &impl ConnectionTrait, now_ms: i64, idle_ms: i64) -> Result<u64, DbErr> {
    Ok(row::Entity::delete_many()
        .filter(row::Column::LastMs.lt(now_ms - idle_ms))
        .exec(db)
        .await?
        .rows_affected)
}

/// At most `limit` hits per window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub limit: u32,
    pub window_ms: i64,
}

/// Requests that anyone may make without an account (guest links, meeting links and their
/// codes, calendar-feed misses): per client IP.
pub const ANONYMOUS: Limit = Limit {
    limit: 60,
    window_ms: 60_000,
};

/// True when any key has used up its limit in the current window.
pub async fn over_any(
    db: &impl ConnectionTrait,
    keys: &[&str],
    lim: Limit,
    now_ms: i64,
) -> Result<bool, DbErr> {
    for key in keys {
        if count(db, key, lim.window_ms, now_ms).await?.hits >= lim.limit {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Counts one hit against every key.
pub async fn hit_all(
    db: &impl ConnectionTrait,
    keys: &[&str],
    lim: Limit,
    now_ms: i64,
) -> Result<(), DbErr> {
    for key in keys {
        hit(db, key, lim.window_ms, now_ms).await?;
    }
    Ok(())
}

/// Exponential back-off after a number of free failures: each further failure doubles the wait
/// before the next attempt, up to `max_ms`. It slows guessing without ever shutting the door.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// Failures allowed before any wait.
    pub free: u32,
    /// The first wait.
    pub base_ms: i64,
    pub max_ms: i64,
    /// Failures older than this are forgotten.
    pub window_ms: i64,
}

impl Backoff {
    /// The wait required after `failures` failures.
    pub fn delay_ms(&self, failures: u32) -> i64 {
        if failures < self.free {
            return 0;
        }
        let doublings = Ord::min(failures - self.free, 30);
        Ord::min(self.base_ms.saturating_mul(1_i64 << doublings), self.max_ms)
    }

    /// How long the caller must still wait before the next attempt (0: go ahead).
    pub fn wait_ms(&self, c: Count, now_ms: i64) -> i64 {
        Ord::max(c.last_ms + self.delay_ms(c.hits) - now_ms, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOGIN: Backoff = Backoff {
        free: 5,
        base_ms: 1_000,
        max_ms: 60_000,
        window_ms: 900_000,
    };

    #[test]
    fn the_first_failures_cost_nothing_and_later_ones_double_the_wait_up_to_the_cap() {
        let waits: Vec<i64> = (0..14).map(|f| LOGIN.delay_ms(f)).collect();
        assert_eq!(
            waits,
            [
                0, 0, 0, 0, 0, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000
            ]
        );
        assert_eq!(LOGIN.delay_ms(u32::MAX), 60_000, "no overflow");
    }

    #[test]
    fn the_wait_counts_from_the_last_failure() {
        let c = Count {
            hits: 7,
            last_ms: 10_000,
        };
        assert_eq!(LOGIN.wait_ms(c, 10_000), 4_000);
        assert_eq!(LOGIN.wait_ms(c, 13_000), 1_000);
        assert_eq!(LOGIN.wait_ms(c, 14_000), 0);
        assert_eq!(LOGIN.wait_ms(Count::default(), 0), 0);
    }
}
