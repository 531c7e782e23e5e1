//! course-report: a generated course's attendance history, and the latency of its reports.

use std::{collections::HashMap, time::Instant};

use anyhow::{Context, bail};
use app::capabilities::CourseRole;
use app::entities::{activity, attendance_interval as iv, attendance_session as sess, enrolment};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait, sea_query::Expr,
};

use crate::{
    common::{Rng, http_client, now_ms, now_s, percentile, post_form, text},
    seed::{
        default_server, enrol_all, insert_activity, insert_course, insert_sessions, insert_users,
    },
};

/// One student's presence in one session: their intervals (ms).
struct Presence {
    activity: usize,
    user_id: i32,
    spans: Vec<(i64, i64)>,
}

fn plan_presence(rng: &mut Rng, opens_ms: i64, minutes: i64) -> Option<Vec<(i64, i64)>> {
    const MIN: i64 = 60_000;
    if !rng.chance(0.93) {
        return None;
    }
    let close = opens_ms + minutes * MIN;
    let join = opens_ms + rng.range(0, 8 * MIN);
    let leave = close - rng.range(0, 8 * MIN);
    // 1 interval 25 %, 2 intervals 40 %, 3 intervals 35 %: a dropped connection or a rejoin.
    let r = rng.range(0, 100);
    let parts = if r < 25 {
        1
    } else if r < 65 {
        2
    } else {
        3
    };
    let mut cuts: Vec<i64> = (1..parts)
        .map(|_| rng.range(join + 5 * MIN, leave - 10 * MIN))
        .collect();
    cuts.sort_unstable();
    let mut spans = Vec::with_capacity(parts);
    let mut start = join;
    for c in cuts {
        if c <= start {
            continue;
        }
        spans.push((start, c));
        start = c + rng.range(MIN, 6 * MIN);
    }
    spans.push((start, leave.max(start + MIN)));
    Some(spans)
}

/// A generated course, as the report timing needs it.
pub(crate) struct BenchCourse {
    id: i32,
    teacher_id: i32,
    students: usize,
    activities: Vec<i32>,
    intervals: u64,
}

pub(crate) async fn generate_course(
    db: &DatabaseConnection,
    students: usize,
    sessions: usize,
    minutes: i64,
) -> anyhow::Result<BenchCourse> {
    let db = db.clone();
    let server_id = default_server(&db).await?;
    let tag = now_ms();
    let t0 = Instant::now();
    let course_id =
        insert_course(&db, &format!("bench-report-{tag}"), "Bench report course").await?;
    let student_ids = insert_users(&db, &format!("r{tag}-s"), students).await?;
    let teacher_id = insert_users(&db, &format!("r{tag}-t"), 1).await?[0];
    enrol_all(&db, course_id, &student_ids, CourseRole::Student).await?;
    enrol_all(&db, course_id, &[teacher_id], CourseRole::EditingTeacher).await?;

    // Sessions every two days, the last one ending yesterday at the latest, on the hour.
    let first = (now_s() - (sessions as i64 + 1) * 2 * 86_400) / 3600 * 3600;
    let mut activities = Vec::with_capacity(sessions);
    for k in 0..sessions {
        let opens = first + k as i64 * 2 * 86_400;
        let id = insert_activity(
            &db,
            course_id,
            format!("Lecture {:02}", k + 1),
            format!("bench-report-{tag}-{k}"),
            opens,
            opens + minutes * 60,
            server_id,
        )
        .await?;
        activities.push((id, opens * 1000));
    }

    let mut rng = Rng(0x5EED_2026_1124);
    let mut plan = Vec::new();
    for (k, &(_, opens_ms)) in activities.iter().enumerate() {
        for &uid in &student_ids {
            if let Some(spans) = plan_presence(&mut rng, opens_ms, minutes) {
                plan.push(Presence {
                    activity: k,
                    user_id: uid,
                    spans,
                });
            }
        }
    }

    // One attendance session (tab) per present student and session, then its intervals.
    let txn = db.begin().await?;
    for chunk in plan.chunks(1000) {
        sess::Entity::insert_many(chunk.iter().map(|p| sess::ActiveModel {
            activity_id: Set(activities[p.activity].0),
            user_id: Set(Some(p.user_id)),
            guest_key: Set(None),
            guest_name: Set(None),
            opened_ms: Set(p.spans[0].0),
            closed_ms: Set(Some(p.spans[p.spans.len() - 1].1)),
            ..Default::default()
        }))
        .exec(&txn)
        .await?;
    }
    txn.commit().await?;
    let ids: Vec<i32> = activities.iter().map(|a| a.0).collect();
    let rows: Vec<(i32, i32, Option<i32>)> = sess::Entity::find()
        .select_only()
        .columns([
            sess::Column::Id,
            sess::Column::ActivityId,
            sess::Column::UserId,
        ])
        .filter(sess::Column::ActivityId.is_in(ids.clone()))
        .into_tuple()
        .all(&db)
        .await?;
    let session_of: HashMap<(i32, i32), i32> = rows
        .into_iter()
        .filter_map(|(id, a, u)| Some(((a, u?), id)))
        .collect();
    let mut intervals = Vec::new();
    for p in &plan {
        let aid = activities[p.activity].0;
        let sid = *session_of
            .get(&(aid, p.user_id))
            .context("session not found")?;
        for &(s, e) in &p.spans {
            intervals.push(iv::ActiveModel {
                session_id: Set(sid),
                activity_id: Set(aid),
                user_id: Set(Some(p.user_id)),
                guest_key: Set(None),
                start_ms: Set(s),
                last_seen_ms: Set(e),
                end_ms: Set(Some(e)),
                last_seq: Set((e - s) / 30_000),
                last_client_ms: Set(e),
                ..Default::default()
            });
        }
    }
    let n_intervals = intervals.len();
    let txn = db.begin().await?;
    let mut it = intervals.into_iter().peekable();
    while it.peek().is_some() {
        let chunk: Vec<iv::ActiveModel> = it.by_ref().take(1000).collect();
        iv::Entity::insert_many(chunk).exec(&txn).await?;
    }
    txn.commit().await?;
    eprintln!(
        "generated {students} students x {sessions} sessions of {minutes} min: {} attendance sessions, {n_intervals} intervals, in {:.1} s",
        plan.len(),
        t0.elapsed().as_secs_f64()
    );
    Ok(BenchCourse {
        id: course_id,
        teacher_id,
        students,
        activities: ids,
        intervals: n_intervals as u64,
    })
}

