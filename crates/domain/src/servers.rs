//! What kind of meeting server a row is, and how a self-hosted Jitsi turns tokens into moderators.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter),
    sea_orm(rs_type = "String", db_type = "Text")
)]
pub enum ServerKind {
    /// No token (e.g. meet.jit.si): Jitsi decides who moderates.
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "public"))]
    Public,
    /// Self-hosted Jitsi with Prosody token authentication (HS256 shared secret).
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "jwt"))]
    Jwt,
    /// 8x8 Jitsi as a Service (RS256, key id, AppID tenant).
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "jaas"))]
    Jaas,
    /// BigBlueButton: the API URL, a shared secret and the checksum algorithm it accepts.
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "bbb"))]
    Bbb,
}

impl ServerKind {
    pub const ALL: [ServerKind; 4] = [Self::Public, Self::Jwt, Self::Jaas, Self::Bbb];

    /// Jitsi servers are embedded with the IFrame API; BigBlueButton is joined by redirect.
    pub fn is_bbb(self) -> bool {
        self == Self::Bbb
    }

    /// The stored and submitted spelling (the same strings the database column holds).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Jwt => "jwt",
            Self::Jaas => "jaas",
            Self::Bbb => "bbb",
        }
    }

    /// A submitted kind; `None` for anything else (the form then reports the field).
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Which Prosody module turns a token into moderator rights on a self-hosted server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter),
    sea_orm(rs_type = "String", db_type = "Text")
)]
pub enum ModerationRule {
    /// Jitsi's `token_affiliation`: `context.user.affiliation` owner/member.
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "affiliation"))]
    Affiliation,
    /// The older `token_moderation` plugin: a top-level boolean `moderator` claim.
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "moderator"))]
    ModeratorClaim,
}

impl ModerationRule {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Affiliation => "affiliation",
            Self::ModeratorClaim => "moderator",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "affiliation" => Some(Self::Affiliation),
            "moderator" => Some(Self::ModeratorClaim),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_server_kind_reads_back_from_its_own_spelling() {
        for k in ServerKind::ALL {
            assert_eq!(ServerKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(ServerKind::parse("Public"), None);
        assert_eq!(ServerKind::parse(""), None);
    }

    #[test]
    fn both_moderation_rules_read_back_and_nothing_else_does() {
        for r in [ModerationRule::Affiliation, ModerationRule::ModeratorClaim] {
            assert_eq!(ModerationRule::parse(r.as_str()), Some(r));
        }
        assert_eq!(ModerationRule::parse("owner"), None);
    }
}
