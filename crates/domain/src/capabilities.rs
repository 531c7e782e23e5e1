//! Who may do what: mod_jitsi's web-conference capabilities, their role defaults, per-activity
//! overrides, and `resolve`, the single access decision. Course roles and capabilities are also
//! database columns (`enrolments.role`, `capability_overrides.{role,capability}`) when the
//! `sea-orm` feature is on, so a stored name the code does not know fails to load.

use serde::{Deserialize, Serialize};

/// A role in one course. Site administrators are not a course role: they pass every check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter),
    sea_orm(rs_type = "String", db_type = "Text")
)]
pub enum CourseRole {
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "editingteacher"))]
    EditingTeacher,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "teacher"))]
    NonEditingTeacher,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "student"))]
    Student,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "guest"))]
    Guest,
}

impl CourseRole {
    pub const ALL: [CourseRole; 4] = [
        CourseRole::EditingTeacher,
        CourseRole::NonEditingTeacher,
        CourseRole::Student,
        CourseRole::Guest,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::EditingTeacher => "editingteacher",
            Self::NonEditingTeacher => "teacher",
            Self::Student => "student",
            Self::Guest => "guest",
        }
    }

    /// Parses the stored or imported name; CSV imports also accept a few obvious spellings.
    pub fn parse(s: &str) -> Option<Self> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace([' ', '-', '_'], "")
            .as_str()
        {
            "editingteacher" => Some(Self::EditingTeacher),
            "teacher" | "noneditingteacher" => Some(Self::NonEditingTeacher),
            "student" => Some(Self::Student),
            "guest" => Some(Self::Guest),
            _ => None,
        }
    }
}

/// mod_jitsi's capabilities (`db/access.php`), named as there without the `mod/jitsi:` prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter),
    sea_orm(rs_type = "String", db_type = "Text")
)]
pub enum Capability {
    /// Create, edit and delete activities in a course (course level).
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "addinstance"))]
    AddInstance,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "view"))]
    View,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "viewrecords"))]
    ViewRecords,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "moderation"))]
    Moderation,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "record"))]
    Record,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "hide"))]
    Hide,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "deleterecord"))]
    DeleteRecord,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "editrecordname"))]
    EditRecordName,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "createlink"))]
    CreateLink,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "viewusersonsession"))]
    ViewUsersOnSession,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "viewexternallink"))]
    ViewExternalLink,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "viewattendance"))]
    ViewAttendance,
}

impl Capability {
    pub const ALL: [Capability; 12] = [
        Capability::AddInstance,
        Capability::View,
        Capability::ViewRecords,
        Capability::Moderation,
        Capability::Record,
        Capability::Hide,
        Capability::DeleteRecord,
        Capability::EditRecordName,
        Capability::CreateLink,
        Capability::ViewUsersOnSession,
        Capability::ViewExternalLink,
        Capability::ViewAttendance,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::AddInstance => "addinstance",
            Self::View => "view",
            Self::ViewRecords => "viewrecords",
            Self::Moderation => "moderation",
            Self::Record => "record",
            Self::Hide => "hide",
            Self::DeleteRecord => "deleterecord",
            Self::EditRecordName => "editrecordname",
            Self::CreateLink => "createlink",
            Self::ViewUsersOnSession => "viewusersonsession",
            Self::ViewExternalLink => "viewexternallink",
            Self::ViewAttendance => "viewattendance",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Course-level capabilities are decided before an activity exists, so activity overrides
    /// cannot touch them (in Moodle, `addinstance` lives in the course context).
    pub fn is_course_level(self) -> bool {
        matches!(self, Self::AddInstance)
    }

    /// mod_jitsi's archetype defaults. "manager" maps to the site admin, who passes anyway;
    /// "user" (any logged-in user) maps to every enrolled role.
    pub fn default_for(self, role: CourseRole) -> bool {
        use CourseRole::*;
        match self {
            Self::AddInstance => matches!(role, EditingTeacher),
            Self::View | Self::ViewRecords => true,
            Self::Moderation
            | Self::Record
            | Self::Hide
            | Self::DeleteRecord
            | Self::EditRecordName
            | Self::CreateLink
            | Self::ViewUsersOnSession
            | Self::ViewExternalLink
            | Self::ViewAttendance => matches!(role, EditingTeacher | NonEditingTeacher),
        }
    }
}

/// One per-activity override: allow or prevent `capability` for `role`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Override {
    pub role: CourseRole,
    pub capability: Capability,
    pub allow: bool,
}

/// Who is asking, as far as access is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub site_admin: bool,
    pub role: Option<CourseRole>,
}

