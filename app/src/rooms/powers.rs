//! Who may see and manage a room's BigBlueButton recordings and session log (server only). The
//! rules are pure functions over facts the database gives (capabilities, a meeting standing);
//! `for_recordings` and `for_log` gather those facts for one caller and one room.
//!
//! - **Activities** follow mod_jitsi's capabilities: `viewrecords` lists published recordings,
//!   `hide` publishes/unpublishes and protects, `editrecordname` renames, `deleterecord` deletes;
//!   whoever may do any of these also sees unpublished ones. A shared session lists its source
//!   room's recordings read-only: only the room's own activity manages them (its teachers own
//!   them). The session log needs `viewattendance`.
//! - **Meetings**: owners, co-owners and admins manage everything and read the session log.
//!   Signed-in people a `users` or `courses` meeting admits see its published, unprotected
//!   recordings. A `link` meeting's recordings stay with its owners: the page's address carries
//!   the meeting's numeric id, not the unguessable link (nor its access code), so it must not open
//!   what only the link protects.

use sea_orm::EntityTrait;

use super::{
    model::RoomRef,
    ssr::{Owner, room_of},
};
use crate::{
    activities::share::service::meeting_room,
    capabilities::{Capability, ssr::require_activity_cap},
    entities::{bbb_room, jitsi_server, user},
    error::AppError,
    i18n::Lang,
    meetings::{
        access::{Entry, Standing, may_see},
        model::Access,
    },
    state::AppState,
};

/// What a caller may do with one room's recordings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Powers {
    pub see_unpublished: bool,
    pub see_protected: bool,
    pub publish: bool,
    pub rename: bool,
    pub delete: bool,
}

impl Powers {
    pub fn manager() -> Self {
        Self {
            see_unpublished: true,
            see_protected: true,
            publish: true,
            rename: true,
            delete: true,
        }
    }

    /// Whether a recording in this state is listed to the caller.
    pub fn sees(&self, published: bool, protected: bool) -> bool {
        (published || self.see_unpublished) && (!protected || self.see_protected)
    }
}

/// An activity caller's powers (`None` without `viewrecords`). `own_room` is false in a shared
/// session, whose recordings belong to the source activity.
pub fn activity_powers(can: impl Fn(Capability) -> bool, own_room: bool) -> Option<Powers> {
    if !can(Capability::ViewRecords) {
        return None;
    }
    let publish = own_room && can(Capability::Hide);
    let rename = own_room && can(Capability::EditRecordName);
    let delete = own_room && can(Capability::DeleteRecord);
    Some(Powers {
        see_unpublished: publish || rename || delete,
        // Course members with `viewrecords` are who protected playback is for.
        see_protected: true,
        publish,
        rename,
        delete,
    })
}

/// A meeting caller's powers (`None`: 403). See the module doc for why `link` meetings differ.
pub fn meeting_powers(standing: Standing, access: Access) -> Option<Powers> {
    if standing.is_owner() {
        return Some(Powers::manager());
    }
    let admitted = matches!(access, Access::Users | Access::Courses)
        && matches!(standing, Standing::SignedIn { .. })
        && may_see(access, standing) == Entry::Viewer;
    admitted.then_some(Powers::default())
}

/// The facts a recordings page or action needs about one room.
pub struct Resolved {
    pub title: String,
    /// The activity meets (or met) on BigBlueButton; meetings always do.
    pub bbb: bool,
    /// `None` until the room was first started.
    pub room: Option<bbb_room::Model>,
    pub powers: Powers,
    /// May read the session log too.
    pub sessions: bool,
}

async fn on_bbb(state: &AppState, server_id: i32) -> Result<bool, AppError> {
    Ok(jitsi_server::Entity::find_by_id(server_id)
        .one(&state.db)
        .await?
        .is_some_and(|s| s.kind.is_bbb()))
}

/// The caller's view of `owner`'s recordings; 403/404 when they may not see them at all.
pub async fn for_recordings(
    state: &AppState,
    u: &user::Model,
    owner: RoomRef,
    lang: Lang,
) -> Result<Resolved, AppError> {
    let db = &state.db;
    match owner {
        RoomRef::Activity(id) => {
            let access = require_activity_cap(db, u, id, Capability::ViewRecords).await?;
            let source = meeting_room(db, &access.activity).await?;
            let own = source.id == access.activity.id;
            let powers = activity_powers(|c| access.can(c), own).ok_or(AppError::Forbidden)?;
            let room = room_of(db, Owner::Activity(source.id)).await?;
            let bbb = room.is_some() || on_bbb(state, source.server_id).await?;
            Ok(Resolved {
                title: access.activity.name.clone(),
                bbb,
                room,
                powers,
                sessions: access.can(Capability::ViewAttendance),
            })
        }
        RoomRef::Meeting(id) => {
            let m = crate::meetings::ssr::find(db, id).await?;
            let standing = crate::meetings::ssr::standing(db, &m, Some(u)).await?;
            let powers = meeting_powers(standing, m.access).ok_or(AppError::Forbidden)?;
            Ok(Resolved {
                title: meeting_title(&m, lang),
                bbb: true,
                room: room_of(db, Owner::Meeting(m.id)).await?,
                powers,
                sessions: standing.is_owner(),
            })
        }
    }
}

