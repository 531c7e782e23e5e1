//! Attendance reports over the database (server only): the per-activity table, one person's
//! intervals, the course matrix, live presence and completion. Rows are loaded lean (five
//! columns) and all arithmetic is the pure code in `model.rs`.

use std::collections::{BTreeMap, HashMap};

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{
    dto::{ActivityReport, Completion, DayRow, IntervalRow, ParticipantRow, PersonReport, Tick},
    model::{
        MINUTE_MS, Ms, Span, clamp, completion_instant, layout_bars, split_by_cuts, total, union,
        whole_minutes,
    },
};
use crate::{
    capabilities::CourseRole,
    entities::{activity, attendance_interval as iv, course, enrolment, guest_use, user},
    error::{AppError, FieldCode},
    tz,
};

/// One stored interval, as reports need it.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub activity_id: i32,
    pub user_id: i32,
    pub session_id: i32,
    pub span: Span,
    pub open: bool,
    /// Credited from heartbeats held back while offline, not heard live.
    pub buffered: bool,
}

/// activity, user, guest key, session, start, last seen, end, buffered.
type RawRow = (
    i32,
    Option<i32>,
    Option<String>,
    i32,
    i64,
    i64,
    Option<i64>,
    bool,
);

/// Guests appear in reports under a negative id (their `guest_uses` id, negated).
pub(super) fn person_id(user: Option<i32>, guest: Option<&str>) -> Option<i32> {
    user.or_else(|| {
        guest
            .and_then(|k| k.strip_prefix('g'))
            .and_then(|n| n.parse::<i32>().ok())
            .map(|n| -n)
    })
}

pub async fn load_rows(
    db: &DatabaseConnection,
    activity_ids: &[i32],
    user_id: Option<i32>,
) -> Result<Vec<Row>, AppError> {
    let mut q = iv::Entity::find()
        .select_only()
        .columns([
            iv::Column::ActivityId,
            iv::Column::UserId,
            iv::Column::GuestKey,
            iv::Column::SessionId,
            iv::Column::StartMs,
            iv::Column::LastSeenMs,
            iv::Column::EndMs,
            iv::Column::Buffered,
        ])
        .filter(iv::Column::ActivityId.is_in(activity_ids.to_vec()));
    if let Some(u) = user_id {
        q = q.filter(iv::Column::UserId.eq(u));
    }
    let rows: Vec<RawRow> = q
        .order_by_asc(iv::Column::StartMs)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(a, u, g, s, start, seen, end, buffered)| {
            Some(Row {
                activity_id: a,
                user_id: person_id(u, g.as_deref())?,
                session_id: s,
                span: Span::new(start, seen),
                open: end.is_none(),
                buffered,
            })
        })
        .collect())
}

pub(super) fn completion_of(activity: &activity::Model, united: &[Span]) -> Completion {
    let threshold = activity.completion_minutes.map(i64::from);
    Completion {
        activity_id: activity.id,
        minutes: whole_minutes(total(united)),
        threshold_minutes: threshold,
        completed_at_ms: threshold.and_then(|t| completion_instant(united, t * MINUTE_MS)),
    }
}

/// Each listed activity's completion for one person (course page, dashboard, other features).
pub async fn completions(
    db: &DatabaseConnection,
    user_id: i32,
    activities: &[activity::Model],
) -> Result<HashMap<i32, Completion>, AppError> {
    let ids: Vec<i32> = activities.iter().map(|a| a.id).collect();
    let mut by_activity: HashMap<i32, Vec<Span>> = HashMap::new();
    for r in load_rows(db, &ids, Some(user_id)).await? {
        by_activity.entry(r.activity_id).or_default().push(r.span);
    }
    Ok(activities
        .iter()
        .map(|a| {
            let united = union(by_activity.remove(&a.id).unwrap_or_default());
            (a.id, completion_of(a, &united))
        })
        .collect())
}

/// The report's date filter as instants: from the start of `from` to the end of `to`, local.
pub struct Filter {
    pub from: String,
    pub to: String,
    pub window: Span,
    pub cuts: Vec<(String, Ms)>,
}

