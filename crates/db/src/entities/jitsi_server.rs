use domain::{ModerationRule, ServerKind};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "jitsi_servers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    #[sea_orm(unique)]
    pub base_url: String,
    pub is_default: bool,
    pub created_at: i64,
    /// Public, self-hosted with tokens, 8x8 JaaS or BigBlueButton; an unknown value fails to load.
    pub kind: ServerKind,
    pub app_id: Option<String>,
    /// HS256 secret (`jwt`), encrypted with the master key.
    pub secret_enc: Option<String>,
    pub moderation_rule: ModerationRule,
    /// JaaS API key id (`kid`), e.g. `vpaas-magic-cookie-…/4f4910`.
    pub key_id: Option<String>,
    /// RS256 private key PEM (`jaas`), encrypted with the master key.
    pub private_key_enc: Option<String>,
    pub token_ttl_secs: i32,
    /// BigBlueButton only: `sha1`, `sha256`, `sha384` or `sha512`.
    pub checksum_algo: String,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
