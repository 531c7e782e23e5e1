use serde::{Deserialize, Serialize};

use crate::{
    activities::model::Phase,
    attendance::dto::Completion,
    capabilities::CourseRole,
    error::{AppError, FieldCode, FieldError},
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseSummary {
    pub id: i32,
    pub name: String,
    pub short_name: String,
    /// `None` for admins who are not enrolled.
    pub role: Option<CourseRole>,
    /// Activities with a completion threshold, and how many of them the viewer completed
    /// (filled on the dashboard only).
    pub completable: u32,
    pub completed: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivitySummary {
    pub id: i32,
    pub name: String,
    pub phase: Phase,
    pub window_len: i64,
    pub opens_display: String,
    pub closes_display: String,
    /// The viewer's own attendance in it.
    pub completion: Option<Completion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseDetail {
    pub id: i32,
    pub name: String,
    pub short_name: String,
    pub description: String,
    pub role: Option<CourseRole>,
    pub can_add_activity: bool,
    pub can_manage_enrolments: bool,
    pub activities: Vec<ActivitySummary>,
    pub time_zone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentRow {
    pub user_id: i32,
    pub display_name: String,
    pub email: String,
    pub role: CourseRole,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpcomingSession {
    pub activity_id: i32,
    pub activity_name: String,
    pub course_name: String,
    pub phase: Phase,
    pub window_len: i64,
    pub opens_display: String,
    pub completion: Option<Completion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub courses: Vec<CourseSummary>,
    pub next_sessions: Vec<UpcomingSession>,
}

/// One refused CSV row: its line number (1-based, header included), the e-mail as given, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub line: usize,
    pub email: String,
    pub code: FieldCode,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ImportReport {
    pub enrolled: usize,
    pub updated: usize,
    pub errors: Vec<RowError>,
}

/// A CSV row that parsed; the server still has to find the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedRow {
    pub line: usize,
    pub email: crate::auth::model::Email,
    pub role: CourseRole,
}

pub const COURSE_NAME_MAX: usize = 200;
pub const SHORT_NAME_MAX: usize = 50;

pub fn validate_course(
    name: &str,
    short_name: &str,
    description: &str,
) -> Result<(String, String, String), AppError> {
    let mut errors = Vec::new();
    let name = name.trim();
    let short = short_name.trim();
    if name.is_empty() {
        errors.push(FieldError::new("name", FieldCode::Required));
    } else if name.chars().count() > COURSE_NAME_MAX {
        errors.push(FieldError::new(
            "name",
            FieldCode::TooLong(COURSE_NAME_MAX as u32),
        ));
    }
    if short.is_empty() {
        errors.push(FieldError::new("short_name", FieldCode::Required));
    } else if short.chars().count() > SHORT_NAME_MAX {
        errors.push(FieldError::new(
            "short_name",
            FieldCode::TooLong(SHORT_NAME_MAX as u32),
        ));
    }
    if description.chars().count() > 5000 {
        errors.push(FieldError::new("description", FieldCode::TooLong(5000)));
    }
    if errors.is_empty() {
        Ok((
            name.to_owned(),
            short.to_owned(),
            description.trim().to_owned(),
        ))
    } else {
        Err(AppError::Invalid(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn courses_need_a_name_and_a_short_name() {
        let e = validate_course(" ", "", "").unwrap_err();
        assert_eq!(e.field("name"), Some(FieldCode::Required));
        assert_eq!(e.field("short_name"), Some(FieldCode::Required));
        assert_eq!(
            validate_course(" Physics 101 ", "PHY101", "").unwrap(),
            ("Physics 101".into(), "PHY101".into(), String::new())
        );
    }
}
