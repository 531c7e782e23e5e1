//! The course report: every activity × every participant, with totals. Activities that closed
//! long enough ago that no heartbeat can change them any more are read from stored per-activity
//! totals (`attendance_summaries`, one row per activity) instead of from every interval; the first
//! report after an activity settles computes and stores them. Any write to an activity's
//! intervals deletes its totals (`store::invalidate_summaries`), and totals computed for another
//! closing time are ignored, so a stored total is never stale.

use std::collections::{BTreeMap, HashMap};

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use super::{
    dto::{Cell, CourseActivity, CourseReport, CourseRow},
    model::{MINUTE_MS, Span, total, union, whole_minutes},
    reports::{load_rows, students_of, users},
};
use crate::{
    clock::now,
    entities::{activity, attendance_summary as summary, course},
    error::AppError,
    tz,
};

/// One person's attendance of one activity: total milliseconds, and whether they were there at
/// all (a zero threshold completes on presence alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Total {
    pub ms: i64,
    pub present: bool,
}

impl Total {
    fn of(united: &[Span]) -> Self {
        Self {
            ms: total(united),
            present: !united.is_empty(),
        }
    }

    /// The same rule as `model::completion_instant`: the threshold reached (or, for a zero
    /// threshold, any presence).
    pub fn cell(self, threshold_minutes: Option<i32>) -> Cell {
        let completed = match threshold_minutes.map(i64::from) {
            Some(t) if t <= 0 => self.present,
            Some(t) => self.ms >= t * MINUTE_MS,
            None => false,
        };
        Cell {
            minutes: whole_minutes(self.ms),
            completed,
        }
    }
}

/// Stored form: `[[person, total_ms, present], …]`.
fn encode(totals: &HashMap<i32, Total>) -> String {
    let rows: Vec<(i32, i64, bool)> = totals.iter().map(|(p, t)| (*p, t.ms, t.present)).collect();
    serde_json::to_string(&rows).unwrap_or_else(|_| "[]".into())
}

fn decode(json: &str) -> Option<HashMap<i32, Total>> {
    let rows: Vec<(i32, i64, bool)> = serde_json::from_str(json).ok()?;
    Some(
        rows.into_iter()
            .map(|(p, ms, present)| (p, Total { ms, present }))
            .collect(),
    )
}

