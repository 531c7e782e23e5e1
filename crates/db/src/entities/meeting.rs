use domain::{Access, GuestPolicy};
use sea_orm::entity::prelude::*;

/// A meeting outside courses (BigBlueButton): a personal room or one a user created.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meetings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The unguessable id in the meeting's link (`/m/<public_id>`).
    #[sea_orm(unique)]
    pub public_id: String,
    pub owner_id: i32,
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub welcome: String,
    pub is_personal: bool,
    pub server_id: i32,
    pub starts_at: i64,
    pub duration_minutes: i32,
    pub time_zone: String,
    /// JSON of `meetings::rule::Recurrence`; `None` for a single meeting.
    #[sea_orm(column_type = "Text", nullable)]
    pub recurrence: Option<String>,
    /// Who may come in; an unknown stored value fails to load rather than reading as a default.
    pub access: Access,
    #[sea_orm(column_type = "Text", nullable)]
    pub access_code_enc: Option<String>,
    pub code_in_invitations: bool,
    pub guest_policy: GuestPolicy,
    pub max_duration_minutes: i32,
    pub record: bool,
    pub auto_start_recording: bool,
    pub allow_start_stop_recording: bool,
    pub slides_name: Option<String>,
    pub slides_path: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
