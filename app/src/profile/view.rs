use crate::components::page_heading::PageHeading;
use leptos::prelude::*;

use super::{
    CancelEmailChange, ChangePassword, ConfirmEmailChange, RemoveAvatar, UpdateProfile, get_profile,
};
use crate::{
    components::{
        error_page::{ErrorPage, Loading},
        forms::{Field, FormError, field_error, form_error},
    },
    i18n::{Lang, fill, use_texts},
};

/// A new address waiting for the code sent to it.
#[component]
fn EmailCodePanel(
    addr: String,
    confirm: ServerAction<ConfirmEmailChange>,
    cancel: ServerAction<CancelEmailChange>,
) -> impl IntoView {
    let t = use_texts();
    view! {
        <section class="card narrow" aria-labelledby="email-code-h" data-testid="email-code">
            <h2 id="email-code-h">{t.email_confirm}</h2>
            <p role="status">{fill(t.email_code_sent, &[&addr])}</p>
            <ActionForm action=confirm>
                <FormError message=form_error(confirm.value()) />
                <Field label=t.email_code name="code" required=true autocomplete="one-time-code"
                    error=field_error(confirm.value(), "code") />
                <button type="submit" class="primary">{t.email_confirm}</button>
            </ActionForm>
            <ActionForm action=cancel>
                <button type="submit" class="link-button">{t.email_keep}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let t = use_texts();
    let update = ServerAction::<UpdateProfile>::new();
    let remove = ServerAction::<RemoveAvatar>::new();
    let password = ServerAction::<ChangePassword>::new();
    let confirm = ServerAction::<ConfirmEmailChange>::new();
    let cancel = ServerAction::<CancelEmailChange>::new();
    let profile = Resource::new(
        move || {
            (
                update.version().get(),
                remove.version().get(),
                confirm.version().get(),
                cancel.version().get(),
            )
        },
        |_| get_profile(),
    );
    let query = leptos_router::hooks::use_query_map();
    let upload_error = move || match query.read().get("avatar").as_deref() {
        Some("too-large") => Some(t.avatar_too_large),
        Some("invalid") | Some("missing") => Some(t.avatar_invalid),
        _ => None,
    };
    Effect::new(move |_| {
        if let Some(Ok(())) = update.value().get() {
            // The language may have changed: reload so every text follows.
            #[cfg(feature = "hydrate")]
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        }
    });
    view! {
        <PageHeading text={t.nav_profile} />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let p = match profile.await {
                    Ok(p) => p,
                    Err(e) => return view! { <ErrorPage error=e /> }.into_any(),
                };
                let current_lang = Lang::parse(&p.language).unwrap_or_default();
                view! {
                    <div class="columns">
                        <section class="card" aria-labelledby="avatar-h">
                            <h2 id="avatar-h">{t.avatar}</h2>
                            {match p.avatar_url.clone() {
                                Some(url) => view! { <img class="avatar-large" src=url alt=t.your_avatar width="96" height="96" /> }.into_any(),
                                None => view! { <div class="avatar-large placeholder" aria-hidden="true">{p.display_name.chars().next().unwrap_or('?').to_string()}</div> }.into_any(),
                            }}
                            {move || upload_error().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
                            <form method="post" action="/profile/avatar" enctype="multipart/form-data" class="upload-form">
                                <div class="field">
                                    <label for="f-avatar">{t.upload_avatar}</label>
                                    <input id="f-avatar" name="avatar" type="file" accept="image/png,image/jpeg,image/webp,image/gif" aria-describedby="f-avatar-hint" />
                                    <small id="f-avatar-hint" class="hint">{t.avatar_hint}</small>
                                </div>
                                <button type="submit">{t.upload}</button>
                            </form>
                            {p.avatar_url.is_some().then(|| view! {
                                <ActionForm action=remove>
                                    <button type="submit" class="link-button danger">{t.remove_avatar}</button>
                                </ActionForm>
                            })}
                        </section>
                        <section class="card" aria-labelledby="details-h">
                            <h2 id="details-h">{t.details}</h2>
                            <ActionForm action=update>
                                <FormError message=form_error(update.value()) />
                                <Field label=t.display_name name="display_name" value=p.display_name.clone() required=true
                                    error=field_error(update.value(), "display_name") autocomplete="name" />
                                {if p.email_changeable {
                                    view! {
                                        <Field label=t.email name="email" kind="email" value=p.email.clone() required=true
                                            error=field_error(update.value(), "email") autocomplete="email" />
                                    }.into_any()
                                } else {
                                    view! {
                                        <Field label=t.email name="email" kind="email" value=p.email.clone() required=true
                                            autocomplete="email" readonly=true hint=t.email_managed.to_owned() />
                                    }.into_any()
                                }}
                                <Field label=t.avatar_link name="avatar_link" kind="url" value=p.avatar_link.clone()
                                    error=field_error(update.value(), "avatar_link") />
                                <div class="field">
                                    <label for="f-language">{t.language}</label>
                                    <select id="f-language" name="language">
                                        {Lang::ALL.into_iter().map(|l| view! {
                                            <option value=l.code() selected=l == current_lang>{l.native_name()}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                <Field label=t.time_zone name="time_zone" value=p.time_zone.clone()
                                    hint=t.time_zone_profile_hint.to_owned() error=field_error(update.value(), "time_zone") />
                                <button type="submit" class="primary">{t.save}</button>
                            </ActionForm>
                        </section>
                    </div>
                    {p.pending_email.clone().map(|addr| view! { <EmailCodePanel addr confirm cancel /> })}
                }
                .into_any()
            })}
        </Suspense>
        <section class="card narrow" aria-labelledby="pw-h">
            <h2 id="pw-h">{t.change_password}</h2>
            <ActionForm action=password>
                <FormError message=form_error(password.value()) />
                <Field label=t.current_password name="current_password" kind="password" required=true
                    error=field_error(password.value(), "current_password") autocomplete="current-password" />
                <Field label=t.new_password name="new_password" kind="password" required=true
                    error=field_error(password.value(), "new_password") autocomplete="new-password" />
                <button type="submit">{t.change_password}</button>
                {move || matches!(password.value().get(), Some(Ok(()))).then(|| view! { <p role="status" class="ok">{t.password_changed}</p> })}
            </ActionForm>
        </section>
        <super::feed_view::CalendarFeedPanel />
    }
}