pub const MAX_FILTER_DAYS: i64 = 366;

pub fn filter(
    from: Option<&str>,
    to: Option<&str>,
    default: Span,
    tz_name: &str,
) -> Result<Filter, AppError> {
    let parse =
        |raw: Option<&str>, field: &str, fallback: Ms| -> Result<jiff::civil::Date, AppError> {
            match raw.map(str::trim).filter(|s| !s.is_empty()) {
                Some(s) => tz::parse_date(s)
                    .ok_or_else(|| AppError::invalid(field, FieldCode::InvalidDate)),
                None => tz::local_date(fallback, tz_name)
                    .ok_or_else(|| AppError::invalid(field, FieldCode::InvalidDate)),
            }
        };
    let from_d = parse(from, "from", default.start)?;
    let to_d = parse(to, "to", default.end.max(default.start))?;
    if to_d < from_d {
        return Err(AppError::invalid("to", FieldCode::ClosingNotAfterOpening));
    }
    let mut cuts = Vec::new();
    let mut d = from_d;
    loop {
        let start = tz::day_start_ms(d, tz_name)
            .ok_or_else(|| AppError::invalid("from", FieldCode::InvalidDate))?;
        cuts.push((d.to_string(), start));
        if d > to_d {
            break;
        }
        if cuts.len() as i64 > MAX_FILTER_DAYS + 1 {
            return Err(AppError::invalid(
                "to",
                FieldCode::OutOfRange(1, MAX_FILTER_DAYS),
            ));
        }
        d = d
            .tomorrow()
            .map_err(|_| AppError::invalid("to", FieldCode::InvalidDate))?;
    }
    let window = Span::new(cuts[0].1, cuts[cuts.len() - 1].1);
    Ok(Filter {
        from: from_d.to_string(),
        to: to_d.to_string(),
        window,
        cuts,
    })
}

fn day_rows(per_person: &[Vec<Span>], f: &Filter) -> Vec<DayRow> {
    let cuts: Vec<Ms> = f.cuts.iter().map(|c| c.1).collect();
    let mut minutes = vec![0; cuts.len().saturating_sub(1)];
    let mut people = vec![0u32; minutes.len()];
    for united in per_person {
        for (i, ms) in split_by_cuts(united, &cuts).into_iter().enumerate() {
            minutes[i] += ms;
            if ms > 0 {
                people[i] += 1;
            }
        }
    }
    f.cuts
        .iter()
        .zip(minutes.into_iter().zip(people))
        .map(|((day, _), (ms, people))| DayRow {
            day: day.clone(),
            people,
            minutes: whole_minutes(ms),
        })
        .collect()
}

/// Tick marks at a readable step, aligned to the local clock.
pub fn ticks(axis: Span, tz_name: &str) -> Vec<Tick> {
    const STEPS_MIN: [i64; 12] = [5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080];
    let len = axis.len().max(1);
    let step = STEPS_MIN
        .iter()
        .map(|m| m * MINUTE_MS)
        .find(|s| len / s <= 8)
        .unwrap_or(10080 * MINUTE_MS);
    // Align to local midnight of the axis start, then step.
    let base = tz::local_date(axis.start, tz_name)
        .and_then(|d| tz::day_start_ms(d, tz_name))
        .unwrap_or(axis.start);
    let first = base + (axis.start - base + step - 1).div_euclid(step) * step;
    let pattern = if step >= 1440 * MINUTE_MS {
        "%m-%d"
    } else if len > 1440 * MINUTE_MS {
        "%m-%d %H:%M"
    } else {
        "%H:%M"
    };
    (0..)
        .map(|i| first + i * step)
        .take_while(|t| *t <= axis.end)
        .map(|t| Tick {
            x: ((t - axis.start) as f64 / len as f64) as f32,
            label: tz::format_ms(t, tz_name, pattern),
        })
        .collect()
}