/// A meeting's name as pages show it (personal rooms are named in the viewer's language).
pub fn meeting_title(m: &crate::entities::meeting::Model, lang: Lang) -> String {
    if m.is_personal {
        crate::meetings::texts::texts_for(lang)
            .personal_room
            .to_owned()
    } else {
        m.name.clone()
    }
}

/// The room whose session log the caller may read (`viewattendance` on an activity, owners of a
/// meeting), and whether it is on BigBlueButton at all.
pub async fn for_log(
    state: &AppState,
    u: &user::Model,
    owner: RoomRef,
) -> Result<(bool, Option<bbb_room::Model>), AppError> {
    let db = &state.db;
    match owner {
        RoomRef::Activity(id) => {
            let access = require_activity_cap(db, u, id, Capability::ViewAttendance).await?;
            let source = meeting_room(db, &access.activity).await?;
            let room = room_of(db, Owner::Activity(source.id)).await?;
            let bbb = room.is_some() || on_bbb(state, source.server_id).await?;
            Ok((bbb, room))
        }
        RoomRef::Meeting(id) => {
            crate::meetings::ssr::require_owner(db, u, id).await?;
            Ok((true, room_of(db, Owner::Meeting(id)).await?))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caps(held: &'static [Capability]) -> impl Fn(Capability) -> bool {
        move |c| held.contains(&c)
    }

    #[test]
    fn a_student_with_viewrecords_sees_published_recordings_and_manages_nothing() {
        let p = activity_powers(caps(&[Capability::View, Capability::ViewRecords]), true)
            .expect("may list");
        assert!(p.sees(true, false) && p.sees(true, true));
        assert!(!p.sees(false, false));
        assert!(!p.publish && !p.rename && !p.delete);
    }

    #[test]
    fn without_viewrecords_there_is_no_list() {
        assert_eq!(activity_powers(caps(&[Capability::Hide]), true), None);
    }

    #[test]
    fn each_teacher_capability_grants_its_own_action_and_sight_of_unpublished_ones() {
        let only = |c: &'static [Capability]| activity_powers(caps(c), true).expect("list");
        let hide = only(&[Capability::ViewRecords, Capability::Hide]);
        assert!(hide.publish && !hide.rename && !hide.delete && hide.sees(false, true));
        let rename = only(&[Capability::ViewRecords, Capability::EditRecordName]);
        assert!(rename.rename && !rename.publish && rename.sees(false, false));
        let delete = only(&[Capability::ViewRecords, Capability::DeleteRecord]);
        assert!(delete.delete && !delete.rename);
    }

    #[test]
    fn a_shared_session_lists_the_source_rooms_recordings_read_only() {
        let p = activity_powers(caps(&Capability::ALL), false).expect("list");
        assert_eq!(
            (p.publish, p.rename, p.delete, p.see_unpublished),
            (false, false, false, false)
        );
    }

    #[test]
    fn meeting_owners_co_owners_and_admins_manage_every_recording() {
        for s in [Standing::Owner, Standing::CoOwner, Standing::Admin] {
            for a in Access::ALL {
                assert_eq!(meeting_powers(s, a), Some(Powers::manager()));
            }
        }
    }

    #[test]
    fn admitted_users_see_published_unprotected_meeting_recordings_only() {
        let p = meeting_powers(Standing::SignedIn { member: false }, Access::Users)
            .expect("users meeting");
        assert!(p.sees(true, false));
        assert!(!p.sees(true, true) && !p.sees(false, false));
        assert!(meeting_powers(Standing::SignedIn { member: true }, Access::Courses).is_some());
    }

    #[test]
    fn outsiders_and_link_meetings_keep_recordings_with_the_owners() {
        assert_eq!(
            meeting_powers(Standing::SignedIn { member: false }, Access::Courses),
            None
        );
        assert_eq!(
            meeting_powers(Standing::SignedIn { member: true }, Access::Link),
            None
        );
        assert_eq!(meeting_powers(Standing::Anonymous, Access::Users), None);
    }
}
