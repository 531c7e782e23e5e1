//! Who may come into a meeting, and how BigBlueButton treats guests.

use serde::{Deserialize, Serialize};

/// Who may come in besides the owners.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter),
    sea_orm(rs_type = "String", db_type = "Text")
)]
pub enum Access {
    /// Anyone with the link (and the access code, if one is set); people without an account too.
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "link"))]
    Link,
    /// Signed-in users only.
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "users"))]
    Users,
    /// Members of the chosen courses only (Aula's groups are its courses).
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "courses"))]
    Courses,
}

impl Access {
    pub const ALL: [Access; 3] = [Access::Link, Access::Users, Access::Courses];

    pub fn as_str(self) -> &'static str {
        match self {
            Access::Link => "link",
            Access::Users => "users",
            Access::Courses => "courses",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == raw.trim())
    }
}

/// BigBlueButton's `guestPolicy` for people who join without an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter),
    sea_orm(rs_type = "String", db_type = "Text")
)]
pub enum GuestPolicy {
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "ALWAYS_ACCEPT"))]
    AlwaysAccept,
    /// Guests wait in BBB's lobby until a moderator admits them.
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "ASK_MODERATOR"))]
    AskModerator,
}

impl GuestPolicy {
    /// BigBlueButton's own spelling, which is also what the column stores.
    pub fn as_str(self) -> &'static str {
        match self {
            GuestPolicy::AlwaysAccept => "ALWAYS_ACCEPT",
            GuestPolicy::AskModerator => "ASK_MODERATOR",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim() {
            "ALWAYS_ACCEPT" => Some(GuestPolicy::AlwaysAccept),
            "ASK_MODERATOR" => Some(GuestPolicy::AskModerator),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_access_reads_back_from_its_own_spelling_even_padded() {
        for a in Access::ALL {
            assert_eq!(Access::parse(a.as_str()), Some(a));
            assert_eq!(Access::parse(&format!(" {} ", a.as_str())), Some(a));
        }
        assert_eq!(Access::parse("everyone"), None);
    }

    #[test]
    fn guest_policies_use_bigbluebuttons_spelling() {
        assert_eq!(
            GuestPolicy::parse("ASK_MODERATOR"),
            Some(GuestPolicy::AskModerator)
        );
        assert_eq!(GuestPolicy::parse("ask_moderator"), None);
        assert_eq!(GuestPolicy::AlwaysAccept.as_str(), "ALWAYS_ACCEPT");
    }
}