pub(super) async fn students_of(
    db: &DatabaseConnection,
    course_id: i32,
) -> Result<Vec<i32>, AppError> {
    Ok(enrolment::Entity::find()
        .filter(enrolment::Column::CourseId.eq(course_id))
        .filter(enrolment::Column::Role.eq(CourseRole::Student.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.user_id)
        .collect())
}

/// Names (and e-mails) of the people in a report: users by id, guests (negative ids) by their
/// `guest_uses` row, marked as guests.
pub(super) async fn users(
    db: &DatabaseConnection,
    ids: Vec<i32>,
) -> Result<HashMap<i32, user::Model>, AppError> {
    let (guests, users): (Vec<i32>, Vec<i32>) = ids.into_iter().partition(|id| *id < 0);
    let mut out: HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(users))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    if !guests.is_empty() {
        for g in guest_use::Entity::find()
            .filter(guest_use::Column::Id.is_in(guests.iter().map(|g| -g)))
            .all(db)
            .await?
        {
            out.insert(
                -g.id,
                user::Model {
                    id: -g.id,
                    email: String::new(),
                    display_name: format!("{} (guest)", g.display_name),
                    password_hash: None,
                    is_admin: false,
                    disabled: false,
                    avatar: None,
                    language: String::new(),
                    time_zone: None,
                    created_at: g.used_at,
                },
            );
        }
    }
    Ok(out)
}

pub struct ReportScope<'a> {
    pub activity: &'a activity::Model,
    pub course: &'a course::Model,
    /// `Some(me)` when the caller may see only their own attendance.
    pub only: Option<i32>,
    pub can_see_presence: bool,
    pub tz: &'a str,
}

pub async fn activity_report(
    db: &DatabaseConnection,
    scope: ReportScope<'_>,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<ActivityReport, AppError> {
    let a = scope.activity;
    let rows = load_rows(db, &[a.id], scope.only).await?;
    let session = Span::new(a.opens_at * 1000, a.closes_at * 1000);
    let seen = rows.iter().fold(session, |acc, r| {
        Span::new(acc.start.min(r.span.start), acc.end.max(r.span.end))
    });
    let f = filter(from, to, seen, scope.tz)?;
    let axis = clamp(&[seen], f.window)
        .first()
        .copied()
        .unwrap_or(f.window);

    let mut people: BTreeMap<i32, Vec<Row>> = BTreeMap::new();
    match scope.only {
        Some(me) => {
            people.entry(me).or_default();
        }
        None => {
            for id in students_of(db, a.course_id).await? {
                people.entry(id).or_default();
            }
        }
    }
    for r in rows {
        people.entry(r.user_id).or_default().push(r);
    }
    let names = users(db, people.keys().copied().collect()).await?;
    let threshold = a.completion_minutes.map(|m| i64::from(m) * MINUTE_MS);

    let mut out = Vec::with_capacity(people.len());
    let mut united_all = Vec::with_capacity(people.len());
    for (user_id, rs) in people {
        let everything = union(rs.iter().map(|r| r.span).collect());
        let united = clamp(&everything, f.window);
        let live = clamp(
            &union(rs.iter().filter(|r| !r.buffered).map(|r| r.span).collect()),
            f.window,
        );
        let mut sessions: Vec<i32> = rs
            .iter()
            .filter(|r| !clamp(&[r.span], f.window).is_empty())
            .map(|r| r.session_id)
            .collect();
        sessions.sort_unstable();
        sessions.dedup();
        let done = threshold.and_then(|t| completion_instant(&everything, t));
        let u = names.get(&user_id);
        out.push(ParticipantRow {
            user_id,
            name: u.map(|u| u.display_name.clone()).unwrap_or_default(),
            email: u.map(|u| u.email.clone()).unwrap_or_default(),
            minutes: whole_minutes(total(&united)),
            // The part of the minutes no live heartbeat covers.
            buffered_minutes: whole_minutes(total(&united) - total(&live)),
            completed: done.is_some(),
            completed_at: done.map(|t| tz::format_local_ms(t, scope.tz)),
            first_join: united
                .first()
                .map(|s| tz::format_local_ms(s.start, scope.tz)),
            last_leave: united.last().map(|s| tz::format_local_ms(s.end, scope.tz)),
            sessions: sessions.len() as u32,
            bars: layout_bars(&united, axis),
        });
        united_all.push(united);
    }
    out.sort_by(|x, y| {
        y.minutes
            .cmp(&x.minutes)
            .then_with(|| x.name.to_lowercase().cmp(&y.name.to_lowercase()))
    });
    Ok(ActivityReport {
        activity_id: a.id,
        activity_name: a.name.clone(),
        course_id: scope.course.id,
        course_name: scope.course.name.clone(),
        completion_minutes: a.completion_minutes.map(i64::from),
        from: f.from.clone(),
        to: f.to.clone(),
        time_zone: scope.tz.to_owned(),
        own_only: scope.only.is_some(),
        can_see_presence: scope.can_see_presence,
        total_minutes: out.iter().map(|r| r.minutes).sum(),
        days: day_rows(&united_all, &f),
        ticks: ticks(axis, scope.tz),
        rows: out,
    })
}

