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
    Signal::derive(move || {
        result
            .get()
            .and_then(Result::err)
            .map(|e| super::messages::error_message(t, &e))
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

/// The text to put between `<textarea>` and `</textarea>`. Leptos writes a textarea's children on
/// the server without escaping them (it treats the element like `<script>`), so a stored value
/// containing `</textarea>` would close the box and the rest would run as markup. The server
/// escapes it here (the browser decodes character references inside a textarea, so the box shows
/// the value exactly); in the browser the text becomes a DOM text node, which needs no escaping.
/// Every textarea with a value uses this: `app/src/components/markup_lint.rs` fails the build's
/// tests for one that does not.
pub fn textarea_text(value: &str) -> String {
    #[cfg(feature = "ssr")]
    {
        escape_html(value)
    }
    #[cfg(not(feature = "ssr"))]
    {
        value.to_owned()
    }
}

/// `&`, `<`, `>`, `"` and `'` as character references.
pub fn escape_html(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
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
    #[prop(optional)] readonly: bool,
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
                readonly=readonly
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described
            />
            {hint.map(|h| view! { <small id=hint_id class="hint">{h}</small> })}
            {move || error.get().map(|m| view! { <small id=err_id.clone() class="field-error">{m}</small> })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(feature = "ssr")]
    fn textarea_text_cannot_close_the_box_on_the_server() {
        let v = "</textarea><img src=x onerror=alert(1)> & \"quotes\" 'too'";
        let out = textarea_text(v);
        assert!(!out.contains('<') && !out.contains('>'), "{out}");
        assert_eq!(
            out,
            "&lt;/textarea&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot; &#39;too&#39;"
        );
    }
}
