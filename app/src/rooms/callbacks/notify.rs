//! The "your recording is ready" e-mail: to a meeting's owner and co-owners, or to the editing
//! teachers of an activity's course (who hold `addinstance` there), each in their own language,
//! with the recording's name and a link to the recordings page.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::{
    capabilities::CourseRole,
    entities::{activity, bbb_room, enrolment, meeting, meeting_owner, user},
    error::AppError,
    i18n::{Lang, fill},
    rooms::{playback::display_name, powers::meeting_title, texts::texts_for},
    state::AppState,
};
use bbb::client::BbbServer;

/// Who is told, what the room is called, and the page the link opens.
struct Audience {
    people: Vec<user::Model>,
    named: Named,
    path: String,
}

/// An activity's name, or a meeting (personal rooms are named in each reader's language).
enum Named {
    Activity(String),
    Meeting(Box<meeting::Model>),
}

impl Named {
    fn in_lang(&self, lang: Lang) -> String {
        match self {
            Named::Activity(name) => name.clone(),
            Named::Meeting(m) => meeting_title(m, lang),
        }
    }
}

async fn enabled(
    db: &sea_orm::DatabaseConnection,
    ids: Vec<i32>,
) -> Result<Vec<user::Model>, AppError> {
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .filter(user::Column::Disabled.eq(false))
        .all(db)
        .await?)
}

async fn audience(state: &AppState, room: &bbb_room::Model) -> Result<Option<Audience>, AppError> {
    let db = &state.db;
    if let Some(activity_id) = room.activity_id {
        let Some(a) = activity::Entity::find_by_id(activity_id).one(db).await? else {
            return Ok(None);
        };
        let teachers = enrolment::Entity::find()
            .filter(enrolment::Column::CourseId.eq(a.course_id))
            .filter(enrolment::Column::Role.eq(CourseRole::EditingTeacher.as_str()))
            .all(db)
            .await?
            .into_iter()
            .map(|e| e.user_id)
            .collect();
        return Ok(Some(Audience {
            people: enabled(db, teachers).await?,
            named: Named::Activity(a.name),
            path: format!("/activities/{}/recordings", a.id),
        }));
    }
    let Some(m) = (match room.meeting_ref {
        Some(id) => meeting::Entity::find_by_id(id).one(db).await?,
        None => None,
    }) else {
        return Ok(None);
    };
    let mut ids: Vec<i32> = meeting_owner::Entity::find()
        .filter(meeting_owner::Column::MeetingId.eq(m.id))
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.user_id)
        .collect();
    ids.push(m.owner_id);
    Ok(Some(Audience {
        people: enabled(db, ids).await?,
        path: format!("/meetings/{}/recordings", m.id),
        named: Named::Meeting(Box::new(m)),
    }))
}

/// The subject and body of the e-mail in `lang`.
pub fn message(lang: Lang, recording: &str, room: &str, link: &str) -> (String, String) {
    let t = texts_for(lang);
    (
        fill(t.mail_ready_subject, &[recording]),
        fill(t.mail_ready_body, &[recording, room, link]),
    )
}

/// E-mails the room's owners that `record_id` is ready. Never fails: problems are logged.
pub async fn recording_ready(
    state: &AppState,
    room: &bbb_room::Model,
    server: &BbbServer,
    record_id: &str,
) {
    let Some(smtp) = state.settings.smtp.as_ref() else {
        tracing::warn!(
            room = room.id,
            "a BigBlueButton recording is ready; no SMTP relay to tell its owners"
        );
        return;
    };
    let who = match audience(state, room).await {
        Ok(Some(a)) => a,
        Ok(None) => return,
        Err(e) => {
            tracing::warn!(
                room = room.id,
                "could not find who to tell about a recording: {e}"
            );
            return;
        }
    };
    // BBB's own name for it (or the one set in Aula); the room's name if BBB cannot be asked.
    let recording_name = match state
        .bbb
        .recordings(server, std::slice::from_ref(&room.meeting_id))
        .await
    {
        Ok(list) => list
            .iter()
            .find(|r| r.record_id == record_id)
            .map(display_name)
            .filter(|n| !n.is_empty()),
        Err(e) => {
            tracing::warn!(
                room = room.id,
                "could not read the recording's name from BigBlueButton: {e}"
            );
            None
        }
    };
    let link = format!(
        "{}{}",
        state.settings.public_url.trim_end_matches('/'),
        who.path
    );
    for person in &who.people {
        let lang = Lang::parse(&person.language).unwrap_or_default();
        let room_name = who.named.in_lang(lang);
        let name = recording_name.clone().unwrap_or_else(|| room_name.clone());
        let (subject, body) = message(lang, &name, &room_name, &link);
        if let Err(e) = crate::mail::send_plain(smtp, &person.email, &subject, &body).await {
            tracing::warn!(
                room = room.id,
                user = person.id,
                "could not e-mail a recording notice: {e}"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notice_names_the_recording_and_the_room_and_links_to_the_recordings_page() {
        for lang in Lang::ALL {
            let (subject, body) = message(
                lang,
                "Week 1: lenses",
                "Optics Lab",
                "https://aula.test/activities/7/recordings",
            );
            assert!(subject.contains("Week 1: lenses"), "{lang:?}: {subject}");
            assert!(body.contains("Week 1: lenses"), "{lang:?}: {body}");
            assert!(body.contains("Optics Lab"), "{lang:?}: {body}");
            assert!(
                body.contains("https://aula.test/activities/7/recordings"),
                "{lang:?}"
            );
        }
    }
}
