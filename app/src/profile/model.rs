//! Profile form values shared by browser and server.

use serde::{Deserialize, Serialize};

/// The profile form (`profile/update`), one field per input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProfileForm {
    pub display_name: String,
    pub email: String,
    pub language: String,
    pub time_zone: String,
    pub avatar_link: String,
}
