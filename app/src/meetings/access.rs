//! Who may enter a meeting, and as what: one pure decision, tested case by case. The server
//! establishes the facts (who the caller is, whether a code was given and matched); this function
//! only combines them, so the rules can be read in one place.

use super::model::Access;

/// The caller as a meeting sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Owner,
    CoOwner,
    /// A site administrator who owns nothing here.
    Admin,
    /// Any other signed-in user; `member` if they belong to one of the meeting's courses.
    SignedIn {
        member: bool,
    },
    Anonymous,
}

impl Standing {
    /// Owners, co-owners and admins start the meeting, moderate, and edit it.
    pub fn is_owner(self) -> bool {
        matches!(self, Standing::Owner | Standing::CoOwner | Standing::Admin)
    }

    /// The owner (or an admin on their behalf) deletes the meeting and chooses its co-owners.
    pub fn is_primary(self) -> bool {
        matches!(self, Standing::Owner | Standing::Admin)
    }
}

/// The access code as far as this caller is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// The meeting has none (or the caller does not need it).
    NotSet,
    Missing,
    Wrong,
    Right,
}

/// What happens when the caller asks to join.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// Starts the meeting if needed and joins as `MODERATOR`.
    Moderator,
    /// Joins as `VIEWER` once the meeting runs.
    Viewer,
    /// Joins as `VIEWER` with `guest=true` (BBB's lobby applies) once the meeting runs.
    Guest,
    /// 401: the meeting admits signed-in people only.
    SignIn,
    /// 403: signed in, but not admitted.
    Refused,
    CodeMissing,
    CodeWrong,
}

/// The one decision. Owners never need the code; everyone else does when one is set.
pub fn entry(access: Access, who: Standing, code: Code) -> Entry {
    if who.is_owner() {
        return Entry::Moderator;
    }
    match (access, who) {
        (Access::Users | Access::Courses, Standing::Anonymous) => Entry::SignIn,
        (Access::Users, _) => Entry::Viewer,
        (Access::Courses, Standing::SignedIn { member: true }) => Entry::Viewer,
        (Access::Courses, _) => Entry::Refused,
        (Access::Link, _) => match code {
            Code::Missing => Entry::CodeMissing,
            Code::Wrong => Entry::CodeWrong,
            Code::NotSet | Code::Right if who == Standing::Anonymous => Entry::Guest,
            Code::NotSet | Code::Right => Entry::Viewer,
        },
    }
}

/// Whether the caller may see the meeting's page and status (the code is asked only to join).
pub fn may_see(access: Access, who: Standing) -> Entry {
    entry(access, who, Code::Right)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVERY_CODE: [Code; 4] = [Code::NotSet, Code::Missing, Code::Wrong, Code::Right];

    #[test]
    fn owners_co_owners_and_admins_moderate_whatever_the_access_and_code() {
        for access in Access::ALL {
            for who in [Standing::Owner, Standing::CoOwner, Standing::Admin] {
                for code in EVERY_CODE {
                    assert_eq!(
                        entry(access, who, code),
                        Entry::Moderator,
                        "{access:?} {who:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_signed_in_meeting_admits_any_user_and_sends_anonymous_callers_to_sign_in() {
        for member in [false, true] {
            assert_eq!(
                entry(Access::Users, Standing::SignedIn { member }, Code::NotSet),
                Entry::Viewer
            );
        }
        assert_eq!(
            entry(Access::Users, Standing::Anonymous, Code::Right),
            Entry::SignIn
        );
    }

    #[test]
    fn a_course_meeting_admits_members_refuses_other_users_and_asks_anonymous_to_sign_in() {
        assert_eq!(
            entry(
                Access::Courses,
                Standing::SignedIn { member: true },
                Code::NotSet
            ),
            Entry::Viewer
        );
        assert_eq!(
            entry(
                Access::Courses,
                Standing::SignedIn { member: false },
                Code::Right
            ),
            Entry::Refused
        );
        assert_eq!(
            entry(Access::Courses, Standing::Anonymous, Code::Right),
            Entry::SignIn
        );
    }

    #[test]
    fn a_link_meeting_admits_anonymous_people_as_guests_and_users_as_viewers() {
        assert_eq!(
            entry(Access::Link, Standing::Anonymous, Code::NotSet),
            Entry::Guest
        );
        assert_eq!(
            entry(
                Access::Link,
                Standing::SignedIn { member: false },
                Code::NotSet
            ),
            Entry::Viewer
        );
    }

    #[test]
    fn a_link_meeting_with_a_code_needs_the_right_code_from_everyone_but_owners() {
        for who in [Standing::Anonymous, Standing::SignedIn { member: true }] {
            assert_eq!(entry(Access::Link, who, Code::Missing), Entry::CodeMissing);
            assert_eq!(entry(Access::Link, who, Code::Wrong), Entry::CodeWrong);
        }
        assert_eq!(
            entry(Access::Link, Standing::Anonymous, Code::Right),
            Entry::Guest
        );
        assert_eq!(
            entry(
                Access::Link,
                Standing::SignedIn { member: false },
                Code::Right
            ),
            Entry::Viewer
        );
    }

    #[test]
    fn the_page_is_shown_to_whoever_could_join_with_the_code() {
        assert_eq!(may_see(Access::Link, Standing::Anonymous), Entry::Guest);
        assert_eq!(may_see(Access::Users, Standing::Anonymous), Entry::SignIn);
        assert_eq!(
            may_see(Access::Courses, Standing::SignedIn { member: false }),
            Entry::Refused
        );
        assert_eq!(
            may_see(Access::Courses, Standing::CoOwner),
            Entry::Moderator
        );
    }

    #[test]
    fn only_the_owner_or_an_admin_is_primary() {
        assert!(Standing::Owner.is_primary());
        assert!(Standing::Admin.is_primary());
        assert!(!Standing::CoOwner.is_primary());
        assert!(Standing::CoOwner.is_owner());
        assert!(!Standing::SignedIn { member: true }.is_owner());
        assert!(!Standing::Anonymous.is_owner());
    }
}