pub(crate) async fn load_course(db: &DatabaseConnection, id: i32) -> anyhow::Result<BenchCourse> {
    let people: Vec<(i32, String)> = enrolment::Entity::find()
        .select_only()
        .columns([enrolment::Column::UserId, enrolment::Column::Role])
        .filter(enrolment::Column::CourseId.eq(id))
        .into_tuple()
        .all(db)
        .await?;
    let activities: Vec<i32> = activity::Entity::find()
        .select_only()
        .column(activity::Column::Id)
        .filter(activity::Column::CourseId.eq(id))
        .order_by_asc(activity::Column::OpensAt)
        .into_tuple()
        .all(db)
        .await?;
    let intervals: i64 = iv::Entity::find()
        .select_only()
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
        .filter(iv::Column::ActivityId.is_in(activities.clone()))
        .into_tuple()
        .one(db)
        .await?
        .unwrap_or(0);
    Ok(BenchCourse {
        id,
        teacher_id: people
            .iter()
            .find(|p| p.1 == "editingteacher")
            .context("the course has no editing teacher")?
            .0,
        students: people.iter().filter(|p| p.1 == "student").count(),
        activities,
        intervals: intervals as u64,
    })
}

/// The course report (and one activity report) as the course's teacher sees them.
pub(crate) async fn time_reports(
    db: &DatabaseConnection,
    base: &str,
    c: &BenchCourse,
    runs: usize,
    warmups: usize,
) -> anyhow::Result<()> {
    let teacher_cookie = insert_sessions(db, &[c.teacher_id]).await?.remove(0);
    let (students, sessions, n_intervals) = (c.students, c.activities.len(), c.intervals);
    println!("course_id={}", c.id);
    let http = http_client()?;
    let time =
        |path: &'static str, form: Vec<(&'static str, String)>, encoding: Option<&'static str>| {
            let (http, cookie, base) = (http.clone(), teacher_cookie.clone(), base.to_owned());
            async move {
                let mut ms = Vec::with_capacity(runs);
                let mut last = Vec::new();
                for i in 0..warmups + runs {
                    let t = Instant::now();
                    let (status, body) =
                        post_form(&http, &base, path, &cookie, &form, encoding).await?;
                    let elapsed = t.elapsed().as_secs_f64() * 1000.0;
                    if !status.is_success() {
                        bail!("{path}: {status} {}", text(&body));
                    }
                    if i >= warmups {
                        ms.push(elapsed);
                    }
                    last = body;
                }
                ms.sort_by(f64::total_cmp);
                Ok::<_, anyhow::Error>((ms, last))
            }
        };

    let course_form = vec![("course_id", c.id.to_string())];
    let (ms, body) = time("/api/attendance/course", course_form.clone(), None).await?;
    let v: serde_json::Value = serde_json::from_slice(&body)?;
    let (rows, cols) = (
        v["rows"].as_array().map_or(0, Vec::len),
        v["activities"].as_array().map_or(0, Vec::len),
    );
    if rows != students || cols != sessions {
        bail!(
            "course report has {rows} rows x {cols} activities, expected {students} x {sessions}"
        );
    }
    println!(
        "course_rows={rows} course_activities={cols} course_intervals={n_intervals} course_bytes={} course_runs={runs} course_p50_ms={:.1} course_p90_ms={:.1} course_max_ms={:.1}",
        body.len(),
        percentile(&ms, 50.0),
        percentile(&ms, 90.0),
        ms[ms.len() - 1]
    );
    // What a browser gets: the same report, compressed on the fly (tower-http, brotli level 4).
    let (ms, body) = time("/api/attendance/course", course_form, Some("br")).await?;
    println!(
        "course_br_bytes={} course_br_p50_ms={:.1} course_br_p90_ms={:.1}",
        body.len(),
        percentile(&ms, 50.0),
        percentile(&ms, 90.0)
    );

    let (ms, body) = time(
        "/api/attendance/activity",
        vec![("activity_id", c.activities[sessions / 2].to_string())],
        None,
    )
    .await?;
    let v: serde_json::Value = serde_json::from_slice(&body)?;
    println!(
        "activity_rows={} activity_bytes={} activity_p50_ms={:.1} activity_p90_ms={:.1} activity_max_ms={:.1}",
        v["rows"].as_array().map_or(0, Vec::len),
        body.len(),
        percentile(&ms, 50.0),
        percentile(&ms, 90.0),
        ms[ms.len() - 1]
    );
    Ok(())
}
