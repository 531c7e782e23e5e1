use crate::components::page_heading::PageHeading;
use leptos::prelude::*;

use super::{CreateUser, ResetUserPassword, SetUserDisabled, UserRow, list_users};
use crate::{
    components::{
        error_page::{ErrorPage, Loading},
        forms::{Field, FormError, field_error, form_error},
    },
    i18n::{fill, use_texts},
};

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let t = use_texts();
    let create = ServerAction::<CreateUser>::new();
    let disable = ServerAction::<SetUserDisabled>::new();
    let reset = ServerAction::<ResetUserPassword>::new();
    let users = Resource::new(
        move || (create.version().get(), disable.version().get()),
        |_| list_users(),
    );
    view! {
        <PageHeading text={t.users_title} />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(list) => view! {
                        <section class="card">
                            <FormError message=form_error(disable.value()) />
                            <FormError message=form_error(reset.value()) />
                            {move || matches!(reset.value().get(), Some(Ok(()))).then(|| view! { <p role="status" class="ok">{t.password_reset_done}</p> })}
                            <div class="table-scroll">
                                <table class="table">
                                    <thead>
                                        <tr>
                                            <th scope="col">{t.name}</th>
                                            <th scope="col">{t.email}</th>
                                            <th scope="col">{t.status}</th>
                                            <th scope="col">{t.actions}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {list.into_iter().map(|u| view! { <UserRowView u disable reset /> }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        </section>
                    }
                    .into_any(),
                    Err(e) => view! { <ErrorPage error=e /> }.into_any(),
                }
            })}
        </Suspense>
        <section class="card narrow" aria-labelledby="new-user-h">
            <h2 id="new-user-h">{t.new_user}</h2>
            <ActionForm action=create>
                <FormError message=form_error(create.value()) />
                <Field label=t.email name="email" kind="email" required=true error=field_error(create.value(), "email") />
                <Field label=t.display_name name="display_name" required=true error=field_error(create.value(), "display_name") />
                <Field label=t.password name="password" kind="password" required=true autocomplete="new-password"
                    error=field_error(create.value(), "password") />
                <div class="field checkbox">
                    <input id="f-is-admin" type="checkbox" name="is_admin" value="on" />
                    <label for="f-is-admin">{t.site_admin}</label>
                </div>
                <button type="submit" class="primary">{t.create_user}</button>
                {move || matches!(create.value().get(), Some(Ok(_))).then(|| view! { <p role="status" class="ok">{t.user_created}</p> })}
            </ActionForm>
        </section>
    }
}

#[component]
fn UserRowView(
    u: UserRow,
    disable: ServerAction<SetUserDisabled>,
    reset: ServerAction<ResetUserPassword>,
) -> impl IntoView {
    let t = use_texts();
    let pw_id = format!("pw-{}", u.id);
    view! {
        <tr class:disabled=u.disabled>
            <td>{u.display_name.clone()} {u.is_admin.then(|| view! { <span class="badge">{t.role_admin}</span> })}</td>
            <td>{u.email.clone()}</td>
            <td>{if u.disabled { t.disabled } else { t.active }}</td>
            <td class="row-actions">
                <ActionForm action=disable attr:class="inline-form">
                    <input type="hidden" name="user_id" value=u.id />
                    <input type="hidden" name="disabled" value=(!u.disabled).to_string() />
                    <button type="submit" class="link-button">{if u.disabled { t.enable } else { t.disable }}</button>
                </ActionForm>
                <ActionForm action=reset attr:class="inline-form">
                    <input type="hidden" name="user_id" value=u.id />
                    <label for=pw_id.clone() class="visually-hidden">{fill(t.new_password_for, &[&u.display_name])}</label>
                    <input id=pw_id type="password" name="password" placeholder=t.new_password autocomplete="new-password" />
                    <button type="submit" class="link-button">{t.reset_password}</button>
                </ActionForm>
            </td>
        </tr>
    }
}
