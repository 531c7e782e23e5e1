//! Administration form values shared by browser and server.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The new-account form (`admin/users/create`), one field per input.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewUserForm {
    pub email: String,
    pub display_name: String,
    pub password: String,
    /// The checkbox: present (any value) for a site administrator.
    pub is_admin: Option<String>,
}

impl fmt::Debug for NewUserForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewUserForm")
            .field("email", &self.email)
            .field("display_name", &self.display_name)
            .field("password", &"<redacted>")
            .field("is_admin", &self.is_admin)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::NewUserForm;

    #[test]
    fn debug_hides_the_password() {
        let f = NewUserForm {
            email: "ana@uni.test".into(),
            password: "hunter2-hunter2".into(),
            ..Default::default()
        };
        let shown = format!("{f:?}");
        assert!(
            shown.contains("<redacted>") && !shown.contains("hunter2"),
            "{shown}"
        );
    }
}
