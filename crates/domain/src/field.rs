//! Why an input was refused, field by field. Domain rules (a meeting's recurrence, a form's
//! numbers) return these; the network boundary (`app::error::AppError::Invalid`) carries them to
//! the browser, which translates the code: the server never sends prose.

use serde::{Deserialize, Serialize};

/// Why a field was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldCode {
    Required,
    TooLong(u32),
    TooShort(u32),
    InvalidEmail,
    InvalidUrl,
    InvalidDate,
    ClosingNotAfterOpening,
    OutOfRange(i64, i64),
    AlreadyTaken,
    UnknownUser,
    UnknownRole,
    InvalidChoice,
    /// Not an RSA private key in PEM form.
    InvalidKey,
    /// A JaaS key id that does not start with the AppID.
    KeyIdMismatch,
    /// A weekly series whose first session falls on a day it does not repeat on.
    StartDayNotChosen,
    /// A monthly series whose first session is not the kind of day it repeats on (a 5th
    /// weekday as "nth weekday", or not the last one as "last weekday").
    StartNotInSeries,
    /// An end date that would make more sessions than a series may have.
    TooManyOccurrences(u32),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub code: FieldCode,
}

impl FieldError {
    pub fn new(field: &str, code: FieldCode) -> Self {
        Self {
            field: field.to_owned(),
            code,
        }
    }
}

/// A domain rule's refusal: every field that is wrong, at once, never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    /// One field refused.
    pub fn one(field: &str, code: FieldCode) -> Self {
        Self(vec![FieldError::new(field, code)])
    }

    /// The first code for a field, for a message beside that input.
    pub fn field(&self, name: &str) -> Option<FieldCode> {
        self.0.iter().find(|e| e.field == name).map(|e| e.code)
    }

    /// `Ok` when nothing was refused, so a check can collect problems and finish with this.
    pub fn check(errors: Vec<FieldError>) -> Result<(), Self> {
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Self(errors))
        }
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid input:")?;
        for e in &self.0 {
            write!(f, " {} ({:?})", e.field, e.code)?;
        }
        Ok(())
    }
}

impl std::error::Error for Invalid {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_with_no_problems_passes_and_one_with_problems_keeps_them_all() {
        assert_eq!(Invalid::check(Vec::new()), Ok(()));
        let problems = vec![
            FieldError::new("interval", FieldCode::OutOfRange(1, 99)),
            FieldError::new("ends", FieldCode::InvalidChoice),
        ];
        assert_eq!(Invalid::check(problems.clone()), Err(Invalid(problems)));
    }

    #[test]
    fn field_errors_keep_their_wire_format() {
        // The browser decodes these from `AppError::Invalid`; a renamed variant would break it.
        let e = FieldError::new("count", FieldCode::OutOfRange(1, 500));
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"field":"count","code":{"OutOfRange":[1,500]}}"#
        );
    }
}
