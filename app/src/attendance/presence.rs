//! Live presence: who is in the meeting now, from the open intervals heard from within the grace
//! period (the same heartbeats that count attendance).

use std::collections::BTreeMap;

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

use super::{
    dto::{Presence, PresentPerson},
    model::Ms,
    reports::{person_id, users},
};
use crate::{entities::attendance_interval as iv, error::AppError, tz};

/// Who is in the meeting now: open intervals heard from within the grace period.
pub async fn presence(
    db: &DatabaseConnection,
    activity_id: i32,
    now: Ms,
    grace: Ms,
    tz_name: &str,
) -> Result<Presence, AppError> {
    let open: Vec<(Option<i32>, Option<String>, i64)> = iv::Entity::find()
        .select_only()
        .columns([
            iv::Column::UserId,
            iv::Column::GuestKey,
            iv::Column::StartMs,
        ])
        .filter(iv::Column::ActivityId.eq(activity_id))
        .filter(iv::Column::EndMs.is_null())
        .filter(iv::Column::LastSeenMs.gte(now - grace))
        .into_tuple()
        .all(db)
        .await?;
    let mut by_user: BTreeMap<i32, (i64, u32)> = BTreeMap::new();
    for (uid, guest, start) in open {
        let Some(uid) = person_id(uid, guest.as_deref()) else {
            continue;
        };
        let e = by_user.entry(uid).or_insert((start, 0));
        e.0 = e.0.min(start);
        e.1 += 1;
    }
    let names = users(db, by_user.keys().copied().collect()).await?;
    let mut people: Vec<PresentPerson> = by_user
        .into_iter()
        .map(|(uid, (since, tabs))| PresentPerson {
            user_id: uid,
            name: names
                .get(&uid)
                .map(|u| u.display_name.clone())
                .unwrap_or_default(),
            since: tz::format_ms(since, tz_name, "%H:%M"),
            tabs,
        })
        .collect();
    people.sort_by_key(|p| p.name.to_lowercase());
    Ok(Presence {
        people,
        as_of: tz::format_ms(now, tz_name, "%H:%M:%S"),
    })
}