/// The one access decision. Admins pass; people outside the course fail; otherwise an activity
/// override for the caller's role wins over the role default.
pub fn resolve(actor: Actor, capability: Capability, overrides: &[Override]) -> bool {
    if actor.site_admin {
        return true;
    }
    let Some(role) = actor.role else {
        return false;
    };
    if !capability.is_course_level()
        && let Some(o) = overrides
            .iter()
            .find(|o| o.role == role && o.capability == capability)
    {
        return o.allow;
    }
    capability.default_for(role)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_and_capability_reads_back_from_its_stored_name() {
        for r in CourseRole::ALL {
            assert_eq!(CourseRole::parse(r.as_str()), Some(r));
        }
        for c in Capability::ALL {
            assert_eq!(Capability::parse(c.as_str()), Some(c));
        }
        assert_eq!(Capability::parse("View"), None);
    }

    // The column holds exactly `as_str`: rows written before the columns became enums still load.
    #[cfg(feature = "sea-orm")]
    #[test]
    fn the_database_spelling_is_the_stored_name() {
        use sea_orm::ActiveEnum;
        for r in CourseRole::ALL {
            assert_eq!(r.to_value(), r.as_str());
        }
        for c in Capability::ALL {
            assert_eq!(c.to_value(), c.as_str());
        }
    }

    fn enrolled(role: CourseRole) -> Actor {
        Actor {
            site_admin: false,
            role: Some(role),
        }
    }

    const TEACHER_ONLY: [Capability; 9] = [
        Capability::Moderation,
        Capability::Record,
        Capability::Hide,
        Capability::DeleteRecord,
        Capability::EditRecordName,
        Capability::CreateLink,
        Capability::ViewUsersOnSession,
        Capability::ViewExternalLink,
        Capability::ViewAttendance,
    ];

    #[test]
    fn site_admins_hold_every_capability_even_when_prevented() {
        let admin = Actor {
            site_admin: true,
            role: None,
        };
        let prevent_all: Vec<Override> = CourseRole::ALL
            .iter()
            .flat_map(|&role| {
                Capability::ALL.map(|capability| Override {
                    role,
                    capability,
                    allow: false,
                })
            })
            .collect();
        for cap in Capability::ALL {
            assert!(resolve(admin, cap, &prevent_all), "{cap:?}");
        }
    }

    #[test]
    fn people_outside_the_course_hold_no_capability() {
        let outsider = Actor {
            site_admin: false,
            role: None,
        };
        let allow_all: Vec<Override> = CourseRole::ALL
            .iter()
            .flat_map(|&role| {
                Capability::ALL.map(|capability| Override {
                    role,
                    capability,
                    allow: true,
                })
            })
            .collect();
        for cap in Capability::ALL {
            assert!(!resolve(outsider, cap, &allow_all), "{cap:?}");
        }
    }

    #[test]
    fn every_enrolled_role_may_view_and_view_recordings_by_default() {
        for role in CourseRole::ALL {
            assert!(resolve(enrolled(role), Capability::View, &[]));
            assert!(resolve(enrolled(role), Capability::ViewRecords, &[]));
        }
    }

    #[test]
    fn only_editing_teachers_add_activities_by_default() {
        assert!(resolve(
            enrolled(CourseRole::EditingTeacher),
            Capability::AddInstance,
            &[]
        ));
        for role in [
            CourseRole::NonEditingTeacher,
            CourseRole::Student,
            CourseRole::Guest,
        ] {
            assert!(
                !resolve(enrolled(role), Capability::AddInstance, &[]),
                "{role:?}"
            );
        }
    }

    #[test]
    fn teachers_of_both_kinds_hold_the_moderation_family_and_students_and_guests_do_not() {
        for cap in TEACHER_ONLY {
            assert!(
                resolve(enrolled(CourseRole::EditingTeacher), cap, &[]),
                "{cap:?}"
            );
            assert!(
                resolve(enrolled(CourseRole::NonEditingTeacher), cap, &[]),
                "{cap:?}"
            );
            assert!(!resolve(enrolled(CourseRole::Student), cap, &[]), "{cap:?}");
            assert!(!resolve(enrolled(CourseRole::Guest), cap, &[]), "{cap:?}");
        }
    }

    #[test]
    fn the_default_table_covers_all_48_role_and_capability_pairs_exactly() {
        let granted: usize = CourseRole::ALL
            .iter()
            .map(|&r| {
                Capability::ALL
                    .iter()
                    .filter(|&&c| resolve(enrolled(r), c, &[]))
                    .count()
            })
            .sum();
        // editing teacher 12, teacher 11, student 2, guest 2.
        assert_eq!(granted, 27);
    }

    #[test]
    fn an_allow_override_grants_a_student_moderation_in_that_activity() {
        let o = [Override {
            role: CourseRole::Student,
            capability: Capability::Moderation,
            allow: true,
        }];
        assert!(resolve(
            enrolled(CourseRole::Student),
            Capability::Moderation,
            &o
        ));
        assert!(!resolve(
            enrolled(CourseRole::Guest),
            Capability::Moderation,
            &o
        ));
    }

    #[test]
    fn a_prevent_override_removes_deleterecord_from_non_editing_teachers_only() {
        let o = [Override {
            role: CourseRole::NonEditingTeacher,
            capability: Capability::DeleteRecord,
            allow: false,
        }];
        assert!(!resolve(
            enrolled(CourseRole::NonEditingTeacher),
            Capability::DeleteRecord,
            &o
        ));
        assert!(resolve(
            enrolled(CourseRole::EditingTeacher),
            Capability::DeleteRecord,
            &o
        ));
        assert!(resolve(
            enrolled(CourseRole::NonEditingTeacher),
            Capability::Record,
            &o
        ));
    }

    #[test]
    fn activity_overrides_cannot_grant_the_course_level_addinstance() {
        let o = [Override {
            role: CourseRole::Student,
            capability: Capability::AddInstance,
            allow: true,
        }];
        assert!(!resolve(
            enrolled(CourseRole::Student),
            Capability::AddInstance,
            &o
        ));
    }

    #[test]
    fn names_round_trip_for_every_capability_and_role() {
        for cap in Capability::ALL {
            assert_eq!(Capability::parse(cap.as_str()), Some(cap));
        }
        for role in CourseRole::ALL {
            assert_eq!(CourseRole::parse(role.as_str()), Some(role));
        }
        assert_eq!(
            CourseRole::parse("Non-editing teacher"),
            Some(CourseRole::NonEditingTeacher)
        );
        assert_eq!(CourseRole::parse("manager"), None);
        assert_eq!(Capability::parse("mod/jitsi:view"), None);
    }
}