pub async fn person_report(
    db: &DatabaseConnection,
    activity: &activity::Model,
    user_id: i32,
    tz_name: &str,
) -> Result<PersonReport, AppError> {
    let person = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let rows = load_rows(db, &[activity.id], Some(user_id)).await?;
    let united = union(rows.iter().map(|r| r.span).collect());
    let c = completion_of(activity, &united);
    let extent = Span::new(
        united.first().map_or(activity.opens_at * 1000, |s| s.start),
        united.last().map_or(activity.closes_at * 1000, |s| s.end),
    );
    let f = filter(None, None, extent, tz_name)?;
    Ok(PersonReport {
        activity_id: activity.id,
        activity_name: activity.name.clone(),
        course_id: activity.course_id,
        user_id,
        name: person.display_name,
        minutes: c.minutes,
        completion_minutes: c.threshold_minutes,
        completed_at: c.completed_at_ms.map(|t| tz::format_local_ms(t, tz_name)),
        time_zone: tz_name.to_owned(),
        days: day_rows(&[united], &f),
        intervals: rows
            .iter()
            .map(|r| IntervalRow {
                session: r.session_id,
                start: tz::format_local_ms(r.span.start, tz_name),
                end: tz::format_local_ms(r.span.end, tz_name),
                minutes: whole_minutes(r.span.len()),
                live: r.open,
                buffered: r.buffered,
            })
            .collect(),
    })
}

/// Activities × participants. `visible` lists, per activity, whether the caller sees everyone
/// (else only themselves).
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_covers_whole_local_days() {
        let f = filter(
            Some("2026-11-23"),
            Some("2026-11-24"),
            Span::new(0, 0),
            "UTC",
        )
        .unwrap();
        assert_eq!(f.window.len(), 2 * 24 * 60 * MINUTE_MS);
        assert_eq!(f.cuts.len(), 3);
        assert_eq!(f.cuts[0].0, "2026-11-23");
    }

    #[test]
    fn a_filter_ending_before_it_starts_or_spanning_years_is_refused() {
        let e = filter(
            Some("2026-11-24"),
            Some("2026-11-23"),
            Span::new(0, 0),
            "UTC",
        );
        assert!(matches!(e, Err(AppError::Invalid(_))));
        let e = filter(
            Some("2020-01-01"),
            Some("2026-11-23"),
            Span::new(0, 0),
            "UTC",
        );
        assert!(matches!(e, Err(AppError::Invalid(_))));
        let e = filter(Some("yesterday"), None, Span::new(0, 0), "UTC");
        assert!(matches!(e, Err(AppError::Invalid(_))));
    }

    #[test]
    fn ticks_fall_on_round_local_times() {
        let start = 1_795_525_200_000; // 2026-11-24 14:00 in Madrid
        let t = ticks(
            Span::new(start + 7 * MINUTE_MS, start + 90 * MINUTE_MS),
            "Europe/Madrid",
        );
        let labels: Vec<&str> = t.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "14:10", "14:20", "14:30", "14:40", "14:50", "15:00", "15:10", "15:20", "15:30"
            ]
        );
        assert!(t.iter().all(|t| (0.0..=1.0).contains(&t.x)));
    }
}
