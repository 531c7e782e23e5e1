//! `aula demo`: a small, realistic site to try Aula with. Idempotent: accounts and the course are
//! created once; the two demo sessions are moved so that one is open now and one is tomorrow.

use app::{
    activities::model::{ValidActivity, Window},
    admin::ssr::{NewUser, create_user, find_by_email},
    auth::model::Email,
    capabilities::CourseRole,
    clock::now,
    courses::ssr::{create_course, enrol},
    entities::{activity, course, jitsi_server},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    Set,
};

pub const DEMO_PASSWORD: &str = "aula-demo-2026";

const PEOPLE: [(&str, &str, &str, Option<CourseRole>); 5] = [
    ("Site administrator", "admin@aula.test", "Ada Admin", None),
    (
        "Teacher",
        "teacher@aula.test",
        "Tomás Teacher",
        Some(CourseRole::EditingTeacher),
    ),
    (
        "Non-editing teacher",
        "assistant@aula.test",
        "Nadia Assistant",
        Some(CourseRole::NonEditingTeacher),
    ),
    (
        "Student",
        "student1@aula.test",
        "Sam Student",
        Some(CourseRole::Student),
    ),
    (
        "Student",
        "student2@aula.test",
        "Sofía Student",
        Some(CourseRole::Student),
    ),
];

fn err(e: app::error::AppError) -> anyhow::Error {
    anyhow::anyhow!("demo seeding failed: {e:?}")
}

/// Seeds the demo site and returns (role, e-mail) of every login.
pub async fn seed(db: &DatabaseConnection) -> anyhow::Result<Vec<(&'static str, &'static str)>> {
    for (_, email, name, _) in PEOPLE {
        let parsed = Email::parse(email).map_err(|c| anyhow::anyhow!("{c:?}"))?;
        if find_by_email(db, &parsed).await.map_err(err)?.is_none() {
            create_user(
                db,
                NewUser {
                    email,
                    display_name: name,
                    password: DEMO_PASSWORD,
                    is_admin: email.starts_with("admin@"),
                    language: "en",
                },
            )
            .await
            .map_err(err)?;
        }
    }
    let course = match course::Entity::find()
        .filter(course::Column::ShortName.eq("PHY101"))
        .one(db)
        .await?
    {
        Some(c) => c,
        None => create_course(
            db,
            "Physics 101",
            "PHY101",
            "Mechanics and waves, with weekly live lectures.",
        )
        .await
        .map_err(err)?,
    };
    for (_, email, _, role) in PEOPLE {
        if let (Some(role), Ok(e)) = (role, Email::parse(email)) {
            enrol(db, course.id, &e, role).await.map_err(err)?;
        }
    }
    let server = jitsi_server::Entity::find()
        .filter(jitsi_server::Column::IsDefault.eq(true))
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no default Jitsi server"))?;
    let t = now();
    let tomorrow_10 = (t / 86_400 + 1) * 86_400 + 10 * 3600;
    let yesterday_10 = (t / 86_400 - 1) * 86_400 + 10 * 3600;
    let sessions = [
        (
            "Live lecture: Newton's laws",
            "Bring your questions about last week's problem set.",
            t - 600,
            t + 3 * 3600,
        ),
        (
            "Problem class: oscillations",
            "We solve exercises 3.1–3.6 together.",
            tomorrow_10,
            tomorrow_10 + 90 * 60,
        ),
        (
            "Past lecture: kinematics",
            "Recorded attendance from yesterday's lecture.",
            yesterday_10,
            yesterday_10 + 90 * 60,
        ),
    ];
    for (name, description, opens_at, closes_at) in sessions {
        let existing = activity::Entity::find()
            .filter(activity::Column::CourseId.eq(course.id))
            .filter(activity::Column::Name.eq(name))
            .one(db)
            .await?;
        match existing {
            Some(a) => {
                let mut am = a.into_active_model();
                am.opens_at = Set(opens_at);
                am.closes_at = Set(closes_at);
                am.server_id = Set(server.id);
                am.update(db).await?;
            }
            None => {
                let v = ValidActivity {
                    name: name.to_owned(),
                    description: description.to_owned(),
                    window: Window {
                        opens_at,
                        closes_at,
                        early_entry_minutes: 15,
                    },
                    completion_minutes: Some(30),
                };
                let a = app::activities::ssr::create(db, course.id, v, server.id)
                    .await
                    .map_err(err)?;
                if opens_at < t - 3600 {
                    seed_attendance(db, &a).await?;
                }
            }
        }
    }
    Ok(PEOPLE
        .iter()
        .map(|(role, email, _, _)| (*role, *email))
        .collect())
}

/// Yesterday's lecture gets the attendance a real class leaves behind: a teacher there
/// throughout, a student in two overlapping tabs, one who dropped out for a quarter of an hour,
/// and the assistant who looked in briefly.
async fn seed_attendance(db: &DatabaseConnection, a: &activity::Model) -> anyhow::Result<()> {
    use app::entities::{attendance_interval as iv, attendance_session as sess};
    let start = a.opens_at * 1000;
    let m = |minutes: i64| start + minutes * 60_000;
    let plan: [(&str, &[(i64, i64)]); 4] = [
        ("teacher@aula.test", &[(-5, 92)]),
        ("student1@aula.test", &[(0, 50), (40, 86)]),
        ("student2@aula.test", &[(8, 31), (46, 90)]),
        ("assistant@aula.test", &[(30, 42)]),
    ];
    for (email, spans) in plan {
        let Ok(e) = Email::parse(email) else {
            continue;
        };
        let Some(u) = find_by_email(db, &e).await.map_err(err)? else {
            continue;
        };
        for &(from, to) in spans {
            let s = sess::ActiveModel {
                activity_id: Set(a.id),
                user_id: Set(Some(u.id)),
                opened_ms: Set(m(from)),
                closed_ms: Set(Some(m(to))),
                ..Default::default()
            }
            .insert(db)
            .await?;
            iv::ActiveModel {
                session_id: Set(s.id),
                activity_id: Set(a.id),
                user_id: Set(Some(u.id)),
                start_ms: Set(m(from)),
                last_seen_ms: Set(m(to)),
                end_ms: Set(Some(m(to))),
                last_seq: Set((to - from) * 2),
                last_client_ms: Set(m(to)),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}
