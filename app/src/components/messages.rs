//! The one mapping from an error to the words a person reads. Forms, panels, error pages and the
//! recording controls all say the same thing for the same error, in the reader's language, and
//! never show more than the error's user-safe parts (a reference id, a name, a status).

use crate::{
    error::{AppError, ConflictReason},
    i18n::{Texts, fill},
};

/// The message for `error`. A lapsed session is each caller's own business (a page redirects to
/// the login, a panel links to it), so here it is only a sentence like the others.
pub fn error_message(t: &Texts, error: &AppError) -> String {
    match error {
        AppError::Invalid(_) => t.form_has_errors.to_owned(),
        AppError::BadCredentials => t.bad_credentials.to_owned(),
        AppError::AccountDisabled => t.account_disabled.to_owned(),
        AppError::RateLimited => t.rate_limited.to_owned(),
        AppError::Forbidden => t.forbidden_body.to_owned(),
        AppError::NotFound => t.not_found_body.to_owned(),
        AppError::Conflict(ConflictReason::LastAdmin) => t.last_admin.to_owned(),
        AppError::Conflict(ConflictReason::InUse) => t.srv_in_use.to_owned(),
        AppError::Conflict(ConflictReason::NotConfigured) => t.mail_not_configured.to_owned(),
        AppError::RecordingBusy(who) => fill(t.err_recording_busy, &[who]),
        AppError::External(f) => t.external_message(*f).to_owned(),
        AppError::Internal(id) => fill(t.server_error_body, &[id]),
        AppError::BadRequest(_) => t.request_unreadable.to_owned(),
        AppError::TooLarge => t.request_too_large.to_owned(),
        other => format!("{} ({})", t.request_refused, other.status()),
    }
}

/// The heading an error page puts above [`error_message`].
pub fn error_title(t: &Texts, error: &AppError) -> &'static str {
    match error {
        AppError::Forbidden => t.forbidden_title,
        AppError::NotFound => t.not_found_title,
        _ => t.server_error_title,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{error::ExternalFailure, i18n::Lang};

    #[test]
    fn every_language_names_the_reference_id_of_an_internal_error() {
        for lang in Lang::ALL {
            let t = lang.texts();
            let text = error_message(t, &AppError::Internal("ref-4711".into()));
            assert!(text.contains("ref-4711"), "{lang:?}: {text}");
        }
    }

    #[test]
    fn a_busy_recording_names_who_holds_it_and_an_outside_failure_says_what_to_do() {
        let t = Lang::En.texts();
        assert!(error_message(t, &AppError::RecordingBusy("Ada".into())).contains("Ada"));
        assert_eq!(
            error_message(t, &AppError::External(ExternalFailure::YoutubeQuota)),
            t.external_message(ExternalFailure::YoutubeQuota)
        );
    }

    #[test]
    fn pages_head_a_missing_thing_differently_from_a_refusal() {
        let t = Lang::En.texts();
        assert_eq!(error_title(t, &AppError::NotFound), t.not_found_title);
        assert_eq!(error_title(t, &AppError::Forbidden), t.forbidden_title);
        assert_eq!(error_title(t, &AppError::TooLarge), t.server_error_title);
    }
}
