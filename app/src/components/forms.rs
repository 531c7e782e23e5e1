//! Form helpers: labelled inputs with field-level error messages tied by `aria-describedby`.

use leptos::prelude::*;

use crate::{error::AppError, i18n::use_texts};

/// The message for `field` in the last result of an action, if it was refused.
/// Anything readable that holds an action's last result (`ServerAction::value()`).
pub trait ActionResult<T>:
    Get<Value = Option<Result<T, AppError>>> + Clone + Send + Sync + 'static
{
}
impl<T, S: Get<Value = Option<Result<T, AppError>>> + Clone + Send + Sync + 'static> ActionResult<T>
    for S
{
}

pub fn field_error<T: 'static>(
    result: impl ActionResult<T>,
    field: &'static str,
) -> Signal<Option<String>> {
    let t = use_texts();
    Signal::derive(move || match result.get() {
        Some(Err(e)) => e.field(field).map(|c| t.field_message(c)),
        _ => None,
    })
}

/// A general (non-field) message for the last result, if it failed for another reason.
pub fn form_error<T: 'static>(result: impl ActionResult<T>) -> Signal<Option<String>> {
    let t = use_texts();
    Signal::derive(move || match result.get() {
        Some(Err(AppError::Invalid(_))) => Some(t.form_has_errors.to_owned()),
        Some(Err(AppError::BadCredentials)) => Some(t.bad_credentials.to_owned()),
        Some(Err(AppError::AccountDisabled)) => Some(t.account_disabled.to_owned()),
        Some(Err(AppError::RateLimited)) => Some(t.rate_limited.to_owned()),
        Some(Err(AppError::Forbidden)) => Some(t.forbidden_body.to_owned()),
        Some(Err(AppError::Conflict(crate::error::ConflictReason::LastAdmin))) => {
            Some(t.last_admin.to_owned())
        }
        Some(Err(AppError::Conflict(crate::error::ConflictReason::InUse))) => {
            Some(t.srv_in_use.to_owned())
        }
        Some(Err(AppError::Conflict(crate::error::ConflictReason::NotConfigured))) => {
            Some(t.mail_not_configured.to_owned())
        }
        Some(Err(AppError::RecordingBusy(who))) => {
            Some(crate::i18n::fill(t.err_recording_busy, &[&who]))
        }
        Some(Err(AppError::External(f))) => Some(t.external_message(f).to_owned()),
        Some(Err(AppError::Internal(id))) => Some(crate::i18n::fill(t.server_error_body, &[&id])),
        Some(Err(e)) => Some(format!("{} ({})", t.request_refused, e.status())),
        _ => None,
    })
}

#[component]
pub fn FormError(message: Signal<Option<String>>) -> impl IntoView {
    move || {
        message
            .get()
            .map(|m| view! { <p class="form-error" role="alert">{m}</p> })
    }
}

/// A labelled input whose error message (if any) is announced with it.
#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(optional)] required: bool,
    #[prop(optional)] hint: Option<String>,
    #[prop(optional, into)] error: Option<Signal<Option<String>>>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] step: Option<&'static str>,
) -> impl IntoView {
    let id = format!("f-{name}");
    let err_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let error = error.unwrap_or_else(|| Signal::derive(|| None));
    let described = {
        let (err_id, hint_id, has_hint) = (err_id.clone(), hint_id.clone(), hint.is_some());
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(err_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=kind
                value=value
                required=required
                autocomplete=autocomplete
                step=step
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described
            />
            {hint.map(|h| view! { <small id=hint_id class="hint">{h}</small> })}
            {move || error.get().map(|m| view! { <small id=err_id.clone() class="field-error">{m}</small> })}
        </div>
    }
}