/// `settled_before_ms`: activities closed before this instant can no longer receive heartbeats
/// (closing time + grace + the access cache's lifetime).
pub async fn course_report(
    db: &DatabaseConnection,
    course: &course::Model,
    activities: &[activity::Model],
    (me, see_all): (i32, bool),
    settled_before_ms: i64,
    tz_name: &str,
) -> Result<CourseReport, AppError> {
    // activity id → person → total
    let mut by_activity: HashMap<i32, HashMap<i32, Total>> = HashMap::new();
    if see_all {
        let settled: Vec<i32> = activities
            .iter()
            .filter(|a| a.closes_at * 1000 < settled_before_ms)
            .map(|a| a.id)
            .collect();
        let closes: HashMap<i32, i64> = activities.iter().map(|a| (a.id, a.closes_at)).collect();
        for s in summary::Entity::find()
            .filter(summary::Column::ActivityId.is_in(settled.clone()))
            .all(db)
            .await?
        {
            if closes.get(&s.activity_id) == Some(&s.closes_at)
                && let Some(t) = decode(&s.totals)
            {
                by_activity.insert(s.activity_id, t);
            }
        }
        let missing: Vec<i32> = settled
            .into_iter()
            .filter(|id| !by_activity.contains_key(id))
            .collect();
        let live: Vec<i32> = activities
            .iter()
            .map(|a| a.id)
            .filter(|id| !by_activity.contains_key(id))
            .collect();
        let mut spans: HashMap<i32, HashMap<i32, Vec<Span>>> = HashMap::new();
        for r in load_rows(db, &live, None).await? {
            spans
                .entry(r.activity_id)
                .or_default()
                .entry(r.user_id)
                .or_default()
                .push(r.span);
        }
        for id in live {
            let totals: HashMap<i32, Total> = spans
                .remove(&id)
                .unwrap_or_default()
                .into_iter()
                .map(|(person, s)| (person, Total::of(&union(s))))
                .collect();
            by_activity.insert(id, totals);
        }
        store(db, activities, &missing, &by_activity).await;
    } else {
        let ids: Vec<i32> = activities.iter().map(|a| a.id).collect();
        let mut spans: HashMap<i32, Vec<Span>> = HashMap::new();
        for r in load_rows(db, &ids, Some(me)).await? {
            spans.entry(r.activity_id).or_default().push(r.span);
        }
        for (id, s) in spans {
            by_activity.insert(id, HashMap::from([(me, Total::of(&union(s)))]));
        }
    }

    let mut people: BTreeMap<i32, ()> = BTreeMap::new();
    if see_all {
        for id in students_of(db, course.id).await? {
            people.insert(id, ());
        }
        for t in by_activity.values() {
            people.extend(t.keys().map(|p| (*p, ())));
        }
    } else {
        people.insert(me, ());
    }
    let names = users(db, people.keys().copied().collect()).await?;
    let mut totals = vec![0; activities.len()];
    let absent = Total {
        ms: 0,
        present: false,
    };
    let mut rows: Vec<CourseRow> = people
        .into_keys()
        .map(|uid| {
            let cells: Vec<Cell> = activities
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    let t = by_activity
                        .get(&a.id)
                        .and_then(|m| m.get(&uid))
                        .copied()
                        .unwrap_or(absent);
                    let c = t.cell(a.completion_minutes);
                    totals[i] += c.minutes;
                    c
                })
                .collect();
            CourseRow {
                user_id: uid,
                name: names
                    .get(&uid)
                    .map(|u| u.display_name.clone())
                    .unwrap_or_default(),
                total_minutes: cells.iter().map(|c| c.minutes).sum(),
                completed: cells.iter().filter(|c| c.completed).count() as u32,
                cells,
            }
        })
        .collect();
    rows.sort_by_key(|r| r.name.to_lowercase());
    Ok(CourseReport {
        course_id: course.id,
        course_name: course.name.clone(),
        own_only: !see_all,
        activities: activities
            .iter()
            .map(|a| CourseActivity {
                id: a.id,
                name: a.name.clone(),
                opens: tz::format_local(a.opens_at, tz_name),
                completion_minutes: a.completion_minutes.map(i64::from),
            })
            .collect(),
        rows,
        totals,
    })
}

/// Stores the totals of settled activities that had none (or stale ones). Best effort: a
/// concurrent report storing the same rows first, or any failure, only means recomputing later.
async fn store(
    db: &DatabaseConnection,
    activities: &[activity::Model],
    missing: &[i32],
    by_activity: &HashMap<i32, HashMap<i32, Total>>,
) {
    if missing.is_empty() {
        return;
    }
    let rows: Vec<summary::ActiveModel> = activities
        .iter()
        .filter(|a| missing.contains(&a.id))
        .map(|a| summary::ActiveModel {
            activity_id: Set(a.id),
            closes_at: Set(a.closes_at),
            totals: Set(encode(by_activity.get(&a.id).unwrap_or(&HashMap::new()))),
            computed_at: Set(now()),
        })
        .collect();
    let result = async {
        let txn = crate::txn::begin_write(db).await?;
        summary::Entity::delete_many()
            .filter(summary::Column::ActivityId.is_in(missing.to_vec()))
            .exec(&txn)
            .await?;
        summary::Entity::insert_many(rows).exec(&txn).await?;
        txn.commit().await
    }
    .await;
    if let Err(e) = result {
        tracing::debug!("attendance totals not stored: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_total_completes_exactly_like_the_interval_rule() {
        let t = Total {
            ms: 30 * MINUTE_MS,
            present: true,
        };
        assert!(t.cell(Some(30)).completed);
        assert!(!t.cell(Some(31)).completed);
        assert!(!t.cell(None).completed);
        assert_eq!(t.cell(None).minutes, 30);
        let absent = Total {
            ms: 0,
            present: false,
        };
        assert!(!absent.cell(Some(0)).completed);
        let zero = Total {
            ms: 0,
            present: true,
        };
        assert!(zero.cell(Some(0)).completed);
    }

    #[test]
    fn totals_survive_a_round_trip_through_storage() {
        let m = HashMap::from([
            (
                5,
                Total {
                    ms: 90_000,
                    present: true,
                },
            ),
            (
                -3,
                Total {
                    ms: 0,
                    present: true,
                },
            ),
        ]);
        assert_eq!(decode(&encode(&m)), Some(m));
        assert_eq!(decode("not json"), None);
    }
}
